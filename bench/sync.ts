/**
 * `klaviyo-gitops sync` at store scale, beside the naive approach, into the sandbox.
 *
 *   npm run bench:sync                                   100,000 orders + 30,000 customers, then 1,000,000 orders
 *   npm run bench:sync -- --orders 20000 --customers 6000 --big-orders 0 --naive-seconds 30
 *
 * 1. Generates Shopify-style exports (scripts/shopify-exports.ts) into a copy of the example content's
 *    emberwick brand, counting what the orders amount to (orders, lines, fulfilments, cancellations, refunds).
 * 2. `apply` the example content (the consent lists), then sync: the built CLI (`node action/cli.js sync`) in its own process, under GNU time for its peak RSS,
 *    against a sandbox with Klaviyo's real rate limits. Events per minute are the events accepted over the
 *    events stream's own duration (from the run's history) and over the whole run.
 * 3. Re-run: the same command again. Duplicates are events the sandbox holds beyond what the generated orders
 *    amount to (counted by the generator, not by the sync's ids), after the first run or added by the re-run:
 *    a sync without stable `unique_id`s would add a second copy of everything here.
 * 4. Naive: one `create_event` per event through the same client, on the same file, for `--naive-seconds`
 *    (its steady limit makes a full run take over an hour), against a fresh sandbox with the same limits.
 * 5. Memory at scale: `--big-orders` orders with the sandbox's limits off, the sync's peak RSS beside the
 *    first run's. The sandbox keeps events as dedupe keys only there (its memory is not the sync's).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KlaviyoClient } from '../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import {
  EXAMPLE_CATALOGUES,
  writeShopifyExports,
  type Catalogue,
  type ExportTally,
} from '../scripts/shopify-exports.js';
import { sendStoreMetrics, STORE_METRICS } from '../tests/sync/run/sync-helpers.js';
import { sendOneByOne } from './sync-naive.js';

const repo = resolve(import.meta.dirname, '..');
const KEY = 'pk_bench_sync_0000000000000000000000';
const CEILING_PER_MINUTE = 150_000;

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    customers: { type: 'string', default: '30000' },
    'big-orders': { type: 'string', default: '1000000' },
    'naive-seconds': { type: 'string', default: '90' },
  },
});

/** Emberwick's store, with its own order numbers and seed so the benchmark's orders are not the example's. */
const CATALOGUE: Catalogue = {
  ...EXAMPLE_CATALOGUES.find((c) => c.brand === 'emberwick')!,
  firstOrderId: 9_100_000_001,
  seed: 2026,
};

interface Workspace {
  dir: string;
  orderRows: number;
  tally: ExportTally;
}

async function workspace(orders: number, customers: number): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'kg-bench-sync-'));
  await cp(join(repo, 'marketing'), join(dir, 'marketing'), { recursive: true });
  const exports = join(dir, 'marketing/brands/emberwick/exports');
  const end = new Date();
  const start = new Date(end.getTime() - 2 * 365 * 86_400_000);
  const written = await writeShopifyExports(
    CATALOGUE,
    { orders, customers, start, end },
    { orders: join(exports, 'orders.csv'), customers: join(exports, 'customers.csv') },
  );
  return { dir, orderRows: written.orderRows, tally: written.tally };
}

interface SyncMeasure {
  ms: number;
  maxRssMb: number;
  code: number | null;
  json: SyncJson | undefined;
}

/** The parts of `sync --json` the benchmark reads. */
interface SyncJson {
  brands: {
    brand: string;
    status: string;
    stats: { eventsAccepted: number; failed: number; customersSynced: number };
    runs?: { stream: string; durationMs?: number }[];
  }[];
}

/** The CLI's environment: Klaviyo is the benchmark's sandbox, under the brand's own key variable. */
const cliEnv = (baseUrl: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  KLAVIYO_BASE_URL: baseUrl,
  KLAVIYO_API_KEY_EMBERWICK: KEY,
});

/**
 * `apply`, as a team runs it before its first sync: the consent lists must exist for anyone to be subscribed.
 * Klaviyo creates a metric only when a store sends it, so the account first gets one event of each.
 */
