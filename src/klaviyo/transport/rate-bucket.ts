/** The bookkeeping of one rate-limit bucket: what was sent when, counted into fixed windows. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;

/** Indices of the fixed windows of `sizeMs` that the span [from, to] overlaps. */
export function windowsBetween(from: number, to: number, sizeMs: number): number[] {
  const first = Math.floor(from / sizeMs);
  const last = Math.max(first, Math.floor(to / sizeMs));
  const out: number[] = [];
  for (let i = first; i <= last; i += 1) out.push(i);
  return out;
}

/** Counts per fixed window index. */
export class WindowCounter {
  private readonly counts = new Map<number, number>();

  get(index: number): number {
    return this.counts.get(index) ?? 0;
  }

  set(index: number, count: number): void {
    this.counts.set(index, count);
  }

  add(index: number, delta: number): void {
    this.counts.set(index, Math.max(0, this.get(index) + delta));
  }

  clear(): void {
    this.counts.clear();
  }

  prune(oldestKept: number): void {
    for (const index of this.counts.keys()) if (index < oldestKept) this.counts.delete(index);
  }
}

/**
 * One request as sent. The server counts it when it arrives, somewhere between `from` (sent) and the moment its
 * answer came back; until then (`to` undefined) it may still arrive in any later window.
 */
export interface SendRecord {
  from: number;
  to: number | undefined;
  day: number;
}

export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export interface BucketLimits {
  /** This client's share of the burst and steady windows. */
  burst: number;
  steady: number;
  /** The account's whole steady window, as the server counts it in `RateLimit-Remaining`. */
  serverSteady: number;
  daily: number | undefined;
}

export class Bucket<TPermit> {
  /** Own requests of the last minute or so. */
  records: SendRecord[] = [];
  /** Requests without an answer yet: each may land in its send window or any later one. */
  readonly pending = new Set<SendRecord>();
  /** Window counts of answered requests, over [from, to] mapped on the server clock. */
  readonly burst = new WindowCounter();
  readonly steady = new WindowCounter();
  /** Steady-window use by other clients of the account, inferred from `RateLimit-Remaining`. */
  readonly externalSteady = new WindowCounter();
  readonly daily = new WindowCounter();
  readonly queue: Array<Waiter<TPermit>> = [];
  blockedUntil = 0;
  pumping = false;
  wake: AbortController | undefined;
  lastWaitUntil = 0;

  constructor(
    readonly key: string,
    readonly limit: BucketLimits,
  ) {}
}
