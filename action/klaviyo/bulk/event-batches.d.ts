/**
 * Bulk event bodies (`POST /api/event-bulk-create-jobs`) sized to Klaviyo's caps: 1,000 events in all, 5 MB with
 * margin, no string over 100 KB. Events are grouped by profile, as the body wants (one entry per profile with
 * its events), which also saves the bytes of repeating the profile. Klaviyo fails the whole request when a
 * `unique_id` repeats for one profile and metric, so a repeat within the open batch is dropped here and reported
 * as a duplicate; across batches Klaviyo itself keeps only the first.
 */
import type { components } from '../generated/openapi.js';
import { type BulkBodyLimits } from './limits.js';
type S = components['schemas'];
export type BulkEventBody = S['EventsBulkCreateJob'];
type Entry = S['EventsBulkCreateQueryResourceObject'];
/** The profile of an event: `{ type: 'profile', id?, attributes: { email, phone_number, ... }, meta? }`. */
export type BulkEventProfile = Entry['attributes']['profile']['data'];
type EventAttributes = Entry['attributes']['events']['data'][number]['attributes'];
/** One event's attributes; `unique_id` is required: it is what makes a resend safe. */
export type BulkEventAttributes = EventAttributes & {
    unique_id: string;
};
export interface BulkEventInput {
    profile: BulkEventProfile;
    event: BulkEventAttributes;
}
/**
 * A body ready to send. `groups[i][j]` is the event an error pointer
 * `/data/attributes/events-bulk-create/data/i/attributes/events/data/j` names; a pointer into the profile of
 * entry `i` names every event of `groups[i]`.
 */
export interface BulkEventBatch {
    body: BulkEventBody;
    groups: BulkEventInput[][];
    eventCount: number;
}
export type BulkEventOutput = {
    kind: 'batch';
    batch: BulkEventBatch;
} | {
    kind: 'duplicate';
    input: BulkEventInput;
} | {
    kind: 'too-large';
    input: BulkEventInput;
    bytes: number;
    limit: number;
    pointer?: string;
};
/** The identity Klaviyo matches a profile by, so events of one person share one entry. */
export declare function profileKeyOf(profile: BulkEventProfile): string;
export declare class BulkEventBatcher {
    private readonly limits;
    private groups;
    private seen;
    private count;
    private bytes;
    constructor(limits?: BulkBodyLimits);
    /** Adds one event; returns what it produced: nothing, a sealed batch, or the event itself set aside. */
    add(input: BulkEventInput): BulkEventOutput | undefined;
    /** The last, partly filled batch. */
    finish(): BulkEventBatch | undefined;
    /** Bytes an event adds: itself, plus a new profile entry when its profile has none in the open batch. */
    private cost;
    private seal;
}
/** Every batch for an array of events, the in-batch duplicates dropped and the events too large to send. */
export declare function bulkEventBatches(inputs: Iterable<BulkEventInput>, limits?: BulkBodyLimits): {
    batches: BulkEventBatch[];
    duplicates: BulkEventInput[];
    oversized: BulkEventInput[];
};
export {};
