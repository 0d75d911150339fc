import { describe, expect, it } from 'vitest';
import type { BrandSyncReport, SyncResult } from '../../../src/commands/results.js';
import { actionOutputs, renderJobSummary } from '../../../src/views/github/index.js';

function brand(name: string, overrides: Partial<BrandSyncReport> = {}): BrandSyncReport {
  return {
    brand: name,
    target: 'Klaviyo',
    status: 'succeeded',
    stats: {
      ordersFetched: 3,
      customersFound: 2,
      customersSynced: 2,
      eventsAccepted: 12,
      totalValue: { USD: 120.5 },
      subscribed: { email: 1, sms: 0 },
      failed: 0,
      badRows: 0,
      skipped: {},
      rateLimitWaits: 0,
    },
    durationMs: 1500,
    resumed: false,
    runs: [],
    notes: [],
    unusable: false,
    ...overrides,
  };
}

function result(brands: BrandSyncReport[], stopped = false): SyncResult {
  return {
    command: 'sync',
    target: 'Klaviyo',
    brands,
    withoutSync: [],
    history: '/home/runner/work/m/m/.klaviyo-gitops/sync.db',
    stopped,
  };
}

const failure = (item: string, detail: string) => ({
  runId: 'r1',
  invocationId: 'i1',
  brand: 'north',
  source: 'shop|csv',
  stream: 'events' as const,
  direction: 'to-klaviyo' as const,
  status: 'partial' as const,
  startedAt: '2026-01-01T00:00:00Z',
  records: 1,
  succeeded: 0,
  failed: 1,
  batches: 1,
  figures: {},
  firstFailures: [{ item, code: 'invalid', detail }],
});

describe('the sync in the job summary', () => {
  it('keeps a failure with markdown in it inside its table row', () => {
    const report = brand('north', {
      status: 'partial',
      stats: { ...brand('north').stats, failed: 1 },
      runs: [failure('orders.csv:7', 'bad | value\nsecond line')],
    });
    const { markdown } = renderJobSummary(result([report]), {
      historyShown: '.klaviyo-gitops/sync.db',
    });
    const row = markdown.split('\n').find((line) => line.includes('orders.csv:7'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(7);
    expect(markdown).toContain('History: <code>.klaviyo-gitops/sync.db</code>');
    expect(markdown).not.toContain('/home/runner');
  });

  it('gives the worst brand status and totals as outputs, and the reason a finished sync failed', () => {
    const refused = brand('north', {
      status: 'partial',
      stats: { ...brand('north').stats, failed: 2, eventsAccepted: 5 },
    });
    expect(actionOutputs(result([brand('south'), refused]))).toMatchObject({
      status: 'partial',
      'events-accepted': '17',
      failed: '2',
      stopped: 'false',
      'failure-reason': 'sync-items-refused',
    });
    const unreadable = brand('north', { status: 'failed', unusable: true });
    expect(actionOutputs(result([unreadable]))).toMatchObject({
      status: 'failed',
      'failure-reason': 'sync-incomplete',
    });
    // Rows that could not be read are reported, not a failure of the step.
    const badRows = brand('north', { stats: { ...brand('north').stats, failed: 1, badRows: 1 } });
    expect(actionOutputs(result([badRows]))['failure-reason']).toBe('');
    expect(actionOutputs(result([brand('north', { status: 'stopped' })], true))).toMatchObject({
      status: 'stopped',
      stopped: 'true',
    });
  });
});
