import { type CollectionDocument, type PageOptions } from './pagination.js';
import type { QueryOptions } from './query.js';
import { AccountsApi } from './resources/accounts.js';
import { BulkEventsApi } from './resources/bulk-events.js';
import { BulkJobsApi } from './resources/bulk-jobs.js';
import { ConsentApi } from './resources/consent.js';
import { EventsApi } from './resources/events.js';
import { FlowsApi } from './resources/flows.js';
import { ImagesApi } from './resources/images.js';
import { ListsApi } from './resources/lists.js';
import { MappedMetricsApi } from './resources/mapped-metrics.js';
import { MetricsApi } from './resources/metrics.js';
import { ProfileImportsApi } from './resources/profile-imports.js';
import { ProfilesApi } from './resources/profiles.js';
import { SegmentsApi } from './resources/segments.js';
import { TagsApi } from './resources/tags.js';
import { TemplatesApi } from './resources/templates.js';
import { type Clock } from './transport/clock.js';
import type { KlaviyoEventListener } from './transport/events.js';
import { type KlaviyoRequest } from './transport/transport.js';
export interface KlaviyoClientOptions {
    /** A private API key (`pk_...`). Never logged, never part of an error. */
    apiKey: string;
    /** Default `https://a.klaviyo.com`. */
    baseUrl?: string;
    /** Per-request timeout; default 30 s. */
    timeoutMs?: number;
    /** Default: the global `fetch`. */
    fetch?: typeof fetch;
    clock?: Clock;
    /** Retries after 429s, 5xx and network errors (idempotent requests, or creates with `reconcile`); default 5. */
    maxRetries?: number;
    /** Structured log events: request, response, retry, wait, reconcile. No secrets, bodies or query strings. */
    onEvent?: KlaviyoEventListener;
    rateLimit?: {
        /** The fraction of each rate-limit window to use (0 < share <= 1); default 1. */
        share?: number;
    };
    /**
     * Requests in flight at once (default 16). A request takes a slot only when its rate windows have room, so a
     * slow operation's queue never holds back another's. Keeps timeouts about the server, not about queueing.
     */
    maxConcurrency?: number;
    /** Backoff tuning: base and cap of the exponential delay, and the random source of its jitter. */
    backoff?: {
        baseDelayMs?: number;
        maxDelayMs?: number;
        random?: () => number;
    };
    /** A 429 asking to wait longer than this is raised instead of waited for; default 60 s. */
    maxRetryAfterSeconds?: number;
    /** The least wait before a reconcile lookup after an ambiguous create, for a request still in flight; 1 s. */
    reconcileDelayMs?: number;
}
/**
 * A Klaviyo API client for one account (one key): pinned revision, paced to the account's rate limits, retries
 * that never duplicate a create, typed errors, cursor pagination and helpers per resource.
 */
export declare class KlaviyoClient {
    readonly accounts: AccountsApi;
    readonly profiles: ProfilesApi;
    readonly events: EventsApi;
    readonly metrics: MetricsApi;
    /** Which metric the account counts as revenue, refunds, ...: seven fixed slots, re-pointed 30 times a day at most. */
    readonly mappedMetrics: MappedMetricsApi;
    readonly lists: ListsApi;
    readonly segments: SegmentsApi;
    readonly templates: TemplatesApi;
    readonly flows: FlowsApi;
    readonly tags: TagsApi;
    readonly images: ImagesApi;
    readonly bulkJobs: BulkJobsApi;
    /** Profile bulk import jobs: create, poll, import errors, imported profiles. */
    readonly profileImports: ProfileImportsApi;
    readonly bulkEvents: BulkEventsApi;
    /** Bulk subscribe and current consent by email or phone. */
    readonly consent: ConsentApi;
    private readonly transport;
    constructor(options: KlaviyoClientOptions);
    /** Any call the helpers do not cover, with the same pacing, retries and errors. Returns the parsed body. */
    request<T>(request: KlaviyoRequest<T>): Promise<T>;
    /** Every item of a collection endpoint, following `links.next`. */
    paginate<TItem>(path: string, query?: QueryOptions, options?: PageOptions): AsyncGenerator<TItem, void, undefined>;
    /** Every page of a collection endpoint (for `included` resources), following `links.next`. */
    pages<TDoc extends CollectionDocument<unknown>>(path: string, query?: QueryOptions, options?: PageOptions): AsyncGenerator<TDoc, void, undefined>;
}
