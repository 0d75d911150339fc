/**
 * How long `validate` and `render` take, and how much memory they need, on the example content and on a
 * generated repository of one brand with 500 templates (the example layouts and partials, varied bodies).
 *
 *   npm run bench:render                      3 runs of each command per repository
 *   npm run bench:render -- --runs 5          more runs
 *   npm run bench:render -- --templates 1000  a bigger generated repository
 *   npm run bench:render -- --screenshots     also `render --screenshots` (system Chromium) on both
 *
 * Every run is its own `node action/cli.js …` process (the bundle users run), so its peak memory is honest:
 * the maximum resident set size from GNU time when /usr/bin/time is there, else the process's own
 * `resourceUsage().maxRSS`. Wall time is measured around the whole process, start-up included, with an empty
 * email QA cache (`.klaviyo-gitops/cache/qa/`) each time. Columns:
 * median and slowest wall time, time per template (median / templates), peak RSS (largest over the runs).
 * The browser's own memory is not counted (it is a separate process tree).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateRepository } from './generated-repository.js';

const repo = resolve(import.meta.dirname, '..');
const cli = join(repo, 'action', 'cli.js');
const gnuTime = '/usr/bin/time';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    templates: { type: 'string', default: '500' },
    screenshots: { type: 'boolean', default: false },
  },
});
const runs = positiveInteger(args.runs, '--runs');
const generatedCount = positiveInteger(args.templates, '--templates');

interface Measurement {
  wallMs: number;
  maxRssKb: number;
  exitCode: number;
}

interface Row {
  repository: string;
  templates: number;
  command: string;
  runs: Measurement[];
}

function positiveInteger(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
  return n;
}

/** Runs one CLI command in a fresh process and measures it. */
async function measure(argv: string[], cwd: string, rssFile: string): Promise<Measurement> {
  const useGnuTime = existsSync(gnuTime);
  const command = useGnuTime ? gnuTime : process.execPath;
  const commandArgs = useGnuTime
    ? ['-f', 'maxrss=%M', process.execPath, cli, ...argv]
    : ['--import', pathToRssReporter(rssFile), cli, ...argv];
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done, fail) => {
    const child = spawn(command, commandArgs, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', fail);
    child.once('close', (exitCode) => done({ code: exitCode ?? -1, stderr: err }));
  });
  const wallMs = performance.now() - started;
  let maxRssKb: number;
  if (useGnuTime) {
    const match = /maxrss=(\d+)/.exec(stderr);
    if (!match) throw new Error(`GNU time printed no maxrss for ${argv.join(' ')}:\n${stderr.slice(-500)}`);
    maxRssKb = Number(match[1]);
  } else {
    maxRssKb = Number((await readFile(rssFile, 'utf8')).trim());
  }
  if (code > 1) throw new Error(`${argv.join(' ')} exited ${code}:\n${stderr.slice(-1000)}`);
  return { wallMs, maxRssKb, exitCode: code };
}

let rssReporter: string | undefined;
/** A module preloaded into the child that writes its peak RSS (KB) to a file when it exits. */
function pathToRssReporter(rssFile: string): string {
  if (!rssReporter) throw new Error('the RSS reporter was not written');
  return `${rssReporter}?out=${encodeURIComponent(rssFile)}`;
}

async function writeRssReporter(dir: string): Promise<void> {
  const file = join(dir, 'rss-reporter.mjs');
  await writeFile(
    file,
    [
      "import { writeFileSync } from 'node:fs';",
      "const out = decodeURIComponent(new URL(import.meta.url).searchParams.get('out'));",
      "process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));",
      '',
    ].join('\n'),
  );
  rssReporter = new URL(`file://${file}`).href;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatTable(rows: Row[]): string {
  const header = [
    'repository',
    'templates',
    'command',
    'runs',
    'median wall',
    'slowest wall',
    'per template',
    'peak RSS',
    'exit',
  ];
  const lines = rows.map((row) => {
    const walls = row.runs.map((r) => r.wallMs);
    const mid = median(walls);
    return [
      row.repository,
      String(row.templates),
      row.command,
      String(row.runs.length),
      `${(mid / 1000).toFixed(2)} s`,
      `${(Math.max(...walls) / 1000).toFixed(2)} s`,
      `${(mid / row.templates).toFixed(1)} ms`,
      `${(Math.max(...row.runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB`,
      [...new Set(row.runs.map((r) => r.exitCode))].join('/'),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string =>
    cells.map((c, i) => (i <= 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run bundle first`);
  const work = await mkdtemp(join(tmpdir(), 'kg-bench-render-'));
  try {
    await writeRssReporter(work);
    const generated = join(work, 'generated');
    await generateRepository(generated, generatedCount);
    const repositories = [
      { label: 'example (marketing/)', dir: join(repo, 'marketing'), templates: 0 },
      { label: 'generated, 1 brand', dir: generated, templates: generatedCount },
    ];
    repositories[0]!.templates = await countTemplates(repositories[0]!.dir);
    const commands: Array<{ label: string; argv: (dir: string, out: string) => string[] }> = [
      { label: 'validate', argv: (dir) => ['validate', '--dir', dir] },
      { label: 'render', argv: (dir, out) => ['render', '--dir', dir, '--out', out] },
    ];
    if (args.screenshots) {
      commands.push({
        label: 'render --screenshots',
        argv: (dir, out) => ['render', '--dir', dir, '--out', out, '--screenshots'],
      });
    }
    const rows: Row[] = [];
    for (const repository of repositories) {
      for (const command of commands) {
        const row: Row = {
          repository: repository.label,
          templates: repository.templates,
          command: command.label,
          runs: [],
        };
        for (let run = 0; run < runs; run += 1) {
          const out = join(work, `out-${rows.length}-${run}`);
          // Every run starts with no email QA cache, so these are cold figures (bench:qa has the warm ones).
          await rm(join(work, '.klaviyo-gitops'), { recursive: true, force: true });
          const m = await measure(command.argv(repository.dir, out), work, join(work, 'rss.txt'));
          row.runs.push(m);
          await rm(out, { recursive: true, force: true });
          process.stderr.write(
            `${repository.label} ${command.label} run ${run + 1}/${runs}: ${(m.wallMs / 1000).toFixed(2)} s, ` +
              `${(m.maxRssKb / 1024).toFixed(0)} MB\n`,
          );
        }
        rows.push(row);
      }
    }
    const peak = existsSync(gnuTime)
      ? 'GNU time maximum resident set size'
      : 'process.resourceUsage().maxRSS';
    console.log(
      `node ${process.version}, ${cli.replace(`${repo}/`, '')}, ${runs} run(s) each, fresh process per run, peak RSS from ${peak}\n`,
    );
    console.log(formatTable(rows));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function countTemplates(dir: string): Promise<number> {
  let count = 0;
  for (const brand of await readdir(join(dir, 'brands'))) {
    const templates = join(dir, 'brands', brand, 'templates');
    if (!existsSync(templates)) continue;
    count += (await readdir(templates)).filter((f) => f.endsWith('.html')).length;
  }
  return count;
}

await main();
