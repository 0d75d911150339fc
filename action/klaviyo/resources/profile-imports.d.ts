/**
 * Profile bulk import jobs end to end: start one, poll it, then read what it did (the profiles it created or
 * updated, and one import error per refused profile with the payload as sent).
 */
import type { components } from '../generated/openapi.js';
import type { BulkJobsApi, PollOptions } from './bulk-jobs.js';
import { type CallOptions, type ResourceContext } from './context.js';
import type { ProfileImportBody, ProfileImportJob, ProfileListItem } from './types.js';
type S = components['schemas'];
type Item<T> = T extends Array<infer U> ? U : never;
export type ImportError = Item<S['GetImportErrorResponseCollection']['data']>;
export declare class ProfileImportsApi {
    private readonly ctx;
    private readonly jobs;
    constructor(ctx: ResourceContext, jobs: BulkJobsApi);
    /** Starts a job (202); its body comes from `ProfileImportBatcher`. Safe to resend: imports are upserts. */
    create(body: ProfileImportBody, options?: CallOptions): Promise<ProfileImportJob>;
    get(jobId: string, options?: CallOptions): Promise<ProfileImportJob>;
    /** Polls until the job is complete or cancelled. */
    waitFor(jobId: string, options?: PollOptions): Promise<ProfileImportJob>;
    /** The job's import errors (`code`, `detail`, `source.pointer`, `original_payload`), 100 per page. */
    errors(jobId: string, options?: CallOptions): AsyncGenerator<ImportError, void, undefined>;
    /** The profiles the job created or updated (Klaviyo does not say which of the two). */
    profiles(jobId: string, options?: CallOptions): AsyncGenerator<ProfileListItem, void, undefined>;
}
export {};
