/** The SyncLedger contract, run against both implementations: the sync engine may use either. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSyncHistory } from '../../../src/sync/history/database.js';
import type { SyncLedger } from '../../../src/sync/history/ledger.js';
import { MemoryLedger } from '../../../src/sync/history/memory-ledger.js';
import { outcome, request } from './runs.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const implementations: [string, () => Promise<SyncLedger>][] = [
  ['MemoryLedger', async () => new MemoryLedger()],
  [
    'the history database',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kg-history-'));
      const ledger = await openSyncHistory(join(dir, '.klaviyo-gitops', 'sync.db'));
      cleanups.push(() => {
        ledger.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return ledger;
    },
  ],
];

describe.each(implementations)('%s', (_name, open) => {
  it('hands a crashed run its cursor and acknowledged batches, and marks it interrupted', async () => {
    const ledger = await open();
    const first = ledger.openRun(request());
    expect(first.resume).toBeUndefined();
    ledger.acknowledgeBatch(first.runId, {
      key: 'b1',
      items: 3,
      accepted: 3,
      failed: 0,
      cursor: { line: 40 },
    });

    const second = ledger.openRun(request({ invocationId: 'inv-2' }));
    expect(second.resume?.fromRunId).toBe(first.runId);
    expect(second.resume?.cursor).toEqual({ line: 40 });
    expect([...(second.resume?.acknowledged ?? [])]).toEqual(['b1']);
    expect(ledger.runs({ last: 2 }).map((r) => r.status)).toEqual(['running', 'interrupted']);
    expect(ledger.runs({ last: 1 })[0]?.resumedFrom).toBe(first.runId);
  });

  it('continues a stopped run with the batches it inherited, and keeps its status', async () => {
    const ledger = await open();
    const first = ledger.openRun(request());
    ledger.acknowledgeBatch(first.runId, {
      key: 'b1',
      items: 1,
      accepted: 1,
      failed: 0,
      cursor: { line: 2 },
    });
    ledger.finishRun(first.runId, outcome({ status: 'stopped' }));
    const second = ledger.openRun(request({ invocationId: 'inv-2' }));
    ledger.acknowledgeBatch(second.runId, {
      key: 'b2',
      items: 1,
      accepted: 1,
      failed: 0,
      cursor: { line: 4 },
    });
    ledger.finishRun(second.runId, outcome({ status: 'stopped' }));

    const third = ledger.openRun(request({ invocationId: 'inv-3' }));
    expect(third.resume?.fromRunId).toBe(second.runId);
    expect(third.resume?.cursor).toEqual({ line: 4 });
    expect([...(third.resume?.acknowledged ?? [])].sort()).toEqual(['b1', 'b2']);
    expect(ledger.runs().map((r) => r.status)).toEqual(['running', 'stopped', 'stopped']);
  });

  it('starts over after a finished run and keeps other streams apart', async () => {
    const ledger = await open();
    const run = ledger.openRun(request());
    ledger.recordFailures(run.runId, [{ item: 'a@example.com', code: 'invalid', detail: 'bad' }]);
    ledger.finishRun(
      run.runId,
      outcome({ status: 'partial', succeeded: 9, failed: 1, figures: { eventsAccepted: 9 } }),
    );
    expect(ledger.openRun(request()).resume).toBeUndefined();
    expect(ledger.openRun(request({ stream: 'profiles' })).resume).toBeUndefined();
    const [done] = ledger.runs({ stream: 'events' }).slice(-1);
    expect(done).toMatchObject({
      status: 'partial',
      durationMs: 5000,
      endedAt: '2026-12-01T00:00:05.000Z',
      records: 10,
      succeeded: 9,
      failed: 1,
      figures: { eventsAccepted: 9 },
      firstFailures: [{ item: 'a@example.com', code: 'invalid', detail: 'bad' }],
    });
  });

  it('answers the history query newest first, by brand, stream and count', async () => {
    const ledger = await open();
    const a = ledger.openRun(request());
    const b = ledger.openRun(request({ brand: 'solstice' }));
    const c = ledger.openRun(request({ stream: 'consent', source: 'shopify-customers' }));
    expect(ledger.runs().map((r) => r.runId)).toEqual([c.runId, b.runId, a.runId]);
    expect(ledger.runs({ brand: 'emberwick' }).map((r) => r.runId)).toEqual([c.runId, a.runId]);
    expect(ledger.runs({ brand: 'emberwick', stream: 'events' }).map((r) => r.runId)).toEqual([a.runId]);
    expect(ledger.runs({ last: 1 }).map((r) => r.runId)).toEqual([c.runId]);
    expect(ledger.runs()[2]).toMatchObject({
      invocationId: 'inv-1',
      direction: 'to-klaviyo',
      source: 'shopify-orders',
      startedAt: '2026-12-01T00:00:00.000Z',
      batches: 0,
    });
  });

  it('keeps the first five failures, oldest first, with their batch and pointer', async () => {
    const ledger = await open();
    const run = ledger.openRun(request());
    ledger.recordFailures(run.runId, [
      { batchKey: 'b1', item: 'e1', code: 'invalid', detail: 'd1', pointer: '/data/attributes/events/0' },
      { item: 'e2', code: 'invalid', detail: 'd2' },
    ]);
    ledger.recordFailures(
      run.runId,
      ['e3', 'e4', 'e5', 'e6'].map((item) => ({ item, code: 'x', detail: item })),
    );
    const [summary] = ledger.runs();
    expect(summary?.firstFailures.map((f) => f.item)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(summary?.failuresRecorded).toBe(6);
    expect(summary?.firstFailures[0]).toEqual({
      batchKey: 'b1',
      item: 'e1',
      code: 'invalid',
      detail: 'd1',
      pointer: '/data/attributes/events/0',
    });
  });

  it('counts every acknowledgement and keeps nested cursors and figures as given', async () => {
    const ledger = await open();
    const run = ledger.openRun(request());
    const cursor = { file: 'orders.csv', line: 7, done: ['a', 'b'], extra: null };
    ledger.acknowledgeBatch(run.runId, {
      key: 'b1',
      items: 2,
      accepted: 2,
      failed: 0,
      jobId: 'job-1',
      cursor,
    });
    ledger.acknowledgeBatch(run.runId, { key: 'b2', items: 2, accepted: 1, failed: 1, cursor });
    ledger.finishRun(
      run.runId,
      outcome({ status: 'stopped', figures: { skipped: { 'no-consent': 3 }, ok: true } }),
    );
    const next = ledger.openRun(request());
    expect(next.resume?.cursor).toEqual(cursor);
    expect(ledger.runs()[1]).toMatchObject({
      batches: 2,
      figures: { skipped: { 'no-consent': 3 }, ok: true },
    });
  });

  it('refuses a run id it never gave', async () => {
    const ledger = await open();
    expect(() => ledger.finishRun('run-999', outcome())).toThrow(/no sync run run-999/);
  });
});
