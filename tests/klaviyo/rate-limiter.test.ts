import { describe, expect, it } from 'vitest';
import { AccountRateLimiter, type BucketLimit, type WaitReason } from '../../src/klaviyo/index.js';
import { DailyCapExhausted } from '../../src/klaviyo/transport/rate-limiter.js';
import { FakeClock } from './helpers/fake-clock.js';
import { busiestWindow, greedySchedule } from './helpers/windows.js';

const XS_DAILY: BucketLimit = { burstPerSecond: 1, steadyPerMinute: 15, dailyCap: 100 };
const L_TIER: BucketLimit = { burstPerSecond: 75, steadyPerMinute: 750 };
const S_TIER: BucketLimit = { burstPerSecond: 3, steadyPerMinute: 60 };

/** Acquires `n` slots at once and settles each immediately, as a zero-latency server would; returns send times. */
async function sendAll(
  limiter: AccountRateLimiter,
  clock: FakeClock,
  key: string,
  limit: BucketLimit,
  n: number,
) {
  const times = await Promise.all(
    Array.from({ length: n }, async () => {
      const permit = await limiter.acquire(key, limit);
      permit.settle({ status: 200, receivedAt: clock.now() });
      return permit.sentAt;
    }),
  );
  return times;
}

describe('AccountRateLimiter', () => {
  it('sends a 1/s, 15/min operation on the earliest schedule fixed windows allow, never overfilling a window', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 20, 12, 0, 10, 300));
    const limiter = new AccountRateLimiter({ clock });
    const times = await sendAll(limiter, clock, 'update_segment', XS_DAILY, 30);

    expect(busiestWindow(times, 1000)).toBe(1);
    expect(busiestWindow(times, 60_000)).toBe(15);
    expect(times).toEqual(greedySchedule(Date.UTC(2026, 6, 20, 12, 0, 10, 300), 30, 1, 15));
    // The 16th request waits for the next minute, not 4 s per request.
    expect(times[15]).toBe(Date.UTC(2026, 6, 20, 12, 1, 0));
  });

  it('fills each burst second of a large tier before moving to the next', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const times = await sendAll(limiter, clock, 'create_template', L_TIER, 200);

    expect(busiestWindow(times, 1000)).toBe(75);
    expect(times.filter((t) => t < start + 1000)).toHaveLength(75);
    expect(times.filter((t) => t >= start + 1000 && t < start + 2000)).toHaveLength(75);
    expect(times.at(-1)).toBe(start + 2000);
  });

  it('serves concurrent callers of one operation in the order they asked', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ clock });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const permit = await limiter.acquire('update_flow', S_TIER);
        order.push(i);
        permit.settle({ status: 200, receivedAt: clock.now() });
      }),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('keeps operations independent: a saturated operation does not delay another', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const slow = sendAll(limiter, clock, 'update_segment', XS_DAILY, 5);
    const fast = await sendAll(limiter, clock, 'get_templates', L_TIER, 10);
    expect(Math.max(...fast)).toBe(start);
    expect(Math.max(...(await slow))).toBe(start + 4000);
  });

  it('sleeps until the blocking window ends and says which window it waits for', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 20, 12, 0, 0));
    const waits: Array<{ delayMs: number; reason: WaitReason }> = [];
    const limiter = new AccountRateLimiter({
      clock,
      onWait: ({ delayMs, reason }) => waits.push({ delayMs, reason }),
    });
    await sendAll(limiter, clock, 'create_flow', XS_DAILY, 16);
    expect(waits.filter((w) => w.reason === 'burst-window')).toHaveLength(14);
    expect(waits.filter((w) => w.reason === 'steady-window')).toEqual([
      { delayMs: 46_000, reason: 'steady-window' },
    ]);
  });

  it('holds the whole operation for Retry-After seconds after a 429', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('get_flows', S_TIER);
    first.settle({ status: 429, receivedAt: start, retryAfterSeconds: 7 });
    const next = await limiter.acquire('get_flows', S_TIER);
    expect(next.sentAt).toBe(start + 7000);
  });

  it('respects RateLimit-Remaining when another integration used part of the steady window', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('get_flows', S_TIER);
    // Someone else already sent 57 requests this minute: 2 left after ours.
    first.settle({ status: 200, receivedAt: start, remaining: 2, resetSeconds: 60 });
    const times = await sendAll(limiter, clock, 'get_flows', S_TIER, 3);
    expect(times).toEqual([start, start, start + 60_000]);
  });

  it('re-aligns its windows when RateLimit-Reset shows the server clock is elsewhere', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('update_segment', XS_DAILY);
    // Our minute just began, yet the server says its window resets in 20 s: it runs 40 s ahead.
    first.settle({ status: 200, receivedAt: start, remaining: 14, resetSeconds: 20 });
    // Server windows are 40 s (equivalently -20 s) out of phase with ours.
    expect(((limiter.serverClockOffsetMs % 60_000) + 60_000) % 60_000).toBe(40_000);
    const times = await sendAll(limiter, clock, 'update_segment', XS_DAILY, 15);
    // 14 more fit the server's current minute, which ends at start + 20 s; the 15th waits for the next one.
    expect(times.filter((t) => t < start + 20_000)).toHaveLength(14);
    expect(times.at(-1)).toBe(start + 20_000);
  });

  it('counts an unanswered request in every window it may still land in, until its answer comes', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0, 990);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('update_segment', XS_DAILY); // unanswered: may land in second 0, 1, 2...
    const second = limiter.acquire('update_segment', XS_DAILY);
    await clock.sleep(1500);
    // The answer shows it landed in second 0; second 1 is free again.
    first.settle({ status: 200, receivedAt: start + 5 });
    expect((await second).sentAt).toBe(start + 1500);
  });

  it('stops holding windows for a request that is unanswered past the arrival horizon', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    await limiter.acquire('update_segment', XS_DAILY); // hangs: never answered
    const next = await limiter.acquire('update_segment', XS_DAILY);
    // It may have landed within 2 s of sending, not later: second 3 is free.
    expect(next.sentAt).toBe(start + 3000);
  });

  it('frees the next window once the answer shows the request landed before the boundary', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0, 990);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('update_segment', XS_DAILY);
    const next = limiter.acquire('update_segment', XS_DAILY);
    clock.advance(5);
    first.settle({ status: 200, receivedAt: clock.now() });
    expect((await next).sentAt).toBe(start + 10);
  });

  it('rejects at once, without waiting, when the daily cap is used up', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 20, 12, 0, 0));
    const limiter = new AccountRateLimiter({ clock });
    const tiny: BucketLimit = { burstPerSecond: 10, steadyPerMinute: 100, dailyCap: 3 };
    await sendAll(limiter, clock, 'upload_image_from_url', tiny, 3);
    const before = clock.now();
    await expect(limiter.acquire('upload_image_from_url', tiny)).rejects.toBeInstanceOf(DailyCapExhausted);
    expect(clock.now()).toBe(before);
  });

  it('uses only its share of each window', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock, share: 0.5 });
    const times = await sendAll(limiter, clock, 'get_templates', L_TIER, 100);
    expect(busiestWindow(times, 1000)).toBe(37);
  });

  it('drops a caller that gives up while queued, and serves the rest', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ clock });
    const first = await limiter.acquire('create_flow', XS_DAILY);
    first.settle({ status: 200, receivedAt: clock.now() });
    const controller = new AbortController();
    const abandoned = limiter.acquire('create_flow', XS_DAILY, controller.signal);
    const kept = limiter.acquire('create_flow', XS_DAILY);
    controller.abort(new Error('caller gave up'));
    await expect(abandoned).rejects.toThrow('caller gave up');
    const permit = await kept;
    expect(permit.sentAt).toBe(first.sentAt + 1000);
  });

  it('caps requests in flight, granting the next slot when one settles', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ clock, maxInFlight: 2 });
    const first = await limiter.acquire('get_templates', L_TIER);
    await limiter.acquire('get_templates', L_TIER);
    let thirdGranted = false;
    const third = limiter.acquire('get_templates', L_TIER).then(() => (thirdGranted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdGranted).toBe(false);
    first.settle({ status: 200, receivedAt: clock.now() });
    await third;
    expect(thirdGranted).toBe(true);
  });

  it('lets a request waiting for its rate window hold no slot, so other operations pass', async () => {
    const start = Date.UTC(2026, 6, 20, 12, 0, 0);
    const clock = new FakeClock(start);
    const limiter = new AccountRateLimiter({ clock, maxInFlight: 1 });
    const slowA = await limiter.acquire('update_segment', XS_DAILY);
    slowA.settle({ status: 200, receivedAt: start });
    const slowB = limiter.acquire('update_segment', XS_DAILY); // waits a second for its window
    const fast = await limiter.acquire('get_templates', L_TIER);
    expect(fast.sentAt).toBe(start);
    fast.settle({ status: 200, receivedAt: start });
    expect((await slowB).sentAt).toBe(start + 1000);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new AccountRateLimiter({ clock: new FakeClock(), share: 0 })).toThrow(RangeError);
    expect(() => new AccountRateLimiter({ clock: new FakeClock(), share: 1.5 })).toThrow(RangeError);
  });
});
