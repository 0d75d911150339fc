export interface BackoffPolicy {
    baseDelayMs: number;
    maxDelayMs: number;
    /** A number in [0, 1); injected so tests are deterministic. */
    random: () => number;
}
export declare const DEFAULT_BACKOFF: BackoffPolicy;
/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))). `retry` starts at 1. */
export declare function backoffDelayMs(retry: number, policy: BackoffPolicy): number;
