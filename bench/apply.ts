/**
 * apply on a generated multi-brand workload, against the local sandbox enforcing Klaviyo's real rate limits in
 * real time. The CLI (built from the current source into one file) runs in its own process, as in CI: its wall
 * time and peak RSS are the tool's; a tap in front of the sandbox records every request with its timing.
 *
 *   npm run bench:apply                                  5 brands x (40 templates, 8 segments, 6 flows), then
 *                                                       the warm no-change plan of an account with 100 flows
 *   npm run bench:apply -- --brands 2 --templates 10     a smaller workload
 *   npm run bench:apply -- --bulk-flows 0                skip the 100-flow plan
 *   npm run bench:apply -- --repeat 1                    one apply run instead of three (each on fresh accounts)
 *
 * What is measured:
 * - apply: `klaviyo-gitops apply` (the CLI process) creating everything in empty accounts, one account per brand,
 *   brands in parallel. Wall time of the whole command (local build of the emails included), and per
 *   account the span of its Klaviyo traffic: first request sent to last answer received.
 * - The rate-limit lower bound of each account, from the requests it actually made (429 answers excluded):
 *   Klaviyo counts every operation in fixed 1 s and 1 min windows. For an operation with limits b/s and s/min
 *   whose N requests may start at t, the last of them cannot leave before L(t, N) = the time reached by sending
 *   min(b, what is left of the minute's s) at once in every 1 s window from t on (the real window phase, not an
 *   idealised one). apply has two stages that cannot overlap: the plan's reads (everything before the first
 *   write) and then the writes (with the lookups they need). The reads end no earlier than
 *   A = max over read operations of L(t0, N); the writes no earlier than B = max over write operations of L(A, N).
 *   The bound is B - t0. Within the writes, dependencies (a flow after its templates, a status switch after its
 *   flow) are left out: the operations they chain after fit in one burst window here, and leaving them out only
 *   makes the bound lower, never higher. Round trips count as zero.
 *   Ratio = the account's traffic span / its bound (target <= 1.10).
 * - Peak RSS of the CLI process during apply (target < 150 MB), sampled from /proc; for scale, the same CLI
 *   doing nothing and only building the emails (`validate`).
 * - Three apply runs by default: the bound depends on where the run starts within Klaviyo's 1 s windows, and a
 *   plan that finishes just after a window edge costs the writes that window.
 * - plan, no changes, 100 managed flows, warm flow-definition cache (target < 10 s; a cold read needs >= 100 s at
 *   the flow read limit). The flows are created fast first (sandbox without limits, virtual time), the cache is
 *   warmed, then the sandbox restarts from the same state with real limits and the plan is timed.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { runApply } from '../src/commands/apply.js';
import type { CommandContext } from '../src/commands/command.js';
import { runPlan } from '../src/commands/plan.js';
import { exitCodeOf } from '../src/commands/exit-codes.js';
import { textView } from '../src/views/text/index.js';
import { KlaviyoClient, matchOperation, operationById, type Clock } from '../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';

// ---------------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    brands: { type: 'string', default: '5' },
    templates: { type: 'string', default: '40' },
    segments: { type: 'string', default: '8' },
    flows: { type: 'string', default: '6' },
    'bulk-flows': { type: 'string', default: '100' },
    repeat: { type: 'string', default: '3' },
  },
});
const count = (name: keyof typeof args, min: number): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer >= ${min}`);
    process.exit(2);
  }
  return n;
};

// ---------------------------------------------------------------------------------------------------------
// The CLI, built from the current source, run as a child process: its wall time and peak RSS are the tool's

const ROOT = resolve(import.meta.dirname, '..');
// Inside node_modules, so the bundle's packages (left external) resolve from the project's node_modules.
const CLI = join(ROOT, 'node_modules/.cache/klaviyo-gitops-bench/cli.mjs');

async function buildCli(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'src/cli.ts')],
    outfile: CLI,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
}

interface CliRun {
  exitCode: number | null;
  stdout: string;
  wallMs: number;
  /** Peak resident set (VmHWM), sampled from /proc while the process runs. */
  peakRssMb: number;
}

