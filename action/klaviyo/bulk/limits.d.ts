/**
 * Klaviyo's caps on bulk bodies (revision 2026-07-15, from the operations' descriptions). Body caps keep a margin
 * under the published 5 MB so that whether Klaviyo counts MB or MiB, and headers, never matter.
 */
export interface BulkBodyLimits {
    /** Items per request. */
    maxItems: number;
    /** Serialized JSON bytes of the whole request body. */
    maxBodyBytes: number;
    /** Serialized bytes of one item (Klaviyo: 100 KB per imported profile), when capped. */
    maxItemBytes?: number;
    /** Bytes of one string value anywhere in an item (Klaviyo: 100 KB for events), when capped. */
    maxStringBytes?: number;
}
/** `POST /api/profile-bulk-import-jobs`: 10,000 profiles, 5 MB, 100 KB per profile. */
export declare const PROFILE_IMPORT_LIMITS: BulkBodyLimits;
/** `POST /api/event-bulk-create-jobs`: 1,000 events in all, 5 MB, no string over 100 KB. */
export declare const BULK_EVENT_LIMITS: BulkBodyLimits;
/** `POST /api/profile-subscription-bulk-create-jobs`: 1,000 profiles. */
export declare const SUBSCRIBE_MAX_PROFILES = 1000;
/** `GET /api/profiles`: 100 per page, so 100 identifiers per `any(...)` lookup. */
export declare const PROFILE_LOOKUP_MAX_VALUES = 100;
