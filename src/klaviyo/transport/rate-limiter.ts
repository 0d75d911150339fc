import type { Clock } from './clock.js';

/** The limits one bucket of requests must respect (an operation, or an operation with a costly parameter). */
export interface BucketLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
  dailyCap?: number | undefined;
}

export type WaitReason = 'burst-window' | 'steady-window' | 'retry-after';

export interface RateLimiterOptions {
  clock: Clock;
  /** The fraction of each window this client may use (0 < share <= 1), leaving the rest to other integrations. */
  share?: number;
  /**
   * Requests of the account in flight at once. A request takes a slot only once its windows have room, so a
   * request waiting for a slow operation's window never holds back a fast operation.
   */
  maxInFlight?: number;
  onWait?: (info: { bucket: string; delayMs: number; reason: WaitReason }) => void;
}

/** Thrown by `acquire` when the local count of a bucket's daily cap is used up. */
export class DailyCapExhausted extends Error {
  constructor(
    readonly bucket: string,
    readonly dailyCap: number,
    readonly resetsAt: number,
  ) {
    super(`The daily cap of ${dailyCap} requests for ${bucket} is used up`);
  }
}

/** What the server said about a request, fed back to the limiter. */
export interface ServerFeedback {
  status: number;
  receivedAt: number;
  /** `RateLimit-Remaining`: requests left in the steady window. */
  remaining?: number | undefined;
  /** `RateLimit-Reset`: seconds until the steady window resets. */
  resetSeconds?: number | undefined;
  /** `Retry-After` on a 429, in seconds. */
  retryAfterSeconds?: number | undefined;
}

/** A granted slot. Report the outcome so the limiter can learn from the server's headers. */
export interface Permit {
  readonly sentAt: number;
  settle(feedback: ServerFeedback | undefined): void;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Counts per fixed window index; a request near a boundary may be counted in two windows. */
class WindowCounter {
  private readonly counts = new Map<number, number>();

  constructor(readonly sizeMs: number) {}

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

  prune(currentIndex: number): void {
    for (const index of this.counts.keys()) if (index < currentIndex) this.counts.delete(index);
  }
}

interface Waiter {
  resolve(permit: Permit): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** One request as sent: when it left (client clock) and the latest it may have reached the server. */
interface SendRecord {
  from: number;
  to: number;
  day: number;
}

class Bucket {
  /** Own requests of the last minute or so; the window counters below are derived from them. */
  records: SendRecord[] = [];
  readonly burst = new WindowCounter(SECOND);
  readonly steady = new WindowCounter(MINUTE);
  /** Steady-window usage by other clients of the account, inferred from `RateLimit-Remaining`. */
  readonly externalSteady = new WindowCounter(MINUTE);
  readonly daily = new WindowCounter(DAY);
  readonly queue: Waiter[] = [];
  blockedUntil = 0;
  pumping = false;
  wake: AbortController | undefined;

  constructor(
    readonly key: string,
    /** This client's share of each window, and the account's whole steady window as the server counts it. */
    readonly limit: { burst: number; steady: number; serverSteady: number; daily: number | undefined },
  ) {}

  /** Steady-window use measured against this client's share: its own use, or the account's, whichever is tighter. */
  steadyUsed(index: number): number {
    const own = this.steady.get(index);
    const account = own + this.externalSteady.get(index);
    return Math.max(own, account - (this.limit.serverSteady - this.limit.steady));
  }
}

function windowsTouched(from: number, to: number, sizeMs: number): number[] {
  const first = Math.floor(from / sizeMs);
  const last = Math.floor(to / sizeMs);
  return first === last ? [first] : [first, last];
}

/**
 * Paces requests of one account so they fit Klaviyo's fixed 1 s and 1 min windows and daily caps.
 *
 * Each bucket keeps a FIFO queue: callers are served in arrival order, one pump per bucket grants a slot as soon
 * as both windows have room, and sleeps until the earliest window boundary otherwise (no polling, no thundering
 * herd). Windows are aligned on the server's clock as estimated from `RateLimit-Reset`. A request is counted in
 * every window its arrival at the server may fall in (send time plus the observed round trip), so a request sent
 * just before a boundary cannot overflow the next window.
 */
export class AccountRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly share: number;
  private readonly onWait: RateLimiterOptions['onWait'];
  private readonly maxInFlight: number;
  private inFlight = 0;
  /** Pumps waiting for an in-flight slot, served first come, first served. */
  private readonly slotWaiters: Array<() => void> = [];
  /** Server clock minus client clock, in ms, as far as the client can tell. */
  private offsetMs = 0;
  private readonly recentRtts: number[] = [];