function runCli(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', () => undefined);
  let peakKb = 0;
  const sample = (): void => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // gone
    }
  };
  const sampler = setInterval(sample, 20);
  return new Promise((done) =>
    child.on('exit', (exitCode) => {
      clearInterval(sampler);
      done({ exitCode, stdout, wallMs: Date.now() - started, peakRssMb: peakKb / 1024 });
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// A generated marketing repository

interface Shape {
  templates: number;
  segments: number;
  flows: number;
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

const keyOf = (brand: string): string => `pk_bench_${brand}_00000000`;
/** Klaviyo account ids are six letters or digits: `b3` -> `BNCH03`, `bulk` -> `BULK00`. */
const accountOf = (brand: string): string => {
  const digits = brand.replace(/\D/g, '');
  return digits ? `BNCH${digits.padStart(2, '0')}` : `${brand.toUpperCase().slice(0, 4)}00`;
};
const keyVariable = (brand: string): string => `KLAVIYO_API_KEY_${brand.toUpperCase().replace(/-/g, '_')}`;

async function writeRepository(root: string, brands: Record<string, Shape>): Promise<void> {
  const m = join(root, 'marketing');
  await put(
    join(m, 'klaviyo-gitops.yaml'),
    'version: 1\ndefaults:\n  rules: { flow-duplicate-trigger: off }\n',
  );
  await put(
    join(m, 'shared/layouts/base.html'),
    [
      '<!DOCTYPE html>',
      '<html lang="en">',
      // Raw: the subject holds Klaviyo tags, whose quotes an escaping insert would break.
      '<head><meta charset="utf-8"><title>[[[template.subject]]]</title></head>',
      '<body style="margin:0; font-family:[[brand.tokens.font_family]]; color:[[brand.tokens.color_text]];">',
      '<div style="max-width:600px; margin:0 auto; padding:24px;">',
      '[[[body]]]',
      '<p style="font-size:12px;">[[brand.name]] · [[brand.postal_address]] · {% unsubscribe %}</p>',
      '</div>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  );
  await put(join(m, 'samples/customer.yaml'), 'profile:\n  first_name: Ada\n  email: ada@example.com\n');
  for (const [brand, shape] of Object.entries(brands)) {
    const b = join(m, 'brands', brand);
    await put(
      join(b, 'brand.yaml'),
      [
        `name: Brand ${brand}`,
        `account_id: ${accountOf(brand)}`,
        `api_key_env: ${keyVariable(brand)}`,
        `website: https://${brand}.example`,
        'sender:',
        `  from_email: hello@${brand}.example`,
        `  from_label: Brand ${brand}`,
        'postal_address: 1 Harbour Road, Portland, ME 04101, USA',
        'tokens:',
        "  color_primary: '#1F3A5F'",
        "  color_accent: '#C8553D'",
        "  color_background: '#FFFFFF'",
        "  color_text: '#111111'",
        '  font_family: Arial, sans-serif',
        `  logo_url: https://${brand}.example/logo.png`,
        '  logo_width: 120',
        'tone:',
        '  greeting: Hi',
        '  sign_off: Thanks',
        '',
      ].join('\n'),
    );
    await put(join(b, 'lists/newsletter.yaml'), 'name: Newsletter\n');
    await put(join(b, 'lists/early-access.yaml'), 'name: Early access\n');
    for (let i = 1; i <= shape.segments; i += 1) {
      const condition =
        i % 3 === 0
          ? `  - member_of: { list: newsletter }\n    within: { last: ${i}, unit: day }\n`
          : i % 3 === 1
            ? `  - metric: Placed Order\n    count: { at_least: ${i} }\n    within: { last: 365, unit: day }\n`
            : `  - consent: { channel: email }\n  - metric: Opened Email\n    count: { at_least: ${i} }\n    within: { last: 90, unit: day }\n`;
      await put(join(b, `segments/s${i}.yaml`), `name: Segment ${i}\nall:\n${condition}`);
    }
    for (let i = 1; i <= shape.templates; i += 1) {
      const paragraph = `Email ${i} of brand ${brand}, with new arrivals, care tips and a note from the shop floor.`;
      await put(
        join(b, `templates/t${i}.html`),
        [
          '---',
          `name: Template ${i}`,
          `subject: "News ${i} for {{ first_name|default:'you' }}"`,
          `preview_text: ${paragraph}`,
          'layout: base',
          'sample: customer',
          '---',
          "<h1>[[brand.tone.greeting]] {{ first_name|default:'there' }},</h1>",
          ...Array.from({ length: 6 }, () => `<p>${paragraph}</p>`),
          '<p>[[brand.tone.sign_off]], [[brand.name]]</p>',
          '',
        ].join('\n'),
      );
      await put(
        join(b, `templates/t${i}.txt`),
        `${paragraph}\n\nUnsubscribe: {% unsubscribe_link %}\n[[brand.name]], [[brand.postal_address]]\n`,
      );
    }
    for (let i = 1; i <= shape.flows; i += 1) {
      const first = ((2 * i - 2) % shape.templates) + 1;
      const second = ((2 * i - 1) % shape.templates) + 1;
      const trigger =
        i % 2 === 0
          ? 'trigger: { metric: Placed Order }\nentry_filters:\n  - consent: { channel: email }\n'
          : 'trigger: { list: newsletter }\n';
      await put(
        join(b, `flows/f${i}.yaml`),
        [
          `name: Flow ${i}`,
          'status: live',
          trigger.trimEnd(),
          'steps:',
          `  - id: email-1`,
          `    email: { template: t${first} }`,
          `  - id: wait-1`,
          `    wait: { days: ${i} }`,
          `  - id: email-2`,
          `    email: { template: t${second} }`,
          '',
        ].join('\n'),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Traffic, recorded from the client's fetch

interface Call {
  account: string;
  operationId: string;
  write: boolean;
  sentAt: number;
  answeredAt: number;
  status: number;
}

/** A tap between the CLI and the sandbox: forwards every request and records who sent what, and when. */
async function recordingProxy(
  upstream: string,
  calls: Call[],
  accountByKey: Map<string, string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const sentAt = Date.now();
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', upstream);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
          headers[name] = value;
      const account = accountByKey.get((headers.authorization ?? '').replace('Klaviyo-API-Key ', '')) ?? '?';
      const operationId = matchOperation(method as 'GET', url.pathname)?.operation.operationId ?? 'unknown';
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(url, { method, headers, ...(body ? { body } : {}) })
        .then(async (answer) => {
          const payload = Buffer.from(await answer.arrayBuffer());
          calls.push({
            account,
            operationId,
            write: method !== 'GET',
            sentAt,
            answeredAt: Date.now(),
            status: answer.status,
          });
          const out: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))
              out[name] = value;
          });
          res.writeHead(answer.status, out);
          res.end(payload);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The earliest moment the last of `n` requests can leave when they may start at `start` (see the header). */
function earliestLastSend(start: number, n: number, perSecond: number, perMinute: number): number {
  let left = n;
  let t = start;
  while (left > 0) {
    const minuteEnd = (Math.floor(t / 60_000) + 1) * 60_000;
    let minuteLeft = perMinute;
    for (;;) {
      const now = Math.min(perSecond, minuteLeft, left);
      left -= now;
      minuteLeft -= now;
      if (left === 0) return t;
      if (minuteLeft === 0) break;
      t = (Math.floor(t / 1000) + 1) * 1000;
      if (t >= minuteEnd) break;
    }
    t = minuteEnd;
  }
  return t;
}

interface AccountFigures {
  account: string;
  requests: number;
  throttled: number;
  spanMs: number;
  boundMs: number;
}

function accountFigures(account: string, all: Call[]): AccountFigures {
  const calls = all.filter((c) => c.account === account).sort((a, b) => a.sentAt - b.sentAt);
  const t0 = calls[0]!.sentAt;
  const firstWrite = calls.find((c) => c.write)?.sentAt ?? Infinity;
  const counted = calls.filter((c) => c.status !== 429);
  const stageEnd = (stage: Call[], start: number): number => {
    const byOperation = new Map<string, number>();
    for (const c of stage) byOperation.set(c.operationId, (byOperation.get(c.operationId) ?? 0) + 1);
    let end = start;
    for (const [operationId, n] of byOperation) {
      const limit = operationById(operationId).rateLimit;
      end = Math.max(end, earliestLastSend(start, n, limit.burstPerSecond, limit.steadyPerMinute));
    }
    return end;
  };
  const readsEnd = stageEnd(
    counted.filter((c) => c.sentAt < firstWrite),
    t0,
  );
  const writesEnd = stageEnd(
    counted.filter((c) => c.sentAt >= firstWrite),
    readsEnd,
  );
  return {
    account,
    requests: calls.length,
    throttled: calls.length - counted.length,
    spanMs: Math.max(...calls.map((c) => c.answeredAt)) - t0,
    boundMs: writesEnd - t0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Runs

const quiet: CommandContext['progress'] = () => undefined;

async function seedMetrics(url: string, keys: string[]): Promise<void> {
  await Promise.all(
    keys.map(async (apiKey) => {
      const client = new KlaviyoClient({ apiKey, baseUrl: url });
      for (const name of ['Placed Order', 'Opened Email']) {
        await client.events.create({
          data: {
            type: 'event',
            attributes: {
              properties: {},
              unique_id: `bench-${name}`,
              metric: { data: { type: 'metric', attributes: { name } } },
              profile: { data: { type: 'profile', attributes: { email: 'bench@example.com' } } },
            },
          },
        });
      }
    }),
  );
}

interface ApplyFigures {
  wallMs: number;
  accounts: AccountFigures[];
  peakRssMb: number;
  /** For scale: the CLI doing nothing (`--version`) and only building the emails (`validate`). */
  idleRssMb?: number;
  validateRssMb?: number;
  summary: string;
}

/** The sandbox with Klaviyo's limits in real time, behind the recording tap. */
async function limitedSandbox(
  accounts: Record<string, string>,
  calls: Call[],
  statePath?: string,
): Promise<{ url: string; sandbox: RunningSandbox; close(): Promise<void> }> {
  const sandbox = await startSandbox({
    port: 0,
    accounts,
    enforceRateLimits: true,
    ...(statePath ? { statePath } : {}),
  });
  const tap = await recordingProxy(sandbox.url, calls, new Map(Object.entries(accounts)));
  return {
    url: tap.url,
    sandbox,
    close: async () => {
      await tap.close();
      await sandbox.close();
    },
  };
}

/**
 * One small apply to a spare account of the same sandbox first: the sandbox compiles its request validators on
 * first use (hundreds of milliseconds per operation), a cost real Klaviyo does not have.
 */
async function warmUp(url: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'kg-bench-warm-'));
  try {
    await writeRepository(root, { warm: { templates: 1, segments: 3, flows: 2 } });
    const applied = await runApply(
      { dir: 'marketing', allowDestroy: false, force: false, autoApprove: true },
      { cwd: root, env: { [keyVariable('warm')]: keyOf('warm'), KLAVIYO_BASE_URL: url }, progress: quiet },
    );
    if (applied.outcome !== 'applied') throw new Error(`warm-up failed:\n${textView(applied).stdout}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function benchApply(brands: number, shape: Shape, forScale: boolean): Promise<ApplyFigures> {
  const root = await mkdtemp(join(tmpdir(), 'kg-bench-apply-'));
  try {
    const names = Array.from({ length: brands }, (_, i) => `b${i + 1}`);
    await writeRepository(root, Object.fromEntries(names.map((n) => [n, shape])));
    const calls: Call[] = [];
    const accounts = Object.fromEntries([...names, 'warm'].map((n) => [keyOf(n), accountOf(n)]));
    const target = await limitedSandbox(accounts, calls);
    try {
      await seedMetrics(
        target.sandbox.url,
        [...names, 'warm'].map((n) => keyOf(n)),
      );
      await warmUp(target.sandbox.url);
      const env: Record<string, string> = { KLAVIYO_BASE_URL: target.url };
      for (const n of names) env[keyVariable(n)] = keyOf(n);
      const run = await runCli(['apply', '--dir', 'marketing', '--auto-approve'], root, env);
      if (run.exitCode !== 0) throw new Error(`apply failed:\n${run.stdout}`);
      const scale = forScale
        ? {
            idleRssMb: (await runCli(['--version'], root, {})).peakRssMb,
            validateRssMb: (await runCli(['validate', '--dir', 'marketing'], root, {})).peakRssMb,
          }
        : {};
      return {
        wallMs: run.wallMs,
        peakRssMb: run.peakRssMb,
        ...scale,
        accounts: names.map((n) => accountFigures(accountOf(n), calls)),
        summary: run.stdout.trim().split('\n').at(-1) ?? '',
      };
    } finally {
      await target.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Virtual time `speed` times the wall clock, for creating the 100 flows quickly (sandbox without limits, in
 * this process; the timed plan runs in the CLI's own process against the same state). */
function fastClock(speed: number): Clock {
  const realStart = Date.now();
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  return {
    now: () => start + (Date.now() - realStart) * speed,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms / speed);
        signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      }),
  };
}

interface PlanFigures {
  flows: number;
  planMs: number;
  flowReads: number;
  exitCode: number;
}

async function benchWarmPlan(flows: number): Promise<PlanFigures> {
  const root = await mkdtemp(join(tmpdir(), 'kg-bench-plan-'));
  try {
    const brand = 'bulk';
    await writeRepository(root, { [brand]: { templates: 10, segments: 2, flows } });
    const statePath = join(root, 'sandbox-state.json');
    const env = { [keyVariable(brand)]: keyOf(brand) };
    const accounts = { [keyOf(brand)]: accountOf(brand) };
    const ctx = (url: string): CommandContext => ({
      cwd: root,
      env: { ...env, KLAVIYO_BASE_URL: url },
      progress: quiet,
    });

    // Setup, not timed: create the flows on virtual time, then a plan that fills the flow-definition cache (its
    // `now` is the wall clock, so the flows' stamps are old enough to be cached).
    const clock = fastClock(400);
    const seeding = await startSandbox({ port: 0, accounts, enforceRateLimits: false, clock, statePath });
    try {
      await seedMetrics(seeding.url, [keyOf(brand)]);
      // Timeouts are virtual too: a generous one, or a request would time out in a few real milliseconds.
      const client = { clock, timeoutMs: 3_600_000 };
      const deps = { targets: { client }, now: () => new Date(clock.now()) };
      const applied = await runApply(
        { dir: 'marketing', allowDestroy: false, force: false, autoApprove: true },
        ctx(seeding.url),
        deps,
      );
      if (applied.outcome !== 'applied') throw new Error(`seeding failed:\n${textView(applied).stdout}`);
      const warm = await runPlan(
        { dir: 'marketing', out: 'output/plan.json', detailedExitcode: true },
        ctx(seeding.url),
        { targets: { client } },
      );
      if (exitCodeOf(warm) !== 0) throw new Error(`warming plan found changes:\n${textView(warm).stdout}`);
    } finally {
      await seeding.close();
    }

    // Timed: the same state, Klaviyo's limits, real time, the CLI in its own process.
    const calls: Call[] = [];
    const target = await limitedSandbox(accounts, calls, statePath);
    try {
      const run = await runCli(['plan', '--dir', 'marketing', '--detailed-exitcode'], root, {
        ...env,
        KLAVIYO_BASE_URL: target.url,
      });
      return {
        flows,
        planMs: run.wallMs,
        flowReads: calls.filter((c) => c.operationId === 'get_flow').length,
        exitCode: run.exitCode ?? -1,
      };
    } finally {
      await target.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const brands = count('brands', 1);
  const shape: Shape = {
    templates: count('templates', 1),
    segments: count('segments', 1),
    flows: count('flows', 1),
  };
  const bulkFlows = count('bulk-flows', 0);
  await buildCli();
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);

  const repeat = count('repeat', 1);
  const runs: ApplyFigures[] = [];
  for (let i = 0; i < repeat; i += 1) runs.push(await benchApply(brands, shape, i === 0));
  console.log(
    `apply: ${brands} brands x (${shape.templates} templates, ${shape.segments} segments, ${shape.flows} flows, 2 lists), empty accounts, Klaviyo's limits, real time, ${repeat} run(s)`,
  );
  console.log(runs[0]!.summary);
  const ratio = (a: AccountFigures): number => a.spanMs / a.boundMs;
  const rows = [
    ['run', 'wall s', 'requests', '429s', 'slowest account: traffic s', 'its bound s', 'ratio', 'peak RSS'],
  ];
  runs.forEach((run, i) => {
    const worst = run.accounts.reduce((w, a) => (ratio(a) > ratio(w) ? a : w));
    rows.push([
      String(i + 1),
      seconds(run.wallMs),
      String(run.accounts.reduce((n, a) => n + a.requests, 0)),
      String(run.accounts.reduce((n, a) => n + a.throttled, 0)),
      seconds(worst.spanMs),
      seconds(worst.boundMs),
      ratio(worst).toFixed(3),
      `${run.peakRssMb.toFixed(0)} MB`,
    ]);
  });
  console.log(table(rows));
  console.log(
    `for scale, the same CLI: --version ${runs[0]!.idleRssMb!.toFixed(0)} MB, validate (email build only) ${runs[0]!.validateRssMb!.toFixed(0)} MB peak RSS`,
  );

  if (bulkFlows > 0) {
    const plan = await benchWarmPlan(bulkFlows);
    console.log('');
    console.log(
      table([
        ['no-change plan', 'managed flows', 'get_flow calls', 'exit code', 'time'],
        [
          'warm cache, Klaviyo limits',
          String(plan.flows),
          String(plan.flowReads),
          String(plan.exitCode),
          `${seconds(plan.planMs)} s`,
        ],
      ]),
    );
  }
}

await main();
