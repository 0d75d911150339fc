/** A run request and a run outcome with defaults, for the history tests. */
import type { OpenRunRequest, RunOutcome } from '../../../src/sync/history/ledger.js';

export const request = (over: Partial<OpenRunRequest> = {}): OpenRunRequest => ({
  brand: 'emberwick',
  source: 'shopify-orders',
  stream: 'events',
  invocationId: 'inv-1',
  direction: 'to-klaviyo',
  startedAt: new Date('2026-12-01T00:00:00Z'),
  ...over,
});

export const outcome = (over: Partial<RunOutcome> = {}): RunOutcome => ({
  status: 'succeeded',
  endedAt: new Date('2026-12-01T00:00:05Z'),
  records: 10,
  succeeded: 10,
  failed: 0,
  figures: {},
  ...over,
});