  constructor(options: RateLimiterOptions) {
    this.clock = options.clock;
    const share = options.share ?? 1;
    if (!(share > 0 && share <= 1)) throw new RangeError('rateLimit.share must be in (0, 1]');
    this.share = share;
    this.onWait = options.onWait;
    this.maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
    if (!(this.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
  }

  /** The current estimate of the server clock's lead over ours. */
  get serverClockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Waits for a slot in `key`'s windows. Rejects with `DailyCapExhausted` at once when the daily cap is used. */
  acquire(key: string, limit: BucketLimit, signal?: AbortSignal): Promise<Permit> {
    const bucket = this.bucket(key, limit);
    return new Promise<Permit>((resolve, reject) => {
      try {
        this.checkDaily(bucket, this.clock.now());
      } catch (error) {
        reject(error);
        return;
      }
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const i = bucket.queue.indexOf(waiter);
          if (i >= 0) bucket.queue.splice(i, 1);
          // Nobody left to serve: stop the pump's sleep rather than hold a timer open.
          if (bucket.queue.length === 0) bucket.wake?.abort();
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      bucket.queue.push(waiter);
      void this.pump(bucket);
    });
  }

  /** How many requests of `key` the limiter has counted in the current steady window (for tests and logs). */
  steadyCount(key: string): number {
    const bucket = this.buckets.get(key);
    return bucket ? bucket.steadyUsed(Math.floor(this.serverNow(this.clock.now()) / MINUTE)) : 0;
  }

  private bucket(key: string, limit: BucketLimit): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket(key, {
        burst: Math.max(1, Math.floor(limit.burstPerSecond * this.share)),
        steady: Math.max(1, Math.floor(limit.steadyPerMinute * this.share)),
        serverSteady: limit.steadyPerMinute,
        daily:
          limit.dailyCap === undefined ? undefined : Math.max(1, Math.floor(limit.dailyCap * this.share)),
      });
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private serverNow(clientNow: number): number {
    return clientNow + this.offsetMs;
  }

  /** How far after sending a request may still be counted by the server: a few observed round trips. */
  private arrivalSpreadMs(): number {
    if (this.recentRtts.length === 0) return 250;
    return Math.min(SECOND, 2 * Math.min(...this.recentRtts) + 20);
  }

  private checkDaily(bucket: Bucket, now: number): void {
    if (bucket.limit.daily === undefined) return;
    const day = Math.floor(this.serverNow(now) / DAY);
    if (bucket.daily.get(day) >= bucket.limit.daily) {
      throw new DailyCapExhausted(bucket.key, bucket.limit.daily, (day + 1) * DAY - this.offsetMs);
    }
  }

  /** Milliseconds until a request sent now fits every window it may land in, and which window holds it up. */
  private delayUntilRoom(bucket: Bucket, now: number): { delayMs: number; reason: WaitReason } {
    if (bucket.blockedUntil > now) return { delayMs: bucket.blockedUntil - now, reason: 'retry-after' };
    const from = this.serverNow(now);
    const to = from + this.arrivalSpreadMs();
    let delayMs = 0;
    let reason: WaitReason = 'burst-window';
    const check = (sizeMs: number, used: (index: number) => number, max: number, why: WaitReason): void => {
      for (const index of windowsTouched(from, to, sizeMs)) {
        if (used(index) < max) continue;
        const untilEnd = (index + 1) * sizeMs - from;
        if (untilEnd > delayMs) {
          delayMs = untilEnd;
          reason = why;
        }
      }
    };
    check(SECOND, (i) => bucket.burst.get(i), bucket.limit.burst, 'burst-window');
    check(MINUTE, (i) => bucket.steadyUsed(i), bucket.limit.steady, 'steady-window');
    return { delayMs, reason };
  }

  private record(bucket: Bucket, now: number): SendRecord {
    const from = now;
    const record: SendRecord = {
      from,
      to: from + this.arrivalSpreadMs(),
      day: Math.floor(this.serverNow(from) / DAY),
    };
    // Forget what can no longer touch a current window.
    const horizon = now - MINUTE - 2 * SECOND;
    if (bucket.records.length > 0 && bucket.records[0]!.to < horizon) {
      bucket.records = bucket.records.filter((r) => r.to >= horizon);
      bucket.burst.prune(Math.floor(this.serverNow(now) / SECOND) - 1);
      bucket.steady.prune(Math.floor(this.serverNow(now) / MINUTE) - 1);
      bucket.externalSteady.prune(Math.floor(this.serverNow(now) / MINUTE) - 1);
    }
    bucket.records.push(record);
    this.count(bucket, record, 1);
    bucket.daily.add(record.day, 1);
    bucket.daily.prune(record.day);
    return record;
  }

  private count(bucket: Bucket, record: SendRecord, delta: number): void {
    const from = this.serverNow(record.from);
    const to = this.serverNow(record.to);
    for (const i of windowsTouched(from, to, SECOND)) bucket.burst.add(i, delta);
    for (const i of windowsTouched(from, to, MINUTE)) bucket.steady.add(i, delta);
  }

  /** Re-derives every window count from the send records, after the server clock estimate moved. */
  private recount(): void {
    for (const bucket of this.buckets.values()) {
      bucket.burst.clear();
      bucket.steady.clear();
      for (const record of bucket.records) this.count(bucket, record, 1);
    }
  }

  private async pump(bucket: Bucket): Promise<void> {
    if (bucket.pumping) return;
    bucket.pumping = true;
    // Set when a freed slot woke this pump: if it cannot use the slot, it hands the wake-up on.
    let woken = false;
    const passOn = (): void => {
      if (woken && this.inFlight < this.maxInFlight) this.slotWaiters.shift()?.();
      woken = false;
    };
    try {
      while (bucket.queue.length > 0) {
        const now = this.clock.now();
        const { delayMs, reason } = this.delayUntilRoom(bucket, now);
        if (delayMs > 0) {
          passOn();
          this.onWait?.({ bucket: bucket.key, delayMs, reason });
          bucket.wake = new AbortController();
          await this.clock.sleep(delayMs, bucket.wake.signal).catch(() => undefined);
          bucket.wake = undefined;
          continue;
        }
        if (this.inFlight >= this.maxInFlight) {
          woken = false;
          await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
          woken = true;
          // Time has passed: the windows may have filled meanwhile.
          continue;
        }
        woken = false;
        const waiter = bucket.queue.shift()!;
        if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
        try {
          this.checkDaily(bucket, now);
        } catch (error) {
          waiter.reject(error);
          continue;
        }
        this.inFlight += 1;
        waiter.resolve(this.permit(bucket, now, this.record(bucket, now)));
      }
    } finally {
      passOn();
      bucket.pumping = false;
    }
  }

  private permit(bucket: Bucket, sentAt: number, record: SendRecord): Permit {
    let settled = false;
    return {
      sentAt,
      settle: (feedback) => {
        if (settled) return;
        settled = true;
        this.inFlight -= 1;
        this.slotWaiters.shift()?.();
        // Only what was done spends the daily budget: keep the reservation for successes alone. Counting failed
        // attempts would refuse work the server still allows; a real overrun shows as a long Retry-After.
        const succeeded = feedback !== undefined && feedback.status >= 200 && feedback.status < 300;
        if (!succeeded) bucket.daily.add(record.day, -1);
        if (feedback) this.learn(bucket, record, feedback);
      },
    };
  }

  private learn(bucket: Bucket, record: SendRecord, feedback: ServerFeedback): void {
    const rtt = Math.max(0, feedback.receivedAt - record.from);
    this.recentRtts.push(rtt);
    if (this.recentRtts.length > 20) this.recentRtts.shift();

    if (feedback.status === 429) {
      // The server turned it away: it used no window.
      const i = bucket.records.indexOf(record);
      if (i >= 0) {
        bucket.records.splice(i, 1);
        this.count(bucket, record, -1);
      }
      const waitMs = Math.max(0, feedback.retryAfterSeconds ?? 1) * SECOND;
      bucket.blockedUntil = Math.max(bucket.blockedUntil, feedback.receivedAt + waitMs);
      return;
    }
    // The request reached the server before its answer came back: narrow its possible arrival to that, which may
    // free a window it was counted in as a precaution (and wake the pump waiting for that window).
    if (feedback.receivedAt < record.to && bucket.records.includes(record)) {
      const touched = (): number =>
        windowsTouched(this.serverNow(record.from), this.serverNow(record.to), SECOND).length +
        windowsTouched(this.serverNow(record.from), this.serverNow(record.to), MINUTE).length;
      const before = touched();
      this.count(bucket, record, -1);
      record.to = Math.max(record.from, feedback.receivedAt);
      this.count(bucket, record, 1);
      if (touched() < before) bucket.wake?.abort();
    }
    this.learnClockOffset(record.from, feedback);
    // `RateLimit-Remaining` tells of requests we did not send (other integrations on the same account).
    if (feedback.remaining !== undefined) {
      const windows = windowsTouched(
        this.serverNow(record.from),
        this.serverNow(feedback.receivedAt),
        MINUTE,
      );
      if (windows.length === 1) {
        const window = windows[0]!;
        // What the server counted minus what we had sent by then (assumed to have arrived first).
        const ownBefore = bucket.records.filter(
          (r) =>
            r.from <= record.from &&
            windowsTouched(this.serverNow(r.from), this.serverNow(r.to), MINUTE).includes(window),
        ).length;
        const external = bucket.limit.serverSteady - feedback.remaining - ownBefore;
        if (external > bucket.externalSteady.get(window)) bucket.externalSteady.set(window, external);
      }
    }
  }

  /**
   * `RateLimit-Reset` says when the server's steady window ends. If that contradicts our model by more than the
   * header's one-second resolution allows, the server's clock is elsewhere: re-align our windows on it.
   */
  private learnClockOffset(sentAt: number, feedback: ServerFeedback): void {
    const reset = feedback.resetSeconds;
    if (reset === undefined || !Number.isFinite(reset) || reset < 0 || reset > 60) return;
    const earliestEnd = sentAt + (reset - 1) * SECOND;
    const latestEnd = feedback.receivedAt + (reset + 1) * SECOND;
    const serverSent = this.serverNow(sentAt);
    const modelEnd = (Math.floor(serverSent / MINUTE) + 1) * MINUTE - this.offsetMs;
    const modelEndAfter = modelEnd + MINUTE;
    if (modelEnd >= earliestEnd && modelEnd <= latestEnd) return;
    // Straddling a boundary: the answer may describe the next window.
    if (modelEndAfter >= earliestEnd && modelEndAfter <= latestEnd) return;
    const estimatedEnd = (sentAt + feedback.receivedAt) / 2 + reset * SECOND;
    let offset = (MINUTE - (estimatedEnd % MINUTE)) % MINUTE;
    if (offset > MINUTE / 2) offset -= MINUTE;
    this.offsetMs = offset;
    this.recount();
  }
}
