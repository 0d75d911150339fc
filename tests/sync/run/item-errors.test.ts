import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOutcome } from '../../../src/commands/cli-outcome.js';
import { runSync } from '../../../src/commands/sync.js';
import { runSyncHistory } from '../../../src/commands/sync-history.js';
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

/** Order #1001 again as #9001, placed in 1985: Klaviyo refuses events dated before 1990, each by its pointer. */
function withAncientOrder(project: ExampleProject): void {
  const path = 'marketing/brands/emberwick/exports/orders.csv';
  const text = readFileSync(join(project.cwd, path), 'utf8');
  const rows = text.trimEnd().split('\n');
  const copy = rows
    .filter((row) => row.startsWith('#1001,'))
    .map((row) =>
      row
        .replace('#1001', '#9001')
        .replace('5210000001', '5219999999')
        .replaceAll('2025-11-30', '1985-11-30'),
    );
  project.write(path, [...rows, ...copy].join('\n') + '\n');
}

describe('Klaviyo refusing what a sync sends', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    project = exampleProject();
    withAncientOrder(project);
    sandbox = await accountsSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    project.cleanup();
  });

  it('a 400 naming items drops them to the history and the rest of the batch is accepted', async () => {
    const ledger = new MemoryLedger();
    const ctx = contextFor(project.cwd, envFor(sandbox));
    const result = await runSync({ dir: 'marketing', brands: ['emberwick'] }, ctx, { ledger });
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    const brand = result.brands[0]!;
    // #9001: Placed Order and 3 Ordered Product dated 1985; its Fulfilled Order (dated 2025) goes through.
    expect(brand.stats.failed).toBe(4);
    expect(brand.stats.eventsAccepted).toBe(expected.events - 4);
    expect(eventCounts(sandbox, KEYS.emberwick).count).toBe(expected.events - 4);
    expect(brand.status).toBe('partial');
    expect(resultOutcome(result).exitCode).toBe(1);

    const events = ledger.runs({ stream: 'events' })[0]!;
    expect(events.status).toBe('partial');
    expect(events.failed).toBe(4);
    expect(events.firstFailures[0]).toMatchObject({
      item: 'shopify-orders:5219999999:placed-order:order',
      detail: expect.stringContaining('after 1990'),
      pointer: expect.stringMatching(
        /^\/data\/attributes\/events-bulk-create\/data\/\d+\/attributes\/events\/data\/\d+\/attributes\/time$/,
      ),
    });

    const history = await runSyncHistory({ stream: 'events' }, ctx, { ledger });
    const text = resultOutcome(history).stdout;
    expect(text).toMatch(/emberwick +shopify-orders +events +to-klaviyo +partial/);
    expect(text).toContain(
      'shopify-orders:5219999999:placed-order:order: invalid: The event time must be after 1990',
    );
    const json = JSON.parse(resultOutcome(history, { json: true }).stdout) as { runs: { failed: number }[] };
    expect(json.runs.map((r) => r.failed)).toEqual([4]);
  });

  it('a 400 about the request itself fails only that batch; the other batches and streams go on', async () => {
    const ledger = new MemoryLedger();
    let bulkEventPosts = 0;
    const refuseFirstBulkEvents: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/api/event-bulk-create-jobs') && init?.method === 'POST' && ++bulkEventPosts === 1)
        return new Response(
          JSON.stringify({
            errors: [
              {
                id: 'x',
                status: 400,
                code: 'invalid',
                title: 'Invalid input.',
                detail: 'The request body is not valid.',
              },
            ],
          }),
          { status: 400, headers: { 'content-type': 'application/vnd.api+json' } },
        );
      return fetch(input, init);
    };
    const fresh = await accountsSandbox();
    try {
      const ctx = contextFor(project.cwd, envFor(fresh));
      const result = await runSync({ dir: 'marketing', brands: ['emberwick'] }, ctx, {
        ledger,
        targets: { client: { fetch: refuseFirstBulkEvents } },
      });
      const expected = await expectedOrderFigures(project.cwd, 'emberwick');
      const brand = result.brands[0]!;
      const refusedBatch = ledger.runs({ stream: 'events' })[0]!;
      expect(refusedBatch.firstFailures[0]).toMatchObject({
        code: 'invalid',
        detail: 'The request body is not valid.',
      });
      // One batch of at most 1,000 events failed whole; the rest (minus #9001's four) arrived.
      const failedWhole = brand.stats.failed - 4;
      expect(failedWhole).toBeGreaterThan(0);
      expect(failedWhole).toBeLessThanOrEqual(1000);
      expect(brand.stats.eventsAccepted + brand.stats.failed).toBe(expected.events);
      expect(eventCounts(fresh, KEYS.emberwick).count).toBe(brand.stats.eventsAccepted);
      expect(ledger.runs({ stream: 'consent' })[0]!.status).toBe('succeeded');
      expect(resultOutcome(result).exitCode).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
