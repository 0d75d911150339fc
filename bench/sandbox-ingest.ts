/**
 * How fast the local sandbox takes a bulk sync's writes, and how much memory it holds while doing so.
 *
 *   npm run bench:sandbox                          N = 50 and 250 event jobs, in-process and over HTTP
 *   npm run bench:sandbox -- --jobs 250 --mode http --detail summary
 *   npm run bench:sandbox -- --budget 120          give up on a case after 120 s (reported as unfinished)
 *
 * One case sends M profile import jobs of 10,000 profiles, then N bulk event jobs of 1,000 events (250 orders of
 * one `Placed Order`, two `Ordered Product` and one `Fulfilled Order`), four requests at a time, rate limits off,
 * the state persisted to a temporary file as the embedded sandbox does. `in-process` runs the sandbox in this
 * process (RSS is the process's); `http` runs it in a child process (RSS is the child's, read from /proc), which
 * reports its event count on a side port.
 * Columns: wall time, events per minute, the sandbox's RSS at the end and at its peak, events recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type EventDetail } from '../src/sandbox/index.js';

const KEY = 'pk_bench_sandbox_ingest';
const ACCOUNT = 'BENCH1';
const EVENTS_PER_JOB = 1000;
const PROFILES_PER_IMPORT = 10_000;
const CONCURRENCY = 4;

interface Case {
  mode: 'in-process' | 'http';
  jobs: number;
  imports: number;
}

interface Outcome {
  wallMs: number;
  finished: boolean;
  rssMb: number;
  peakRssMb: number;
  events: number;
}

function orderEvents(order: number, customers: number): unknown {
  const email = `customer-${order % customers}@example.com`;
  const time = new Date(Date.UTC(2025, 0, 1) + order * 60_000).toISOString();
  const metric = (name: string) => ({ data: { type: 'metric', attributes: { name } } });
  const items = [
    {
      ProductID: `P${order % 97}`,
      SKU: `SKU-${order % 97}`,
      ProductName: 'Wool socks',
      Quantity: 1,
      ItemPrice: 12,
    },
    {
      ProductID: `P${order % 89}`,
      SKU: `SKU-${order % 89}`,
      ProductName: 'Candle',
      Quantity: 2,
      ItemPrice: 18,
    },
  ];
  const placed = {
    OrderId: `#${order}`,
    Items: items,
    ItemNames: items.map((i) => i.ProductName),
    Categories: ['Home'],
    DiscountCode: null,
  };
  const event = (name: string, uniqueId: string, properties: unknown, value?: number) => ({
    type: 'event',
    attributes: {
      metric: metric(name),
      properties,
      time,
      unique_id: uniqueId,
      ...(value !== undefined ? { value } : {}),
    },
  });
  return {
    type: 'event-bulk-create',
    attributes: {
      profile: { data: { type: 'profile', attributes: { email } } },
      backfill: true,
      events: {
        data: [
          event('Placed Order', `shop:${order}:placed`, placed, 48),
          ...items.map((item, line) => event('Ordered Product', `shop:${order}:line:${line}`, item, 12)),
          event('Fulfilled Order', `shop:${order}:fulfilled`, placed, 48),
        ],
      },
    },
  };
}

function eventJob(job: number, customers: number): unknown {
  const orders = EVENTS_PER_JOB / 4;
  const data = Array.from({ length: orders }, (_, i) => orderEvents(job * orders + i, customers));
  return { data: { type: 'event-bulk-create-job', attributes: { 'events-bulk-create': { data } } } };
}

function importJob(n: number): unknown {
  const data = Array.from({ length: PROFILES_PER_IMPORT }, (_, i) => {
    const c = n * PROFILES_PER_IMPORT + i;
    return {
      type: 'profile',
      attributes: {
        email: `customer-${c}@example.com`,
        first_name: `First${c}`,
        last_name: `Last${c}`,
        location: { city: 'Portland', country: 'US' },
        properties: { source: 'bench', orders: c % 7 },
      },
    };
  });
  return { data: { type: 'profile-bulk-import-job', attributes: { profiles: { data } } } };
}

async function send(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Klaviyo-API-Key ${KEY}`,
      revision: '2026-07-15',
      accept: 'application/vnd.api+json',
      'content-type': 'application/vnd.api+json',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function drive(url: string, c: Case, budgetMs: number): Promise<{ wallMs: number; finished: boolean }> {
  const started = Date.now();
  const customers = c.imports * PROFILES_PER_IMPORT || 30_000;
  for (let i = 0; i < c.imports; i++) await send(url, '/api/profile-bulk-import-jobs', importJob(i));
  let nextJob = 0;
  let finished = true;
  let failure: string | undefined;
  const worker = async (): Promise<void> => {
    while (nextJob < c.jobs) {
      if (Date.now() - started > budgetMs) {
        finished = false;
        return;
      }
      const job = nextJob++;
      try {
        await send(url, '/api/event-bulk-create-jobs', eventJob(job, customers));
      } catch (error) {
        // The old sandbox stalls so long that queued connections time out: report it, do not crash.
        failure ??= `job ${job}: ${error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error)}`;
        nextJob = c.jobs;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failure) console.error(`stopped: ${failure}`);
  return { wallMs: Date.now() - started, finished: finished && failure === undefined };
}

async function inProcess(c: Case, budgetMs: number, detail: EventDetail): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-sandbox-'));
  const sandbox = await startSandbox({
    statePath: join(dir, 'state.json'),
    accounts: { [KEY]: ACCOUNT },
    enforceRateLimits: false,
    eventDetail: detail,
  });
  try {
    const run = await drive(sandbox.url, c, budgetMs);
    const events = sandbox.account(KEY).counts().events ?? 0;
    const { rss, peak } = rssOf(process.pid);
    await sandbox.close();
    return { ...run, rssMb: rss, peakRssMb: peak, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function overHttp(c: Case, budgetMs: number, detail: EventDetail): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-sandbox-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--serve', join(dir, 'state.json'), '--detail', detail],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [url, sidePort] = await new Promise<[string, string]>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening (\S+) (\d+)\n/.exec(out);
        if (match) resolve([match[1]!, match[2]!]);
      });
      child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
    });
    const run = await drive(url, c, budgetMs);
    const { rss, peak } = rssOf(child.pid!);
    const res = await fetch(`http://127.0.0.1:${sidePort}/`);
    const events = Number(await res.text());
    return { ...run, rssMb: rss, peakRssMb: peak, events };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child side of `http`: a sandbox on a state file, reporting its event count on a side port. */
