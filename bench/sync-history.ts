/**
 * The cost of keeping the sync history: open time, and the wall time of acknowledging 300 batches (each one an
 * atomic rewrite of the whole file), on a new history and on one already holding a year of nightly runs.
 *
 *   npm run bench:history
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSyncHistory } from '../src/sync/history/database.js';
import type { SyncLedger, SyncStream } from '../src/sync/history/ledger.js';

const BATCHES = 300;

function oneRun(
  ledger: SyncLedger,
  stream: SyncStream,
  night: number,
  batches: number,
  failures: number,
): void {
  const { runId } = ledger.openRun({
    brand: 'emberwick',
    source: 'shopify-orders',
    stream,
    invocationId: `night-${night}`,
    direction: 'to-klaviyo',
    startedAt: new Date(Date.UTC(2026, 0, 1 + night)),
  });
  for (let b = 0; b < batches; b++) {
    ledger.acknowledgeBatch(runId, {
      key: `${night}-${stream}-${b}`.padEnd(64, '0'),
      items: 1000,
      accepted: 1000,
      failed: 0,
      jobId: `job-${night}-${b}`,
      cursor: { file: 'orders.csv', line: (b + 1) * 400 },
    });
  }
  ledger.recordFailures(
    runId,
    Array.from({ length: failures }, (_, i) => ({
      item: `customer-${i}@example.com`,
      code: 'invalid',
      detail: 'This email address is not valid.',
    })),
  );
  ledger.finishRun(runId, {
    status: 'succeeded',
    endedAt: new Date(Date.UTC(2026, 0, 1 + night, 0, 5)),
    records: batches * 1000,
    succeeded: batches * 1000,
    failed: 0,
    figures: { eventsAccepted: batches * 1000, orderValue: 1234567.89, skipped: { 'no-consent': 120 } },
  });
}

async function measure(label: string, history: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-history-bench-'));
  const path = join(dir, 'sync.db');
  try {
    const seed = await openSyncHistory(path);
    for (let night = 0; night < history; night++) {
      for (const stream of ['profiles', 'events', 'consent'] as const) {
        // Seeding writes too; fewer batches per old run keeps the bench short (old batches are pruned anyway).
        oneRun(seed, stream, night, 3, 1000);
      }
    }
    seed.close();
    const opened = performance.now();
    const ledger = await openSyncHistory(path);
    const openMs = performance.now() - opened;
    const started = performance.now();
    oneRun(ledger, 'events', history, BATCHES, 0);
    const wallMs = performance.now() - started;
    ledger.close();
    const size = statSync(path).size;
    return `| ${label} | ${openMs.toFixed(0)} ms | ${wallMs.toFixed(0)} ms | ${(wallMs / BATCHES).toFixed(2)} ms | ${(size / 1024).toFixed(0)} KiB |`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`| history before the run | open | ${BATCHES} batches acknowledged | per batch | file after |`);
console.log('| --- | --- | --- | --- | --- |');
console.log(await measure('empty', 0));
console.log(await measure('365 nights x 3 streams, 1,000 failures each', 365));
