import type { Clock } from './clock.js';
import { Bucket, DAY, MINUTE, SECOND, windowsBetween, type SendRecord, type Waiter } from './rate-bucket.js';

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

/**
 * Paces requests of one account so they fit Klaviyo's fixed 1 s and 1 min windows and daily caps.
 *
 * Each bucket keeps a FIFO queue: callers are served in arrival order, one pump per bucket grants a slot as soon
 * as both windows have room, and sleeps until the earliest window boundary otherwise (no polling, no thundering
 * herd). Windows are aligned on the server's clock as estimated from `RateLimit-Reset`.
 *
 * The server counts a request when it arrives, which the client cannot see; it only knows the request arrived
 * between sending it and getting its answer. So an unanswered request is counted in its send window and every
 * later one it may still land in, until its answer comes back; then in exactly the windows of [sent, answered].
 * A request about to be sent is checked against every window it may land in, up to the slowest recent round
 * trip later.
 */
export class AccountRateLimiter {
  private readonly buckets = new Map<string, Bucket<Permit>>();
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
      const waiter: Waiter<Permit> = { resolve, reject, signal, onAbort: undefined };
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

  /** Requests of `key` counted in the current steady window, as this client sees it (for tests and logs). */
  steadyCount(key: string): number {
    const bucket = this.buckets.get(key);
    return bucket ? this.steadyUsed(bucket, this.window(this.clock.now(), MINUTE)) : 0;
  }

