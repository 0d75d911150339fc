/**
 * Klaviyo's rate limits: per account and per operation, a 1 s burst window and a 1 min steady window, both
 * fixed and aligned on the clock, plus a daily cap per calendar day (UTC) for some operations.
 */
import type { RateLimit } from '../klaviyo/spec/index.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

interface Counters {
  second: number;
  secondCount: number;
  minute: number;
  minuteCount: number;
  day: number;
  dayCount: number;
}

export type Admission =
  | { kind: 'admitted'; headers: Record<string, string> }
  | { kind: 'throttled'; retryAfterSeconds: number; window: 'burst' | 'steady' | 'daily' };

function secondsUntil(boundaryMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((boundaryMs - nowMs) / SECOND));
}

export class RateLimiter {
  private readonly counters = new Map<string, Counters>();

  constructor(private readonly enforce: boolean) {}

  /** Counts a request against the burst and steady windows, or says how long to wait. */
  admit(accountId: string, operationId: string, limit: RateLimit, nowMs: number): Admission {
    const c = this.current(accountId, operationId, nowMs);
    if (this.enforce) {
      if (limit.dailyCap !== undefined && c.dayCount >= limit.dailyCap)
        return {
          kind: 'throttled',
          window: 'daily',
          retryAfterSeconds: secondsUntil((c.day + 1) * DAY, nowMs),
        };
      if (c.minuteCount >= limit.steadyPerMinute)
        return {
          kind: 'throttled',
          window: 'steady',
          retryAfterSeconds: secondsUntil((c.minute + 1) * MINUTE, nowMs),
        };
      if (c.secondCount >= limit.burstPerSecond)
        return {
          kind: 'throttled',
          window: 'burst',
          retryAfterSeconds: secondsUntil((c.second + 1) * SECOND, nowMs),
        };
    }
    c.secondCount += 1;
    c.minuteCount += 1;
    return {
      kind: 'admitted',
      headers: {
        'RateLimit-Limit': String(limit.steadyPerMinute),
        'RateLimit-Remaining': String(Math.max(0, limit.steadyPerMinute - c.minuteCount)),
        'RateLimit-Reset': String(Math.max(0, Math.ceil(((c.minute + 1) * MINUTE - nowMs) / SECOND))),
      },
    };
  }

  /** The daily cap counts what was done: only successful calls spend it. */
  recordSuccess(accountId: string, operationId: string, nowMs: number): void {
    this.current(accountId, operationId, nowMs).dayCount += 1;
  }

  private current(accountId: string, operationId: string, nowMs: number): Counters {
    const key = `${accountId}\u0000${operationId}`;
    const second = Math.floor(nowMs / SECOND);
    const minute = Math.floor(nowMs / MINUTE);
    const day = Math.floor(nowMs / DAY);
    let c = this.counters.get(key);
    if (!c) {
      c = { second, secondCount: 0, minute, minuteCount: 0, day, dayCount: 0 };
      this.counters.set(key, c);
    }
    if (c.second !== second) [c.second, c.secondCount] = [second, 0];
    if (c.minute !== minute) [c.minute, c.minuteCount] = [minute, 0];
    if (c.day !== day) [c.day, c.dayCount] = [day, 0];
    return c;
  }
}
