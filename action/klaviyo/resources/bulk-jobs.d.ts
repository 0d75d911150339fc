import { type CallOptions, type ResourceContext } from './context.js';
import type { ProfileImportBody, ProfileImportJob, SubscribeBody, SuppressBody, SuppressJob, UnsubscribeBody, UnsuppressBody, UnsuppressJob } from './types.js';
export interface PollOptions extends CallOptions {
    /** Time between polls; default 2 s. */
    intervalMs?: number;
    /** Give up after this long; default 10 min. */
    maxWaitMs?: number;
}
/** Profile bulk jobs: import, subscribe, unsubscribe, suppress, unsuppress. All are safe to retry. */
export declare class BulkJobsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /** Starts a profile import job (up to 10,000 profiles, 5 MB). */
    importProfiles(body: ProfileImportBody, options?: CallOptions): Promise<ProfileImportJob>;
    getImportJob(jobId: string, options?: CallOptions): Promise<ProfileImportJob>;
    /** Polls an import job until it is complete or cancelled. */
    waitForImportJob(jobId: string, options?: PollOptions): Promise<ProfileImportJob>;
    /** Subscribes up to 1,000 profiles (202, no job to poll: Klaviyo offers no job GET for it). */
    subscribe(body: SubscribeBody, options?: CallOptions): Promise<void>;
    /** Unsubscribes up to 100 profiles. Profiles not in the given list are unsubscribed globally. */
    unsubscribe(body: UnsubscribeBody, options?: CallOptions): Promise<void>;
    suppress(body: SuppressBody, options?: CallOptions): Promise<SuppressJob | undefined>;
    getSuppressJob(jobId: string, options?: CallOptions): Promise<SuppressJob>;
    waitForSuppressJob(jobId: string, options?: PollOptions): Promise<SuppressJob>;
    unsuppress(body: UnsuppressBody, options?: CallOptions): Promise<UnsuppressJob | undefined>;
    private poll;
}