async function applyContent(cwd: string, baseUrl: string): Promise<void> {
  await sendStoreMetrics(new KlaviyoClient({ apiKey: KEY, baseUrl }));
  const child = spawn(
    process.execPath,
    [join(repo, 'action/cli.js'), 'apply', '--brand', 'emberwick', '--auto-approve'],
    {
      cwd,
      env: cliEnv(baseUrl),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`apply exited ${code}:\n${stderr.slice(-2000)}`);
}

async function runSync(cwd: string, baseUrl: string): Promise<SyncMeasure> {
  const rssFile = join(cwd, '.bench-rss');
  const started = performance.now();
  const child = spawn(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      rssFile,
      process.execPath,
      join(repo, 'action/cli.js'),
      'sync',
      '--brand',
      'emberwick',
      '--json',
    ],
    {
      cwd,
      env: cliEnv(baseUrl),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const ms = performance.now() - started;
  if (code !== 0) process.stderr.write(`sync exited ${code}\n${stderr.slice(-3000)}\n`);
  const maxRssMb = Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop()) / 1024;
  let json: SyncJson | undefined;
  try {
    json = JSON.parse(stdout) as SyncJson;
  } catch {
    process.stderr.write(`sync printed no JSON:\n${stdout.slice(0, 2000)}\n`);
  }
  return { ms, maxRssMb, code, json };
}

/** Events the sandbox holds: counted against what the generated orders amount to, not by the sync's own ids. */
/** Less the one event per store metric the account got before `apply`. */
const storedEvents = (sandbox: RunningSandbox): number =>
  Object.keys(sandbox.account(KEY).state.events).length - STORE_METRICS.length;

const expectedEvents = (t: ExportTally): number =>
  t.orders + t.lines + t.fulfilled + t.cancelled + t.refunded;
const perMinute = (events: number, ms: number): number => (ms > 0 ? (events * 60_000) / ms : 0);
const n = (value: number): string => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  const orders = Number(args.orders);
  const customers = Number(args.customers);
  const bigOrders = Number(args['big-orders']);
  const naiveMs = Number(args['naive-seconds']) * 1000;
  const rows: string[][] = [];
  let failures = 0;

  // 1-3. The sync with Klaviyo's limits, then a re-run.
  const ws = await workspace(orders, customers);
  const expected = expectedEvents(ws.tally);
  console.log(
    `data: ${n(orders)} orders (${n(ws.orderRows)} CSV rows, ${n(expected)} events expected), ${n(customers)} customers`,
  );
  const limited = await startSandbox({ accounts: { [KEY]: 'EMBRWK' }, enforceRateLimits: true });
  let first: SyncMeasure;
  let second: SyncMeasure;
  let afterFirst: number;
  let afterSecond: number;
  try {
    await applyContent(ws.dir, limited.url);
    first = await runSync(ws.dir, limited.url);
    afterFirst = storedEvents(limited);
    second = await runSync(ws.dir, limited.url);
    afterSecond = storedEvents(limited);
  } finally {
    await limited.close();
  }
  const brand = first.json?.brands[0];
  const accepted = brand?.stats.eventsAccepted ?? 0;
  const eventsMs = brand?.runs?.find((r) => r.stream === 'events')?.durationMs;
  // A duplicate is an event beyond what the orders amount to, after the first run or added by the re-run.
  const duplicates = Math.max(0, afterFirst - expected) + (afterSecond - afterFirst);
  if (first.code !== 0 || second.code !== 0 || duplicates !== 0 || afterFirst !== expected) failures += 1;

  // 4. The naive approach on the same file, for a time budget.
  const naiveSandbox = await startSandbox({ accounts: { [KEY]: 'EMBRWK' }, enforceRateLimits: true });
  let naive;
  try {
    naive = await sendOneByOne({
      baseUrl: naiveSandbox.url,
      apiKey: KEY,
      ordersCsv: join(ws.dir, 'marketing/brands/emberwick/exports/orders.csv'),
      now: new Date(),
      liveWindowHours: 72,
      budgetMs: naiveMs,
    });
  } finally {
    await naiveSandbox.close();
  }
  await rm(ws.dir, { recursive: true, force: true });

  const syncRate = perMinute(accepted, eventsMs ?? first.ms);
  const naiveRate = perMinute(naive.events, naive.ms);
  rows.push(
    [
      'sync (bulk jobs)',
      n(accepted),
      `${(first.ms / 1000).toFixed(1)} s`,
      n(syncRate),
      (syncRate / CEILING_PER_MINUTE).toFixed(2),
      n(perMinute(accepted, first.ms)),
      first.maxRssMb.toFixed(0),
    ],
    [
      're-run, same files (accepted, kept once)',
      n(second.json?.brands[0]?.stats.eventsAccepted ?? 0),
      `${(second.ms / 1000).toFixed(1)} s`,
      '',
      '',
      '',
      second.maxRssMb.toFixed(0),
    ],
    [
      `naive create_event${naive.cut ? ' (cut at budget)' : ''}`,
      n(naive.events),
      `${(naive.ms / 1000).toFixed(1)} s`,
      n(naiveRate),
      (naiveRate / CEILING_PER_MINUTE).toFixed(2),
      n(naiveRate),
      '',
    ],
  );

  console.log(
    `\nklaviyo-gitops sync, ${n(orders)} orders and ${n(customers)} customers (node ${process.version})`,
  );
  const head = [
    'approach',
    'events accepted',
    'wall',
    'events/min (events stream)',
    'of 150k/min',
    'events/min (whole run)',
    'peak RSS MB',
  ];
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    `\nevents in the sandbox: ${n(afterFirst)} after the first run, ${n(afterSecond)} after the re-run, ${n(expected)} expected from the generated orders; duplicates: ${duplicates}`,
  );
  console.log(
    `peak RSS of the sync: ${first.maxRssMb.toFixed(0)} MB at ${n(ws.orderRows)} order rows (${n(orders)} orders)`,
  );

  // 5. Memory at 10x: the sandbox's limits off, so the sync itself is what runs flat out.
  let big: { rows: number; measure: SyncMeasure } | undefined;
  if (bigOrders > 0) {
    const bigWs = await workspace(bigOrders, Math.round(bigOrders * 0.3));
    const open = await startSandbox({ accounts: { [KEY]: 'EMBRWK' }, enforceRateLimits: false });
    try {
      big = { rows: bigWs.orderRows, measure: await runSync(bigWs.dir, open.url) };
    } finally {
      await open.close();
      await rm(bigWs.dir, { recursive: true, force: true });
    }
    if (big.measure.code !== 0) failures += 1;
  }

  if (big)
    console.log(
      `peak RSS of the sync: ${big.measure.maxRssMb.toFixed(0)} MB at ${n(big.rows)} order rows (${n(bigOrders)} orders, sandbox limits off, ${(big.measure.ms / 1000).toFixed(0)} s)`,
    );
  if (failures > 0) {
    console.log(`\n${failures} check(s) failed: see above`);
    process.exitCode = 1;
  }
}

await main();
