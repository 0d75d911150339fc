/**
 * apply under injected faults: 10% of requests fail, spread evenly over every kind a client meets — 429, 5xx,
 * a request that never answers, a dropped connection, and an answer lost after the write was done. apply must
 * converge (re-running it when a run ends with a failure), and a create whose answer was lost must be found by
 * its marker, never made twice.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editNorth, FIXTURE, prepareNorth } from './edits.js';
import { allObjectsPerKey, objectsPerKey, openWorkspace, readJsonLines, type Workspace } from './harness.js';

const RATE = 0.1;

/** Runs apply until it succeeds (at most `runs` times) and returns the exit codes. */
async function applyUntilDone(ws: Workspace, runs: number, allowDestroy = false): Promise<number[]> {
  const codes: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const outcome = await ws.apply({ allowDestroy }).catch(() => ({ exitCode: -1 }));
    codes.push(outcome.exitCode);
    if (outcome.exitCode === 0) break;
  }
  return codes;
}

describe('apply with 10% injected faults of every kind', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('converges on creates, updates, a replace and a delete with exactly one object per key', async () => {
    // Timeout 20 s of virtual time (one real second): hung requests time out and are retried or looked up.
    ws = await openWorkspace(FIXTURE, { timeoutMs: 20_000 });
    await prepareNorth(ws.dir);
    const share = RATE / 5;
    ws.sandbox.setFaults({
      rate429: share,
      rate5xx: share,
      rateHang: share,
      rateDrop: share,
      rateLostResponse: share,
      seed: 11,
    });

    expect((await applyUntilDone(ws, 5)).at(-1)).toBe(0);
    const firstVip = Object.values(ws.account('north').flows).find((f) => f.name.endsWith('[kg:vip]'))!.id;
    await editNorth(ws.dir);
    expect((await applyUntilDone(ws, 5, true)).at(-1)).toBe(0);

    const faults = ws.sandbox.requestLog.filter((e) => e.fault !== undefined);
    expect(faults.length).toBeGreaterThanOrEqual(10);

    ws.sandbox.setFaults({});
    expect((await ws.plan({ detailedExitcode: true })).exitCode).toBe(0);
    for (const brand of ws.brands) {
      const account = ws.account(brand.brand);
      const live = objectsPerKey(account);
      expect(Object.entries(live).filter(([, n]) => n !== 1)).toEqual([]);
      expect(Object.keys(live)).toHaveLength(brand.brand === 'north' ? 12 : 4);
      // Everything ever created: one per key, but the flow that was replaced (kept in draft, detached).
      const all = allObjectsPerKey(account);
      const extra = Object.entries(all).filter(([, n]) => n !== 1);
      expect(extra).toEqual(brand.brand === 'north' ? [['flow:vip', 2]] : []);
      if (brand.brand === 'north') expect(account.flows[firstVip]!.status).toBe('draft');
    }

    // Creates whose answer was lost were found by their marker, and the log says so.
    const log = await readJsonLines(join(ws.cwd, 'logs/activity.log'));
    const lostCreates = faults.filter(
      (e) =>
        e.outcome === 'lost-response' &&
        e.method === 'POST' &&
        /^\/api\/(lists|segments|templates|flows)$/.test(e.path),
    );
    expect(log.filter((e) => e.outcome === 'reconciled').length).toBeGreaterThanOrEqual(
      Math.min(1, lostCreates.length),
    );
  }, 120_000);
});
