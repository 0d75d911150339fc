/**
 * An orders export with unreadable rows at known lines: each is a failure named `file:line` in the history and
 * in `sync history`, the rest of the file is synced, and the exit code is the documented one (bad rows are
 * reported, not fatal).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import {
  accountsSandbox,
  contextFor,
  envFor,
  eventCounts,
  exampleProject,
  expectedOrderFigures,
  KEYS,
  syncJson,
  type ExampleProject,
} from './sync-helpers.js';

const ORDERS_CSV = 'marketing/brands/emberwick/exports/orders.csv';

/** Replaces one column of an order's first row; returns the 1-based line of that row. */
function spoil(rows: string[][], header: string[], orderName: string, column: string, value: string): number {
  const index = rows.findIndex((row) => row[0] === orderName);
  expect(index, `order ${orderName} in the export`).toBeGreaterThan(0);
  rows[index]![header.indexOf(column)] = value;
  return index + 1;
}

/** A plain CSV split for this export: only the line item names are quoted, never across lines. */
function splitRow(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]!).slice(0, -1);
}

describe('sync with unreadable rows in an orders export', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  let amountLine: number;
  let dateLine: number;

  beforeAll(async () => {
    project = exampleProject();
    const text = readFileSync(join(project.cwd, ORDERS_CSV), 'utf8').trimEnd();
    const rows = text.split('\n').map(splitRow);
    const header = rows[0]!;
    amountLine = spoil(rows, header, '#1003', 'Total', '71.1.5');
    dateLine = spoil(rows, header, '#1010', 'Created at', '2025-13-45 99:00:00 -0500');
    for (const name of ['#1020', '#1021', '#1022', '#1023', '#1024'])
      spoil(rows, header, name, 'Total', 'twelve');
    project.write(ORDERS_CSV, rows.map((row) => row.join(',')).join('\n') + '\n');
    sandbox = await accountsSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    project.cleanup();
  });

  it('reports each bad row at file:line, syncs the rest, and exits 0', async () => {
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    const { exitCode, json } = await syncJson(contextFor(project.cwd, envFor(sandbox)), [
      '--brand',
      'emberwick',
    ]);
    expect(exitCode).toBe(0);
    const brand = json.brands[0]!;
    expect(brand.stats.badRows).toBe(7);
    expect(brand.stats.failed).toBe(7);
    expect(brand.stats.ordersFetched).toBe(expected.orders);
    expect(brand.stats.eventsAccepted).toBe(expected.events);
    expect(eventCounts(sandbox, KEYS.emberwick).count).toBe(expected.events);

    // Bad rows belong to the source's first stream: its profiles run.
    const history = await runCli(
      ['sync', 'history', '--brand', 'emberwick', '--type', 'profiles'],
      contextFor(project.cwd, {}),
    );
    expect(history.exitCode).toBe(0);
    expect(history.stdout).toMatch(
      new RegExp(`${ORDERS_CSV}:${amountLine}: source-row: .*'Total'.*71\\.1\\.5`),
    );
    expect(history.stdout).toMatch(new RegExp(`${ORDERS_CSV}:${dateLine}: source-row: .*'Created at'`));
    expect(history.stdout).toMatch(/: and 2 more failures$/m);

    const asJson = await runCli(
      ['sync', 'history', '--brand', 'emberwick', '--type', 'profiles', '--json'],
      contextFor(project.cwd, {}),
    );
    const runs = (
      JSON.parse(asJson.stdout) as {
        runs: {
          source: string;
          failed: number;
          failuresRecorded: number;
          firstFailures: { item: string }[];
        }[];
      }
    ).runs.filter((r) => r.source === 'shopify-orders');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ failed: 7, failuresRecorded: 7 });
    expect(runs[0]!.firstFailures.map((f) => f.item).slice(0, 2)).toEqual([
      `${ORDERS_CSV}:${amountLine}`,
      `${ORDERS_CSV}:${dateLine}`,
    ]);
  });
});
