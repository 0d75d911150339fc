/**
 * A Klaviyo API client (revision pinned in ./revision.ts) for one account:
 *
 *   const klaviyo = new KlaviyoClient({ apiKey: 'pk_...' });
 *   const template = await klaviyo.templates.create(body, { reconcile: 'by-name' });
 *   for await (const flow of klaviyo.flows.list({ filter: filter.equals('status', 'live') })) ...
 *
 * Requests are paced to the account's per-operation rate limits, retried when that is safe, and fail with typed
 * errors (`KlaviyoError` and subclasses) that never contain the key. Self-contained: imports nothing of ours.
 */
export { KlaviyoClient, type KlaviyoClientOptions } from './client.js';
export { KLAVIYO_REVISION, KLAVIYO_DEFAULT_BASE_URL } from './revision.js';
export { KlaviyoError, KlaviyoAuthError, KlaviyoValidationError, KlaviyoNotFoundError, KlaviyoConflictError, KlaviyoRateLimitError, KlaviyoDailyCapError, KlaviyoServerError, KlaviyoNetworkError, KlaviyoOutcomeUnknownError, type KlaviyoErrorItem, type KlaviyoProblem, type KlaviyoCallInfo, } from './transport/errors.js';
export type { KlaviyoClientEvent, KlaviyoEventListener, KlaviyoCallRef, RetryReason, } from './transport/events.js';
export { systemClock, type Clock } from './transport/clock.js';
export type { KlaviyoRequest } from './transport/transport.js';
export { AccountRateLimiter, type BucketLimit, type WaitReason } from './transport/rate-limiter.js';
export { backoffDelayMs, type BackoffPolicy } from './transport/backoff.js';
export { filter, buildQuery, type KlaviyoFilter, type FilterScalar, type QueryOptions } from './query.js';
export { collect, type CollectionDocument, type PageOptions } from './pagination.js';
export type { CallOptions, CreateOptions } from './resources/context.js';
export type { PollOptions } from './resources/bulk-jobs.js';
export type { TaggableKind } from './resources/tags.js';
export type * from './resources/types.js';
export type { AccountsApi } from './resources/accounts.js';
export type { ProfilesApi } from './resources/profiles.js';
export type { EventsApi } from './resources/events.js';
export type { MetricsApi } from './resources/metrics.js';
export { MAPPED_METRIC_IDS, mappedMetricTarget, type MappedMetricsApi, type MappedMetric, type MappedMetricId, type MappedMetricTarget, } from './resources/mapped-metrics.js';
export type { ListsApi, MembershipByEmail, AddByEmailOptions } from './resources/lists.js';
export type { SegmentsApi } from './resources/segments.js';
export type { TemplatesApi } from './resources/templates.js';
export type { FlowsApi } from './resources/flows.js';
export type { TagsApi } from './resources/tags.js';
export type { ImagesApi } from './resources/images.js';
export type { BulkJobsApi } from './resources/bulk-jobs.js';
export type { ProfileImportsApi, ImportError } from './resources/profile-imports.js';
export type { BulkEventsApi } from './resources/bulk-events.js';
export { lastOptOut, profileConsentOf, subscribeBody, type ConsentApi, type ConsentChannel, type ConsentGrant, type SubscribeOptions, type ChannelConsent, type ProfileConsent, } from './resources/consent.js';
export { PROFILE_IMPORT_LIMITS, BULK_EVENT_LIMITS, SUBSCRIBE_MAX_PROFILES, PROFILE_LOOKUP_MAX_VALUES, type BulkBodyLimits, } from './bulk/limits.js';
export { ProfileImportBatcher, profileImportBatches, type ProfileImportItem, type ProfileImportBatch, type ProfileImportBatchOptions, type ProfileImportOutput, type OversizedProfile, } from './bulk/profile-import-batches.js';
export { BulkEventBatcher, bulkEventBatches, profileKeyOf, type BulkEventBody, type BulkEventInput, type BulkEventProfile, type BulkEventAttributes, type BulkEventBatch, type BulkEventOutput, } from './bulk/event-batches.js';
export { bulkItemErrorsOf, itemIndexesOf, isItemLevel, type BulkItemError } from './bulk/item-errors.js';
export type { components as KlaviyoSchemas } from './generated/openapi.js';
export { klaviyoSchemaValidator, operationById, matchOperation, type KlaviyoOperation, type RateLimit, } from './spec/index.js';