async function serve(statePath: string, detail: EventDetail): Promise<void> {
  const sandbox = await startSandbox({
    statePath,
    accounts: { [KEY]: ACCOUNT },
    enforceRateLimits: false,
    eventDetail: detail,
  });
  const { createServer } = await import('node:http');
  const side = createServer((_req, res) => res.end(String(sandbox.account(KEY).counts().events ?? 0)));
  await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
  const sidePort = (side.address() as { port: number }).port;
  process.stdout.write(`listening ${sandbox.url} ${sidePort}\n`);
  process.once('SIGTERM', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      jobs: { type: 'string' },
      mode: { type: 'string' },
      budget: { type: 'string', default: '600' },
      detail: { type: 'string', default: 'full' },
    },
  });
  const detail = values.detail as EventDetail;
  if (values.serve) return serve(values.serve, detail);
  const budgetMs = Number(values.budget) * 1000;
  const jobs = values.jobs ? [Number(values.jobs)] : [50, 250];
  const modes = values.mode ? [values.mode as Case['mode']] : (['in-process', 'http'] as const);
  console.log(
    `| mode | event jobs (N) | imports of 10,000 (M) | wall s | events/min | RSS MB | peak RSS MB | events recorded |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const n of jobs) {
    for (const mode of modes) {
      const c: Case = { mode, jobs: n, imports: n >= 250 ? 3 : 1 };
      const out =
        mode === 'http' ? await overHttp(c, budgetMs, detail) : await inProcess(c, budgetMs, detail);
      const perMinute = Math.round((out.events / out.wallMs) * 60_000);
      console.log(
        `| ${mode} | ${n}${out.finished ? '' : ' (unfinished)'} | ${c.imports} | ${(out.wallMs / 1000).toFixed(1)} | ${perMinute.toLocaleString('en-US')} | ${out.rssMb.toFixed(0)} | ${out.peakRssMb.toFixed(0)} | ${out.events.toLocaleString('en-US')} |`,
      );
    }
  }
}

await main();