  private bucket(key: string, limit: BucketLimit): Bucket<Permit> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket<Permit>(key, {
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

  /** The server's window index of `sizeMs` at client time `t`. */
  private window(t: number, sizeMs: number): number {
    return Math.floor((t + this.offsetMs) / sizeMs);
  }

  /** The windows an answered request may have been counted in. */
  private windowsOf(record: SendRecord, sizeMs: number): number[] {
    return windowsBetween(record.from + this.offsetMs, (record.to ?? record.from) + this.offsetMs, sizeMs);
  }

  /** Unanswered requests that may land in window `index`: sent in it, or before it but within the horizon. */
  private pendingIn(bucket: Bucket<Permit>, index: number, sizeMs: number): number {
    const horizon = this.arrivalHorizonMs();
    let n = 0;
    for (const record of bucket.pending) {
      if (this.window(record.from, sizeMs) <= index && this.window(record.from + horizon, sizeMs) >= index)
        n += 1;
    }
    return n;
  }

  private burstUsed(bucket: Bucket<Permit>, index: number): number {
    return bucket.burst.get(index) + this.pendingIn(bucket, index, SECOND);
  }

  /** Steady-window use against this client's share: its own use, or the account's, whichever is tighter. */
  private steadyUsed(bucket: Bucket<Permit>, index: number): number {
    const own = bucket.steady.get(index) + this.pendingIn(bucket, index, MINUTE);
    const account = own + bucket.externalSteady.get(index);
    return Math.max(own, account - (bucket.limit.serverSteady - bucket.limit.steady));
  }

  /** How long after sending a request the server may count it: the slowest recent round trip. */
  private arrivalSpreadMs(): number {
    if (this.recentRtts.length === 0) return 250;
    return Math.min(2 * SECOND, Math.max(...this.recentRtts) + 10);
  }

  /**
   * The latest a request can reach the server, however long its answer takes: twice the slowest recent round
   * trip, at least 2 s (a stalled server event loop), at most 10 s. A request not answered by then arrived long
   * ago or never; it stops holding later windows, so one hung call does not stall its operation until timeout.
   */
  private arrivalHorizonMs(): number {
    const slowest = this.recentRtts.length === 0 ? 0 : Math.max(...this.recentRtts);
    return Math.min(10 * SECOND, Math.max(2 * SECOND, 2 * slowest));
  }

  private checkDaily(bucket: Bucket<Permit>, now: number): void {
    if (bucket.limit.daily === undefined) return;
    const day = this.window(now, DAY);
    if (bucket.daily.get(day) >= bucket.limit.daily) {
      throw new DailyCapExhausted(bucket.key, bucket.limit.daily, (day + 1) * DAY - this.offsetMs);
    }
  }

  /** Milliseconds until a request sent now fits every window it may land in, and which window holds it up. */
  private delayUntilRoom(bucket: Bucket<Permit>, now: number): { delayMs: number; reason: WaitReason } {
    if (bucket.blockedUntil > now) return { delayMs: bucket.blockedUntil - now, reason: 'retry-after' };
    const from = now + this.offsetMs;
    const to = from + this.arrivalSpreadMs();
    let delayMs = 0;
    let reason: WaitReason = 'burst-window';
    const check = (sizeMs: number, used: (index: number) => number, max: number, why: WaitReason): void => {
      for (const index of windowsBetween(from, to, sizeMs)) {
        if (used(index) < max) continue;
        const untilEnd = (index + 1) * sizeMs - from;
        if (untilEnd > delayMs) {
          delayMs = untilEnd;
          reason = why;
        }
      }
    };
    check(SECOND, (i) => this.burstUsed(bucket, i), bucket.limit.burst, 'burst-window');
    check(MINUTE, (i) => this.steadyUsed(bucket, i), bucket.limit.steady, 'steady-window');
    return { delayMs, reason };
  }

  private record(bucket: Bucket<Permit>, now: number): SendRecord {
    const record: SendRecord = { from: now, to: undefined, day: this.window(now, DAY) };
    // Forget answered requests that can no longer touch a current window.
    const horizon = now - MINUTE - 2 * SECOND;
    if (bucket.records.some((r) => r.to !== undefined && r.to < horizon)) {
      bucket.records = bucket.records.filter((r) => r.to === undefined || r.to >= horizon);
      bucket.burst.prune(this.window(now, SECOND) - 1);
      bucket.steady.prune(this.window(now, MINUTE) - 1);
      bucket.externalSteady.prune(this.window(now, MINUTE) - 1);
    }
    bucket.records.push(record);
    bucket.pending.add(record);
    bucket.daily.add(record.day, 1);
    bucket.daily.prune(record.day);
    return record;
  }

  private count(bucket: Bucket<Permit>, record: SendRecord, delta: number): void {
    for (const i of this.windowsOf(record, SECOND)) bucket.burst.add(i, delta);
    for (const i of this.windowsOf(record, MINUTE)) bucket.steady.add(i, delta);
  }

  /** Re-derives the window counts of answered requests, after the server clock estimate moved. */
  private recount(): void {
    for (const bucket of this.buckets.values()) {
      bucket.burst.clear();
      bucket.steady.clear();
      for (const record of bucket.records) if (record.to !== undefined) this.count(bucket, record, 1);
    }
  }

  private async pump(bucket: Bucket<Permit>): Promise<void> {
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
          if (Math.abs(now + delayMs - bucket.lastWaitUntil) > 1) {
            bucket.lastWaitUntil = now + delayMs;
            this.onWait?.({ bucket: bucket.key, delayMs, reason });
          }
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

  private permit(bucket: Bucket<Permit>, sentAt: number, record: SendRecord): Permit {
    let settled = false;
    return {
      sentAt,
      settle: (feedback) => {
        if (settled) return;
        settled = true;
        this.inFlight -= 1;
        this.slotWaiters.shift()?.();
        this.settle(bucket, record, feedback);
        // The answer may have freed a window the pump is waiting on.
        if (bucket.queue.length > 0) bucket.wake?.abort();
      },
    };
  }

  private settle(bucket: Bucket<Permit>, record: SendRecord, feedback: ServerFeedback | undefined): void {
    bucket.pending.delete(record);
    // Only what was done spends the daily budget: keep the reservation for successes alone. Counting failed
    // attempts would refuse work the server still allows; a real overrun shows as a long Retry-After.
    const succeeded = feedback !== undefined && feedback.status >= 200 && feedback.status < 300;
    if (!succeeded) bucket.daily.add(record.day, -1);

    if (feedback?.status === 429) {
      // The server turned it away: it used no window.
      bucket.records = bucket.records.filter((r) => r !== record);
      const waitMs = Math.max(0, feedback.retryAfterSeconds ?? 1) * SECOND;
      bucket.blockedUntil = Math.max(bucket.blockedUntil, feedback.receivedAt + waitMs);
    } else {
      // It arrived somewhere between sending and the answer (or the failure, when no answer came), and within
      // the arrival horizon.
      const answeredAt = feedback?.receivedAt ?? this.clock.now();
      record.to = Math.max(record.from, Math.min(answeredAt, record.from + this.arrivalHorizonMs()));
      this.count(bucket, record, 1);
    }
    if (!feedback) return;

    this.recentRtts.push(Math.max(0, feedback.receivedAt - record.from));
    if (this.recentRtts.length > 20) this.recentRtts.shift();
    if (feedback.status === 429) return;
    this.learnClockOffset(record.from, feedback);
    this.learnExternalUse(bucket, record, feedback);
  }

  /** `RateLimit-Remaining` tells of requests we did not send (other integrations on the same account). */
  private learnExternalUse(bucket: Bucket<Permit>, record: SendRecord, feedback: ServerFeedback): void {
    if (feedback.remaining === undefined) return;
    const windows = this.windowsOf(record, MINUTE);
    if (windows.length !== 1) return;
    const window = windows[0]!;
    // What the server counted minus what we had sent by then (assumed to have arrived first).
    let ownBefore = 0;
    for (const r of bucket.records) {
      if (r.from > record.from) continue;
      const touches =
        r.to === undefined
          ? this.window(r.from, MINUTE) <= window &&
            this.window(r.from + this.arrivalHorizonMs(), MINUTE) >= window
          : this.windowsOf(r, MINUTE).includes(window);
      if (touches) ownBefore += 1;
    }
    const external = bucket.limit.serverSteady - feedback.remaining - ownBefore;
    if (external > bucket.externalSteady.get(window)) bucket.externalSteady.set(window, external);
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
    const modelEnd = (this.window(sentAt, MINUTE) + 1) * MINUTE - this.offsetMs;
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
