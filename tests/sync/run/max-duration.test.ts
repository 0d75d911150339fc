import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOutcome } from '../../../src/commands/cli-outcome.js';
import { runCli } from '../../../src/commands/index.js';
import { runSync } from '../../../src/commands/sync.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { MemoryLedger } from '../../../src/sync/history/memory-ledger.js';
import {
  accountsSandbox,
  contextFor,
  envFor,
  eventCounts,
  exampleProject,
  expectedOrderFigures,
  KEYS,
  type ExampleProject,
} from './sync-helpers.js';

describe('sync --max-duration', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    project = exampleProject();
    const brand = `${project.cwd}/marketing/brands/emberwick`;
    project.write(
      'marketing/brands/emberwick/exports/orders-2024.csv',
      readFileSync(`${brand}/exports/orders.csv`, 'utf8'),
    );
    project.write(
      'marketing/brands/emberwick/sync.yaml',
      readFileSync(`${brand}/sync.yaml`, 'utf8').replace(
        'sources:\n',
        'sources:\n  archive-orders:\n    type: shopify-orders-csv\n    file: exports/orders-2024.csv\n',
      ),
    );
    sandbox = await accountsSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    project.cleanup();
  });

  it('stops sending when the budget is spent, exits 0 saying so, and the next sync continues to the same totals', async () => {
    // Each bulk event job "takes" 20 minutes on this clock: a 5-minute budget lets the first job start, not
    // the second, in the middle of the first source's events.
    let now = Date.UTC(2026, 6, 20, 12);
    const slowJobs: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/api/event-bulk-create-jobs')) now += 20 * 60_000;
      return fetch(input, init);
    };
    const ledger = new MemoryLedger();
    const deps = { ledger, concurrency: 1, clock: () => now, targets: { client: { fetch: slowJobs } } };
    const ctx = contextFor(project.cwd, envFor(sandbox));
    // The example orders twice over, under two source names: more than 2,000 events.
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    expect(expected.events).toBeGreaterThan(2000);

    const first = await runSync(
      { dir: 'marketing', brands: ['emberwick'], maxDurationMs: 5 * 60_000 },
      ctx,
      deps,
    );
    expect(first.stopped).toBe(true);
    expect(first.brands[0]!.status).toBe('stopped');
    const shown = resultOutcome(first);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('run sync again to continue where it stopped');
    const archiveEvents = () =>
      ledger.runs({ stream: 'events' }).filter((r) => r.source === 'archive-orders');
    const stoppedRun = archiveEvents()[0]!;
    expect(stoppedRun.status).toBe('stopped');
    expect(first.brands[0]!.stats.eventsAccepted).toBeLessThan(expected.events);

    const second = await runSync({ dir: 'marketing', brands: ['emberwick'] }, ctx, deps);
    const resumed = archiveEvents()[0]!;
    expect(resumed.resumedFrom).toBe(stoppedRun.runId);
    expect(second.brands[0]!.resumed).toBe(true);
    // The resumed run's figures are the whole run's: the same as one clean sync.
    expect(second.brands[0]!.stats.eventsAccepted).toBe(expected.events);
    expect(second.brands[0]!.stats.totalValue).toEqual(expected.value);
    expect(second.brands[0]!.stats.ordersFetched).toBe(expected.orders);
    const inKlaviyo = eventCounts(sandbox, KEYS.emberwick);
    expect(inKlaviyo.count).toBe(expected.events);
    expect(inKlaviyo.distinct).toBe(expected.events);
  });

  it('refuses a duration it cannot read as a usage error', async () => {
    const outcome = await runCli(
      ['sync', '--brand', 'emberwick', '--max-duration', 'soon'],
      contextFor(project.cwd, envFor(sandbox)),
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('--max-duration takes a duration such as 30m');
  });
});
