/**
 * What the email QA cache saves `plan`: the time to build the desired state of the example content (load,
 * compile, assemble, email QA; what plan, apply, drift and import do before they talk to Klaviyo), with the
 * cache empty and with it filled.
 *
 *   npm run bench:qa               5 runs of each case
 *   npm run bench:qa -- --runs 9   more runs
 *
 * Every run is a fresh process (`node --import tsx`) working on a copy of marketing/, as a CI job is; the time
 * is measured inside it around the build alone (start-up and module loading excluded). Cases:
 * - no cache: the build with no cache at all (every template checked);
 * - cold: `.klaviyo-gitops/cache/qa/` empty (every template checked and its result written);
 * - warm, disk: the entries from the previous run on disk, a new process (a CI job that restored the folder);
 * - warm, memory: a second build in the same process (import, which builds twice).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildProject } from '../src/commands/desired-states.js';
import { EMAIL_QA_CACHE_DIR } from '../src/commands/email-qa-store.js';
import { buildDesiredState, type BuildResult } from '../src/compile/index.js';

const repo = resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    child: { type: 'string' },
    work: { type: 'string' },
  },
});

type Case = 'none' | 'cold' | 'warm-disk' | 'warm-memory';

interface Measurement {
  ms: number;
  templates: number;
  checked: number;
  reused: number;
}

const LABELS: Record<Case, string> = {
  none: 'no cache',
  cold: 'cold (empty cache)',
  'warm-disk': 'warm, disk (new process)',
  'warm-memory': 'warm, memory (same process)',
};

async function timed(build: () => Promise<BuildResult>): Promise<Measurement> {
  const started = performance.now();
  const result = await build();
  const ms = performance.now() - started;
  if (result.errors > 0) throw new Error(`the example content has ${result.errors} error(s)`);
  const templates = result.states.reduce((n, s) => n + s.templates.length, 0);
  return { ms, templates, checked: result.emailQa.checked, reused: result.emailQa.reused };
}

/** One run, in its own process: prints its measurements as JSON. */
async function child(mode: 'none' | 'cache', work: string): Promise<void> {
  const ctx = { cwd: work, env: {}, progress: (line: string) => process.stderr.write(`${line}\n`) };
  const plan = (): Promise<BuildResult> => buildProject('marketing', undefined, ctx);
  const first = await timed(
    mode === 'none' ? () => buildDesiredState({ cwd: work, dir: 'marketing' }) : plan,
  );
  const second = mode === 'none' ? undefined : await timed(plan);
  process.stdout.write(JSON.stringify({ first, second }));
}

function runChild(
  mode: 'none' | 'cache',
  work: string,
): Promise<{ first: Measurement; second?: Measurement }> {
  const argv = ['--import', 'tsx', import.meta.filename, '--child', mode, '--work', work];
  return new Promise((done, fail) => {
    const process_ = spawn(process.execPath, argv, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    process_.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    process_.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    process_.once('error', fail);
    process_.once('close', (code) => {
      if (code !== 0) fail(new Error(`the run exited ${code}:\n${err.slice(-2000)}`));
      else done(JSON.parse(out) as { first: Measurement; second?: Measurement });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatTable(rows: Array<[Case, Measurement[]]>): string {
  const header = [
    'case',
    'runs',
    'templates',
    'median wall',
    'slowest wall',
    'per template',
    'QA checked / reused',
  ];
  const lines = rows.map(([name, runs]) => {
    const walls = runs.map((r) => r.ms);
    const mid = median(walls);
    const templates = runs[0]!.templates;
    return [
      LABELS[name],
      String(runs.length),
      String(templates),
      `${mid.toFixed(0)} ms`,
      `${Math.max(...walls).toFixed(0)} ms`,
      `${(mid / templates).toFixed(2)} ms`,
      `${runs[0]!.checked} / ${runs[0]!.reused}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const runs = Number(args.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const work = await mkdtemp(join(tmpdir(), 'kg-bench-qa-'));
  try {
    await cp(join(repo, 'marketing'), join(work, 'marketing'), { recursive: true });
    const cacheDir = join(work, EMAIL_QA_CACHE_DIR);
    const results: Record<Case, Measurement[]> = { none: [], cold: [], 'warm-disk': [], 'warm-memory': [] };
    for (let run = 0; run < runs; run += 1) {
      results.none.push((await runChild('none', work)).first);
      await rm(cacheDir, { recursive: true, force: true });
      results.cold.push((await runChild('cache', work)).first);
      const warm = await runChild('cache', work);
      results['warm-disk'].push(warm.first);
      results['warm-memory'].push(warm.second!);
      process.stderr.write(
        `run ${run + 1}/${runs}: no cache ${results.none.at(-1)!.ms.toFixed(0)} ms, cold ${results.cold.at(-1)!.ms.toFixed(0)} ms, ` +
          `warm disk ${warm.first.ms.toFixed(0)} ms, warm memory ${warm.second!.ms.toFixed(0)} ms\n`,
      );
    }
    console.log(
      `node ${process.version}, example content (marketing/), ${runs} run(s) each, fresh process per run, build time only\n`,
    );
    console.log(formatTable(Object.entries(results) as Array<[Case, Measurement[]]>));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (args.child) {
  if (!args.work || (args.child !== 'none' && args.child !== 'cache'))
    throw new Error('--child needs a mode and --work');
  await child(args.child, args.work);
} else {
  await main();
}
