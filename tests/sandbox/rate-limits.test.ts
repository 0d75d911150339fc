import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { RateLimiter } from '../../src/sandbox/rate-limits.js';
import { api, fakeClock } from './helpers.js';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function segmentBody(name: string): unknown {
  const condition = { type: 'profile-region', in_region: true, region: 'united_states' };
  return {
    data: {
      type: 'segment',
      attributes: { name, definition: { condition_groups: [{ conditions: [condition] }] } },
    },
  };
}

describe('rate limits over HTTP', () => {
  it('answers 429 with Retry-After and no RateLimit headers once the burst window is spent', async () => {
    const clock = fakeClock(Date.parse('2026-08-03T10:00:00.200Z'));
    sandbox = await startSandbox({ clock });
    // get_accounts is XS: 1/s burst, 15/m steady.
    const first = await api(sandbox, 'GET', '/api/accounts');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('15');
    expect(first.headers.get('ratelimit-remaining')).toBe('14');
    expect(first.headers.get('ratelimit-reset')).toBe('60');
    const second = await api(sandbox, 'GET', '/api/accounts');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.headers.get('ratelimit-limit')).toBeNull();
    expect(second.body.errors[0].code).toBe('throttled');
    clock.advance(800); // the next second window
    expect((await api(sandbox, 'GET', '/api/accounts')).status).toBe(200);
  });

  it('throttles on the steady window until the minute resets, and counts per operation and per account', async () => {
    const clock = fakeClock(Date.parse('2026-08-03T10:00:00Z'));
    sandbox = await startSandbox({ clock });
    for (let i = 0; i < 15; i++) {
      expect((await api(sandbox, 'GET', '/api/accounts')).status).toBe(200);
      clock.advance(1000);
    }
    const throttled = await api(sandbox, 'GET', '/api/accounts');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('45'); // at 10:00:15, the minute resets at 10:01:00
    expect((await api(sandbox, 'GET', '/api/accounts', undefined, { key: 'pk_other_account' })).status).toBe(
      200,
    );
    expect((await api(sandbox, 'GET', '/api/lists')).status).toBe(200);
    clock.set(Date.parse('2026-08-03T10:01:00Z'));
    expect((await api(sandbox, 'GET', '/api/accounts')).status).toBe(200);
  });

  it('enforces the daily cap of create_segment (100/day) until the next calendar day', async () => {
    const clock = fakeClock(Date.parse('2026-08-03T08:00:00Z'));
    sandbox = await startSandbox({ clock });
    for (let i = 0; i < 100; i++) {
      const res = await api(sandbox, 'POST', '/api/segments', segmentBody(`s${i}`));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      clock.advance(60_000); // one per minute stays inside 1/s and 15/m
    }
    const capped = await api(sandbox, 'POST', '/api/segments', segmentBody('one too many'));
    expect(capped.status).toBe(429);
    // 08:00 + 100 min = 09:40; the day ends at 24:00 -> 14h20m.
    expect(capped.headers.get('retry-after')).toBe(String(14 * 3600 + 20 * 60));
    clock.set(Date.parse('2026-08-04T00:00:00Z'));
    expect((await api(sandbox, 'POST', '/api/segments', segmentBody('tomorrow'))).status).toBe(201);
  });

  it('does not throttle when rate limits are switched off', async () => {
    sandbox = await startSandbox({ enforceRateLimits: false, clock: fakeClock() });
    for (let i = 0; i < 5; i++) expect((await api(sandbox, 'GET', '/api/accounts')).status).toBe(200);
  });
});

describe('RateLimiter windows', () => {
  const limit = { burstPerSecond: 2, steadyPerMinute: 3, dailyCap: 4 };

  it('aligns windows on the clock rather than on the first request', () => {
    const limiter = new RateLimiter(true);
    const t = Date.parse('2026-08-03T10:00:00.900Z');
    expect(limiter.admit('A', 'op', limit, t).kind).toBe('admitted');
    expect(limiter.admit('A', 'op', limit, t).kind).toBe('admitted');
    expect(limiter.admit('A', 'op', limit, t + 50)).toEqual({
      kind: 'throttled',
      window: 'burst',
      retryAfterSeconds: 1,
    });
    expect(limiter.admit('A', 'op', limit, t + 100).kind).toBe('admitted'); // 10:00:01.000 is a new second
  });

  it('spends the daily cap only on successful calls', () => {
    const limiter = new RateLimiter(true);
    let t = Date.parse('2026-08-03T10:00:00Z');
    for (let i = 0; i < 4; i++) {
      expect(limiter.admit('A', 'op', limit, t).kind).toBe('admitted');
      limiter.recordSuccess('A', 'op', t);
      t += 60_000;
    }
    expect(limiter.admit('A', 'op', limit, t)).toMatchObject({ kind: 'throttled', window: 'daily' });
  });
});
