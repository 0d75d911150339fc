/**
 * A repository checkout for the Action to run in, as a workflow would have it: the example marketing content
 * in a temporary directory, a Klaviyo (the sandbox, one account per brand, opened by a canary key that must
 * never show up anywhere) and GitHub (the fake REST server). `run` starts the built Action in its own process
 * with the inputs and event a workflow would give it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { seedSandboxMetrics } from '../../src/commands/target.js';
import { buildDesiredState } from '../../src/compile/index.js';
import { KlaviyoClient } from '../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { FakeGitHub } from '../github/fake-github.js';
import { runAction, type ActionRun } from './action-process.js';

export const WRITE_TOKEN = 'ghs_writeWorkflowToken0123456789abcdef';
export const READ_TOKEN = 'ghs_readOnlyForkToken0123456789abcdef';
export const BAD_TOKEN = 'ghs_revokedToken0123456789abcdef000000';
export const BOT = 'github-actions[bot]';
const ROOT = resolve(import.meta.dirname, '../..');

export interface ActionWorkspace {
  cwd: string;
  sandbox: RunningSandbox;
  github: FakeGitHub;
  /** The canary key of each brand's account. */
  keys: Record<string, string>;
  brands: string[];
  /** A client on a brand's account, to look at Klaviyo or edit it by hand. */
  klaviyo(brand: string): KlaviyoClient;
  run(options: {
    command: string;
    brand?: string;
    eventName: string;
    event: unknown;
    sha?: string;
    token?: string;
    /** Default: the brand's canary key; '' for none (a fork). */
    apiKey?: string;
    inputs?: Record<string, string>;
    /** More of the runner's environment (a step's `env:`). */
    env?: Record<string, string>;
  }): Promise<ActionRun>;
  /** Every Action run so far, for the secret check. */
  runs: ActionRun[];
  write(path: string, text: string): Promise<void>;
  read(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function actionWorkspace(): Promise<ActionWorkspace> {
  const cwd = await mkdtemp(join(tmpdir(), 'kg-action-'));
  await cp(join(ROOT, 'marketing'), join(cwd, 'marketing'), { recursive: true });
  const build = await buildDesiredState({ cwd, dir: 'marketing' });
  const keys: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  for (const state of build.states) {
    keys[state.brand] = `pk_canary_${state.brand}_7f3a9c1e5b2d4f6a8c0e`;
    accounts[keys[state.brand]!] = state.accountId;
  }
  const sandbox = await startSandbox({ port: 0, accounts, enforceRateLimits: false });
  const klaviyo = (brand: string) => new KlaviyoClient({ apiKey: keys[brand]!, baseUrl: sandbox.url });
  // A real account has its store's metrics; the sandbox gets them the way Klaviyo does, from one event each.
  for (const state of build.states) await seedSandboxMetrics(klaviyo(state.brand), state.brand, state);
  const github = await FakeGitHub.start({
    [WRITE_TOKEN]: { login: BOT, access: 'write', kind: 'installation' },
    [READ_TOKEN]: { login: BOT, access: 'read', kind: 'installation' },
  });
  const runs: ActionRun[] = [];
  return {
    cwd,
    sandbox,
    github,
    keys,
    brands: build.states.map((s) => s.brand),
    klaviyo,
    runs,
    async run(options) {
      const apiKey = options.apiKey ?? (options.brand ? keys[options.brand]! : '');
      const result = await runAction({
        cwd,
        eventName: options.eventName,
        event: options.event,
        ...(options.sha ? { sha: options.sha } : {}),
        inputs: {
          command: options.command,
          dir: 'marketing',
          target: 'klaviyo',
          'github-token': options.token ?? WRITE_TOKEN,
          'klaviyo-api-key': apiKey,
          ...(options.brand ? { brand: options.brand } : {}),
          ...options.inputs,
        },
        env: { GITHUB_API_URL: github.url, KLAVIYO_BASE_URL: sandbox.url, ...options.env },
      });
      runs.push(result);
      return result;
    },
    write: (path, text) => writeFile(join(cwd, path), text),
    read: (path) => readFile(join(cwd, path), 'utf8'),
    async close() {
      await github.close();
      await sandbox.close();
      // Every request the Action sent is one GitHub's REST description accepts.
      expect(github.invalidRequests).toEqual([]);
      assertNoSecrets(runs, github, Object.values(keys));
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

/**
 * No key and no token in any request GitHub received, any output, summary, annotation or log line. The one
 * exception is `::add-mask::<secret>`, the command by which the Action asks the runner to mask it.
 */
export function assertNoSecrets(
  runs: readonly ActionRun[],
  github: FakeGitHub,
  keys: readonly string[],
): void {
  const secrets = [...keys, WRITE_TOKEN, READ_TOKEN, BAD_TOKEN];
  const sent = JSON.stringify(github.requests);
  for (const run of runs) {
    const log = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    const shown = [log, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.annotations)].join('\n');
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(sent).not.toContain(secret);
    }
  }
}

/** A 40-hex commit id from a short label. */
export function sha(label: string): string {
  return Buffer.from(label).toString('hex').padEnd(40, '0').slice(0, 40);
}

export function pullRequestEvent(number: number, headSha: string, fork = false) {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: {
        sha: headSha,
        ref: `change-${number}`,
        repo: { full_name: fork ? 'someone/marketing' : 'acme/marketing' },
      },
      base: { ref: 'main', sha: sha('base'), repo: { full_name: 'acme/marketing' } },
    },
    repository: { full_name: 'acme/marketing', default_branch: 'main' },
  };
}

export function pushEvent(after: string) {
  return {
    ref: 'refs/heads/main',
    before: sha('before'),
    after,
    repository: { full_name: 'acme/marketing' },
  };
}
