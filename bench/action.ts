/**
 * The Action's `review` on the example content, as a pull request's job runs it: the built `action/index.js`
 * in its own process, a pull_request event, the fake GitHub (tests/github) for the comments, the embedded
 * sandbox as Klaviyo (`target: sandbox`). Wall time and peak RSS (GNU time's maximum resident set size) per
 * run, next to `node -e 0` measured the same way, so the Action's own cost can be read off.
 *
 *   npm run bench:action               3 runs of each case
 *   npm run bench:action -- --runs 5
 *
 * Cases: cold (a fresh checkout: no QA cache, no sandbox state), warm (the same checkout again: the QA cache
 * and the sandbox's state are there, as when a job restores its cache), and `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { FakeGitHub } from '../tests/github/fake-github.js';

const repo = resolve(import.meta.dirname, '..');
const TOKEN = 'ghs_benchWorkflowToken0123456789abcdef';
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(args.runs);

interface Measure {
  ms: number;
  maxRssKb: number;
  code: number | null;
}

/** Runs `node ...argv` under GNU time; its `%M` (kB) goes to a file so the child's own output stays apart. */
async function measure(argv: string[], cwd: string, env: Record<string, string>): Promise<Measure> {
  const rssFile = join(cwd, '.bench-rss');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...argv], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const ms = performance.now() - started;
  if (code !== 0) process.stderr.write(stderr.slice(-2000));
  const maxRssKb = Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop());
  return { ms, maxRssKb, code };
}

async function reviewEnv(cwd: string, github: FakeGitHub, number: number): Promise<Record<string, string>> {
  const head = 'a'.repeat(40);
  github.addPullRequest({ number, headSha: head });
  const event = join(cwd, '.bench-event.json');
  await writeFile(
    event,
    JSON.stringify({
      number,
      pull_request: {
        number,
        head: { sha: head, repo: { full_name: 'acme/marketing' } },
        base: { ref: 'main', repo: { full_name: 'acme/marketing' } },
      },
    }),
  );
  for (const name of ['.bench-output', '.bench-summary']) await writeFile(join(cwd, name), '');
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/marketing',
    GITHUB_RUN_ID: '1',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: join(cwd, '.bench-output'),
    GITHUB_STEP_SUMMARY: join(cwd, '.bench-summary'),
    GITHUB_API_URL: github.url,
    INPUT_COMMAND: 'review',
    INPUT_DIR: 'marketing',
    INPUT_TARGET: 'sandbox',
    'INPUT_GITHUB-TOKEN': TOKEN,
  };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const github = await FakeGitHub.start({
    [TOKEN]: { login: 'github-actions[bot]', access: 'write', kind: 'installation' },
  });
  const results: Record<string, Measure[]> = { 'review, cold': [], 'review, warm': [], 'node -e 0': [] };
  let number = 1;
  try {
    for (let i = 0; i < runs; i++) {
      const cwd = await mkdtemp(join(tmpdir(), 'kg-bench-action-'));
      await cp(join(repo, 'marketing'), join(cwd, 'marketing'), { recursive: true });
      const action = join(repo, 'action/index.js');
      results['review, cold']!.push(await measure([action], cwd, await reviewEnv(cwd, github, number++)));
      results['review, warm']!.push(await measure([action], cwd, await reviewEnv(cwd, github, number++)));
      results['node -e 0']!.push(await measure(['-e', '0'], cwd, {}));
      await rm(cwd, { recursive: true, force: true });
    }
  } finally {
    await github.close();
  }
  const failed = Object.values(results)
    .flat()
    .filter((m) => m.code !== 0).length;
  console.log(
    `klaviyo-gitops Action, review of the example content (${runs} runs each, median; node ${process.version})`,
  );
  console.log('case             wall ms   peak RSS MB');
  for (const [name, measures] of Object.entries(results)) {
    const ms = median(measures.map((m) => m.ms));
    const rss = median(measures.map((m) => m.maxRssKb)) / 1024;
    console.log(`${name.padEnd(15)} ${ms.toFixed(0).padStart(8)}   ${rss.toFixed(1).padStart(11)}`);
  }
  if (failed > 0) {
    console.log(`${failed} run(s) failed`);
    process.exitCode = 1;
  }
}

await main();
