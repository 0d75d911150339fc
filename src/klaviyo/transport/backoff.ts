export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A number in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 500, maxDelayMs: 20_000, random: Math.random };

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))). `retry` starts at 1. */
export function backoffDelayMs(retry: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(policy.random() * ceiling);
}
