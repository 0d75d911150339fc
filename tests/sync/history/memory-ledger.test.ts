import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/sync/history/memory-ledger.js';
import type { OpenRunRequest } from '../../../src/sync/history/ledger.js';

const request = (over: Partial<OpenRunRequest> = {}): OpenRunRequest => ({
  brand: 'emberwick',
  source: 'shopify-orders',
  stream: 'events',
  invocationId: 'inv-1',
  direction: 'to-klaviyo',
  startedAt: new Date('2026-12-01T00:00:00Z'),
  ...over,
});

describe('MemoryLedger', () => {
  it('hands a crashed run its cursor and acknowledged batches, and marks it interrupted', () => {
    const ledger = new MemoryLedger();
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
  });

  it('starts over after a finished run and keeps other streams apart', () => {
    const ledger = new MemoryLedger();
    const run = ledger.openRun(request());
    ledger.recordFailures(run.runId, [{ item: 'a@example.com', code: 'invalid', detail: 'bad' }]);
    ledger.finishRun(run.runId, {
      status: 'partial',
      endedAt: new Date('2026-12-01T00:00:05Z'),
      records: 10,
      succeeded: 9,
      failed: 1,
      figures: { eventsAccepted: 9 },
    });
    expect(ledger.openRun(request()).resume).toBeUndefined();
    expect(ledger.openRun(request({ stream: 'profiles' })).resume).toBeUndefined();
    const [done] = ledger.runs({ stream: 'events' }).slice(-1);
    expect(done).toMatchObject({
      status: 'partial',
      durationMs: 5000,
      failed: 1,
      firstFailures: [{ code: 'invalid' }],
    });
  });
});
