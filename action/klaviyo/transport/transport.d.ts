import { type HttpMethod } from '../spec/operations.js';
import { type QueryOptions } from '../query.js';
import { type BackoffPolicy } from './backoff.js';
import type { Clock } from './clock.js';
import type { KlaviyoEventListener } from './events.js';
import { AccountRateLimiter } from './rate-limiter.js';
export interface TransportOptions {
    apiKey: string;
    baseUrl: string;
    timeoutMs: number;
    fetch: typeof fetch;
    clock: Clock;
    maxRetries: number;
    backoff: BackoffPolicy;
    rateLimitShare: number;
    maxConcurrency: number;
    onEvent: KlaviyoEventListener | undefined;
    /** A 429 asking to wait longer than this is not waited for: it means a daily cap or an account-wide block. */
    maxRetryAfterSeconds: number;
    /** The least time between an ambiguous create and its reconcile lookup, so a request still in flight can land. */
    reconcileDelayMs: number;
}
/** One call. `path` may carry a query string (a `links.next` URL's path, for example). */
export interface KlaviyoRequest<T> {
    method: HttpMethod;
    path: string;
    query?: QueryOptions | URLSearchParams;
    body?: unknown;
    /** Overrides the client's classification of whether resending after an unknown outcome is safe. */
    idempotent?: boolean;
    /**
     * For creates: called after an ambiguous failure (timeout, reset, 5xx) to look the object up. Return it when it
     * exists (the client returns it as the call's result); return undefined and the client sends the create again.
     */
    reconcile?: () => Promise<T | undefined>;
    signal?: AbortSignal;
    timeoutMs?: number;
}
/** The HTTP layer: headers, pacing, timeouts, retries, typed errors. Holds the key in a closure, never a field. */
export declare class KlaviyoTransport {
    readonly limiter: AccountRateLimiter;
    private readonly authorization;
    private readonly redact;
    private readonly baseUrl;
    private readonly basePath;
    private readonly options;
    constructor(options: TransportOptions);
    /** Turns a URL the server handed out (e.g. `links.next`) into a path on this client's base URL. */
    localPath(url: string): string;
    request<T>(request: KlaviyoRequest<T>): Promise<T>;
    private prepare;
    private attempt;
    private emit;
}
