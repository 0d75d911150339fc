/**
 * The pacing of apply's progress lines, on a clock the test moves by hand: at most one line per 2 s, a line
 * at once when a long rate-limit wait starts, a heartbeat when nothing was said for 5 s, and a final count.
 */
import { describe, expect, it } from 'vitest';
import { ApplyProgressReporter } from '../../../src/engine/apply/progress.js';
import type { Clock, KlaviyoClientEvent } from '../../../src/klaviyo/index.js';

/** Time moves only when the test says so; sleepers wake as it passes them. */
function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 0;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(signal!.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push({
          at: now + ms,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        });
      }),
    async advance(ms) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + 100);
        for (const sleeper of sleepers.filter((s) => s.at <= now)) {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          sleeper.wake();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

const call = { operationId: 'update_segment', method: 'PATCH', path: '/api/segments/S1' };
const retry503: KlaviyoClientEvent = {
  type: 'retry',
  ...call,
  attempt: 1,
  reason: 'server-error',
  delayMs: 400,
  status: 503,
};
const flowWait = (delayMs: number): KlaviyoClientEvent => ({
  type: 'wait',
  bucket: 'create_flow',
  delayMs,
  reason: 'steady-window',
});
const segmentWait: KlaviyoClientEvent = {
  type: 'wait',
  bucket: 'create_segment',
  delayMs: 3_000,
  reason: 'burst-window',
};

describe('apply progress lines', () => {
  it('says the count at most every 2 s, long waits when they start, something every 5 s, and a final count', async () => {
    const clock = manualClock();
    const lines: Array<[number, string]> = [];
    const progress = new ApplyProgressReporter({
      brand: 'north',
      clock,
      report: (line) => lines.push([clock.now(), line]),
    });
    progress.onProgress({ total: 40, done: 0, failed: 0, skipped: 0 });
    await clock.advance(500);
    progress.onProgress({ total: 40, done: 1, failed: 0, skipped: 0 });
    progress.onClientEvent(flowWait(900)); // short: said with the next line, if still running
    await clock.advance(100);
    progress.onClientEvent(flowWait(8_000));
    progress.onClientEvent(flowWait(7_950)); // the same wait, for the next request in the queue
    await clock.advance(100);
    progress.onClientEvent(segmentWait); // another bucket: said at once
    await clock.advance(100);
    progress.onClientEvent(segmentWait); // named by the last line
    await clock.advance(1_900);
    progress.onClientEvent(retry503);
    progress.onProgress({ total: 40, done: 12, failed: 0, skipped: 0 });
    await clock.advance(11_000);
    progress.onProgress({ total: 40, done: 38, failed: 1, skipped: 0 }); // 700 ms after the heartbeat: not said
    progress.onProgress({ total: 40, done: 38, failed: 1, skipped: 1 });
    progress.finish();
    await clock.advance(10_000); // the heartbeat has stopped

    expect(lines).toEqual([
      [0, 'apply brand north: 0/40 done'],
      [600, 'apply brand north: 1/40 done, waiting 8 s on the rate limit of create_flow'],
      [700, 'apply brand north: 1/40 done, waiting 3 s on the rate limit of create_segment'],
      [
        2_700,
        'apply brand north: 1/40 done, waiting 6 s on the rate limit of create_flow, retrying update_segment after a 503 (attempt 2)',
      ],
      // Heartbeats (the clock ticks each second from the start): 5 s and more after the last line.
      [8_000, 'apply brand north: 12/40 done, waiting 1 s on the rate limit of create_flow'],
      [13_000, 'apply brand north: 12/40 done'],
      [13_700, 'apply brand north: 38/40 done, 1 failed, 1 skipped (after 1 retry)'],
    ]);
  });

  it('says nothing for a brand with nothing to apply', async () => {
    const clock = manualClock();
    const lines: string[] = [];
    const progress = new ApplyProgressReporter({ brand: 'south', clock, report: (line) => lines.push(line) });
    progress.onProgress({ total: 0, done: 0, failed: 0, skipped: 0 });
    await clock.advance(10_000);
    progress.finish();
    expect(lines).toEqual([]);
  });
});
