import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { FaultInjector } from '../../src/sandbox/faults.js';
import { api, fixture, KEY } from './helpers.js';

let sandbox: RunningSandbox;
afterEach(() => sandbox.close());

async function start(): Promise<RunningSandbox> {
  sandbox = await startSandbox({ enforceRateLimits: false });
  return sandbox;
}

const createList = (s: RunningSandbox): ReturnType<typeof api> =>
  api(s, 'POST', '/api/lists', fixture('list_create.json'));

describe('fault injection', () => {
  it('answers 429 with Retry-After before doing any work', async () => {
    const s = await start();
    s.setFaults({ rate429: 1 });
    const res = await createList(s);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(s.account(KEY).counts().lists).toBe(0);
  });

  it('answers 500 or 503 before doing any work', async () => {
    const s = await start();
    s.setFaults({ rate5xx: 1, seed: 7 });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await createList(s)).status);
    expect([...statuses].sort()).toEqual([500, 503]);
    expect(s.account(KEY).counts().lists).toBe(0);
  });

  it('drops the connection without an answer and without doing the work', async () => {
    const s = await start();
    s.setFaults({ rateDrop: 1 });
    await expect(createList(s)).rejects.toThrow();
    expect(s.account(KEY).counts().lists).toBe(0);
    expect(s.requestLog.at(-1)).toMatchObject({ outcome: 'dropped', fault: 'drop' });
  });

  it('does the work and then loses the answer', async () => {
    const s = await start();
    s.setFaults({ rateLostResponse: 1 });
    await expect(createList(s)).rejects.toThrow();
    expect(s.account(KEY).counts().lists).toBe(1);
    expect(s.requestLog.at(-1)).toMatchObject({ outcome: 'lost-response', operationId: 'create_list' });
  });

  it('hangs until the client gives up, and still closes cleanly', async () => {
    const s = await start();
    s.setFaults({ rateHang: 1 });
    const controller = new AbortController();
    const pending = fetch(`${s.url}/api/lists`, {
      headers: { authorization: `Klaviyo-API-Key ${KEY}`, revision: '2026-07-15' },
      signal: controller.signal,
    });
    await expect.poll(() => s.requestLog.at(-1)?.outcome).toBe('hung');
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const second = fetch(`${s.url}/api/lists`, {
      headers: { authorization: `Klaviyo-API-Key ${KEY}`, revision: '2026-07-15' },
    });
    await expect.poll(() => s.requestLog.length).toBe(2);
    await s.close();
    await expect(second).rejects.toThrow();
  });

  it('adds latency but still answers', async () => {
    const s = await start();
    s.setFaults({ latencyMs: 20 });
    expect((await createList(s)).status).toBe(201);
  });

  it('leaves paths outside /api alone', async () => {
    const s = await start();
    s.setFaults({ rateDrop: 1 });
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
  });

  it('draws the same faults for the same seed', () => {
    const config = { rate429: 0.2, rate5xx: 0.2, rateDrop: 0.2, seed: 42 };
    const kinds = (injector: FaultInjector): string[] =>
      Array.from({ length: 50 }, () => injector.next().kind);
    const first = kinds(new FaultInjector(config));
    expect(kinds(new FaultInjector(config))).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['none', 'throttle', 'server-error', 'drop']));
    expect(kinds(new FaultInjector({ ...config, seed: 43 }))).not.toEqual(first);
  });

  it('refuses rates outside 0..1 or adding up to more than 1', () => {
    expect(() => new FaultInjector({ rate429: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector({ rate429: 0.6, rate5xx: 0.6 })).toThrow(/add up/);
  });
});
