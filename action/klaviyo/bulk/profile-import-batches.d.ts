/**
 * Profile import bodies sized to Klaviyo's caps (10,000 profiles, 5 MB with margin, 100 KB per profile). Feed
 * profiles one at a time (`add`), take each sealed batch as it comes, `finish` at the end; or call
 * `profileImportBatches` on an array.
 */
import type { components } from '../generated/openapi.js';
import { type BulkBodyLimits } from './limits.js';
type S = components['schemas'];
export type ProfileImportBody = S['ProfileImportJobCreateQuery'];
/** One profile of an import body: `{ type: 'profile', id?, attributes, meta? }`. */
export type ProfileImportItem = ProfileImportBody['data']['attributes']['profiles']['data'][number];
/** A body ready to send; `profiles[i]` is the profile an error pointer `/data/attributes/profiles/data/i` names. */
export interface ProfileImportBatch {
    body: ProfileImportBody;
    profiles: ProfileImportItem[];
}
/** A profile that cannot be imported at any batch size. */
export interface OversizedProfile {
    profile: ProfileImportItem;
    bytes: number;
    limit: number;
}
export interface ProfileImportBatchOptions {
    /** Lists every imported profile joins. */
    listIds?: readonly string[];
    limits?: BulkBodyLimits;
}
export type ProfileImportOutput = {
    kind: 'batch';
    batch: ProfileImportBatch;
} | {
    kind: 'too-large';
    oversized: OversizedProfile;
};
export declare class ProfileImportBatcher {
    private readonly packer;
    private readonly relationships;
    constructor(options?: ProfileImportBatchOptions);
    /** Adds one profile; returns what it produced: nothing, a sealed batch, or the profile itself refused. */
    add(profile: ProfileImportItem): ProfileImportOutput | undefined;
    /** The last, partly filled batch. */
    finish(): ProfileImportBatch | undefined;
    private batchOf;
    private bodyOf;
}
/** Every batch for an array of profiles, and the profiles too large to send at all. */
export declare function profileImportBatches(profiles: Iterable<ProfileImportItem>, options?: ProfileImportBatchOptions): {
    batches: ProfileImportBatch[];
    oversized: OversizedProfile[];
};
export {};
