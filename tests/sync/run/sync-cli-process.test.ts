/**
 * The shipped CLI bundle (`action/cli.js`, rebuilt by `npm run bundle`) as a process on a fresh copy of the
 * example content, no key set: the embedded sandbox stands in for Klaviyo, the history goes to
 * `.klaviyo-gitops/sync.db`, and a second run neither resumes nor adds an event.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadState } from '../../../src/sandbox/persistence.js';
import { runCliProcess } from '../../commands/cli-process.js';
import { exampleProject, expectedOrderFigures, type ExampleProject, type SyncJson } from './sync-helpers.js';

const ORDER_METRICS = [
  'Placed Order',
  'Ordered Product',
  'Fulfilled Order',
  'Cancelled Order',
  'Refunded Order',
];
const CLI = resolve(import.meta.dirname, '../../../action/cli.js');

interface HistoryJson {
  history: string;
  runs: { brand: string; source: string; stream: string; status: string; resumedFrom?: string }[];
}

describe('node action/cli.js sync on the example content', () => {
  let project: ExampleProject;
  const run = (args: string[]) => runCliProcess(CLI, args, { cwd: project.cwd, timeoutMs: 180_000 });
  /** The embedded sandbox's order events, read as it reads its own state (it seeds one of each metric too). */
  const events = () => {
    const accounts = loadState(join(project.cwd, '.klaviyo-sandbox/state.json'));
    return Object.values(accounts).flatMap((account) => {
      const orderMetrics = new Set(
        Object.entries(account.metrics)
          .filter(([, metric]) => ORDER_METRICS.includes(metric.name))
          .map(([id]) => id),
      );
      return Object.values(account.events).filter(
        (e) => orderMetrics.has(e.metricId) && e.dedupeKey.includes('shopify-orders:'),
      );
    });
  };

  beforeAll(() => {
    expect(existsSync(CLI), 'action/cli.js: run npm run bundle').toBe(true);
    project = exampleProject();
  });
  afterAll(() => project.cleanup());

  it('syncs, keeps its history in .klaviyo-gitops/sync.db, and a second run resumes nothing and adds no event', async () => {
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    const first = await run(['sync', '--brand', 'emberwick', '--json']);
    expect(first.timedOut).toBe(false);
    expect(first.code, first.stderr).toBe(0);
    const synced = JSON.parse(first.stdout) as SyncJson;
    expect(synced.brands[0]!.stats.eventsAccepted).toBe(expected.events);
    expect(synced.brands[0]!.stats.totalValue).toEqual(expected.value);

    const db = join(project.cwd, '.klaviyo-gitops/sync.db');
    expect(readFileSync(db).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(events()).toHaveLength(expected.events);

    const history = await run(['sync', 'history', '--json']);
    expect(history.code, history.stderr).toBe(0);
    const first4 = (JSON.parse(history.stdout) as HistoryJson).runs;
    expect(first4.map((r) => `${r.brand} ${r.source} ${r.stream} ${r.status}`)).toEqual([
      'emberwick shopify-customers consent succeeded',
      'emberwick shopify-customers profiles succeeded',
      'emberwick shopify-orders events succeeded',
      'emberwick shopify-orders profiles succeeded',
    ]);

    const second = await run(['sync', '--brand', 'emberwick', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as SyncJson;
    expect(again.brands[0]!.resumed).toBe(false);
    expect(again.brands[0]!.stats.eventsAccepted).toBe(expected.events);
    expect(events()).toHaveLength(expected.events);
    expect(new Set(events().map((e) => e.dedupeKey)).size).toBe(expected.events);
    const all = (JSON.parse((await run(['sync', 'history', '--json'])).stdout) as HistoryJson).runs;
    expect(all).toHaveLength(8);
    expect(all.filter((r) => r.resumedFrom !== undefined)).toEqual([]);
  }, 400_000);

  it('exits 2 on usage errors (a count that is no count, a brand that does not exist), with no stack trace', async () => {
    const usage = await run(['sync', 'history', '--last', '0']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--last takes a whole number above zero/);
    const unknown = await run(['sync', '--brand', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown brand 'nosuch'/);
    expect(usage.stderr + unknown.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
