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

const BODY_BYTES = 4_500_000;
const KB_100 = 100 * 1024;

/** `POST /api/profile-bulk-import-jobs`: 10,000 profiles, 5 MB, 100 KB per profile. */
export const PROFILE_IMPORT_LIMITS: BulkBodyLimits = {
  maxItems: 10_000,
  maxBodyBytes: BODY_BYTES,
  maxItemBytes: KB_100,
};

/** `POST /api/event-bulk-create-jobs`: 1,000 events in all, 5 MB, no string over 100 KB. */
export const BULK_EVENT_LIMITS: BulkBodyLimits = {
  maxItems: 1000,
  maxBodyBytes: BODY_BYTES,
  maxStringBytes: KB_100,
};

/** `POST /api/profile-subscription-bulk-create-jobs`: 1,000 profiles. */
export const SUBSCRIBE_MAX_PROFILES = 1000;

/** `GET /api/profiles`: 100 per page, so 100 identifiers per `any(...)` lookup. */
export const PROFILE_LOOKUP_MAX_VALUES = 100;
