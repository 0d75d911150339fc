/**
 * One target per run, decided before anything is read or written, said once: through the CLI as a user meets it.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext, CommandOutcome } from '../../src/commands/command.js';
import { runCli } from '../../src/commands/index.js';
import { KlaviyoClient } from '../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { ACME_FILES, writeProject } from '../engine/project.js';

/** Two brands, two accounts: acme names KLAVIYO_API_KEY_ACME, bolt names KLAVIYO_API_KEY_BOLT. */
const TWO_BRANDS: Record<string, string> = {
  ...ACME_FILES,
  'marketing/brands/bolt/brand.yaml': ACME_FILES['marketing/brands/acme/brand.yaml']!.replace(
    'account_id: ACME01',
    'account_id: BOLT01',
  ).replace('KLAVIYO_API_KEY_ACME', 'KLAVIYO_API_KEY_BOLT'),
  'marketing/brands/bolt/lists/newsletter.yaml': 'name: Newsletter\n',
};

const ACME_KEY = 'pk_acme_0123456789abcdef';
const BOLT_KEY = 'pk_bolt_0123456789abcdef';

/** A stand-in for Klaviyo that only counts: any request reaching it is a request the run must not have sent. */
async function countingServer(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(500).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

interface Run {
  outcome: CommandOutcome;
  progress: string[];
  /** Everything a person sees: progress (stderr), stdout, stderr. */
  all: string;
}

async function run(argv: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const progress: string[] = [];
  const ctx: CommandContext = { cwd, env, progress: (line) => progress.push(line) };
  const outcome = await runCli(argv, ctx);
  return { outcome, progress, all: [...progress, outcome.stdout, outcome.stderr ?? ''].join('\n') };
}

async function recordMetric(sandbox: RunningSandbox, key: string, name: string): Promise<void> {
  await new KlaviyoClient({ apiKey: key, baseUrl: sandbox.url }).events.create({
    data: {
      type: 'event',
      attributes: {
        properties: {},
        metric: { data: { type: 'metric', attributes: { name } } },
        profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } },
      },
    },
  });
}

describe('the run target', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  async function project(files = TWO_BRANDS): Promise<string> {
    const cwd = await writeProject(files);
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    return cwd;
  }

  async function counting() {
    const server = await countingServer();
    cleanup.push(server.close);
    return server;
  }

  it.each([
    ['plan', ['plan']],
    ['apply', ['apply']],
    ['drift', ['drift']],
    ['import', ['import', '--brand', 'bolt']],
  ])(
    '%s: a brand without its key, with another brand keyed, exits 1 naming the variable and sends nothing',
    async (_verb, argv) => {
      const cwd = await project();
      const klaviyo = await counting();
      const { outcome, all } = await run(argv, cwd, {
        KLAVIYO_API_KEY_ACME: ACME_KEY,
        KLAVIYO_BASE_URL: klaviyo.url,
      });
      expect(outcome.exitCode).toBe(1);
      expect(all).toContain('no Klaviyo API key for brand bolt');
      expect(all).toContain(
        '  brand bolt: set KLAVIYO_API_KEY_BOLT (or the fallback KLAVIYO_API_KEY); KLAVIYO_API_KEY_BOLT is not set, KLAVIYO_API_KEY is not set',
      );
      expect(all).toContain(
        `targets Klaviyo at ${klaviyo.url} because KLAVIYO_API_KEY_ACME, KLAVIYO_BASE_URL are set`,
      );
      expect(klaviyo.count()).toBe(0);
      // Never the sandbox in its place.
      expect(all).not.toContain('target: local sandbox');
      expect(existsSync(join(cwd, '.klaviyo-sandbox'))).toBe(false);
      expect(all).not.toContain(ACME_KEY);
    },
  );

  it('names every brand without a key at once, and an empty variable as empty', async () => {
    const cwd = await project();
    const klaviyo = await counting();
    const { outcome } = await run(['plan'], cwd, {
      KLAVIYO_API_KEY_ACME: '',
      KLAVIYO_BASE_URL: klaviyo.url,
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toBe(
      [
        `error: no Klaviyo API key for brands acme, bolt; this run targets Klaviyo at ${klaviyo.url} because KLAVIYO_API_KEY_ACME, KLAVIYO_BASE_URL are set:`,
        '  brand acme: set KLAVIYO_API_KEY_ACME (or the fallback KLAVIYO_API_KEY); KLAVIYO_API_KEY_ACME is empty, KLAVIYO_API_KEY is not set',
        '  brand bolt: set KLAVIYO_API_KEY_BOLT (or the fallback KLAVIYO_API_KEY); KLAVIYO_API_KEY_BOLT is not set, KLAVIYO_API_KEY is not set',
        'Nothing was read or written. Set the missing variable, or run every brand against the local sandbox with --target sandbox.',
      ].join('\n'),
    );
    expect(klaviyo.count()).toBe(0);
  });

  it('--target sandbox with keys set runs every brand against the local sandbox and says so', async () => {
    const cwd = await project();
    const klaviyo = await counting();
    const { outcome, progress, all } = await run(['plan', '--target', 'sandbox'], cwd, {
      KLAVIYO_API_KEY_ACME: ACME_KEY,
      KLAVIYO_API_KEY_BOLT: BOLT_KEY,
      KLAVIYO_BASE_URL: klaviyo.url,
    });
    expect(outcome.stderr).toBeUndefined();
    expect(outcome.exitCode).toBe(0);
    expect(progress[0]).toBe('target: local sandbox (.klaviyo-sandbox/): asked for with --target sandbox');
    expect(all.match(/target:/g)).toHaveLength(1);
    expect(outcome.stdout).toContain('brand acme (account ACME01)');
    expect(outcome.stdout).toContain('brand bolt (account BOLT01)');
    expect(klaviyo.count()).toBe(0);
    expect(existsSync(join(cwd, '.klaviyo-sandbox/state.json'))).toBe(true);
  });

  it('--target klaviyo with no key at all is the missing-key error, never the sandbox', async () => {
    const cwd = await project();
    const { outcome, all } = await run(['apply', '--target', 'klaviyo'], cwd, {});
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(
      'Refused: no Klaviyo API key for brands acme, bolt; this run targets Klaviyo at https://a.klaviyo.com because --target klaviyo was given:',
    );
    expect(all).not.toContain('target: local sandbox');
    expect(existsSync(join(cwd, '.klaviyo-sandbox'))).toBe(false);
  });

  it('refuses a --target other than klaviyo or sandbox as a usage error', async () => {
    const cwd = await project();
    const { outcome } = await run(['drift', '--target', 'prod'], cwd, {});
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(
      /^error: --target must be klaviyo or sandbox \(got 'prod'\)\nUsage: klaviyo-gitops drift /,
    );
  });

  it('with nothing configured, every brand shares the embedded sandbox, said once', async () => {
    const cwd = await project();
    const { outcome, progress, all } = await run(['plan'], cwd, {});
    expect(outcome.exitCode).toBe(0);
    expect(progress[0]).toBe(
      'target: local sandbox (.klaviyo-sandbox/): no KLAVIYO_API_KEY, KLAVIYO_API_KEY_<BRAND> or KLAVIYO_BASE_URL is set',
    );
    expect(all.match(/target:/g)).toHaveLength(1);
  });

  it.each([['plan'], ['drift'], ['apply']])(
    '%s states its Klaviyo target once, first, with each brand and where its key came from',
    async (verb) => {
      const cwd = await project();
      const sandbox = await startSandbox({
        port: 0,
        accounts: { [ACME_KEY]: 'ACME01', [BOLT_KEY]: 'BOLT01' },
        enforceRateLimits: false,
      });
      cleanup.push(() => sandbox.close());
      await recordMetric(sandbox, ACME_KEY, 'Placed Order');
      // bolt reads the fallback variable: the line says so.
      const args = verb === 'apply' ? [verb, '--auto-approve'] : [verb];
      const { outcome, progress, all } = await run(args, cwd, {
        KLAVIYO_API_KEY_ACME: ACME_KEY,
        KLAVIYO_API_KEY: BOLT_KEY,
        KLAVIYO_BASE_URL: sandbox.url,
      });
      expect(outcome.exitCode).toBe(0);
      expect(progress[0]).toBe(
        `target: Klaviyo at ${sandbox.url}: brand acme (key from KLAVIYO_API_KEY_ACME)\ntarget: Klaviyo at ${sandbox.url}: brand bolt (key from KLAVIYO_API_KEY)`,
      );
      expect(all.match(/target:/g)).toHaveLength(2);
      expect(all).not.toContain(ACME_KEY);
      expect(all).not.toContain(BOLT_KEY);
    },
  );

  it('import states its target once', async () => {
    const cwd = await project();
    const sandbox = await startSandbox({
      port: 0,
      accounts: { [BOLT_KEY]: 'BOLT01' },
      enforceRateLimits: false,
    });
    cleanup.push(() => sandbox.close());
    const { outcome, progress, all } = await run(['import', '--brand', 'bolt'], cwd, {
      KLAVIYO_API_KEY_BOLT: BOLT_KEY,
      KLAVIYO_BASE_URL: sandbox.url,
    });
    expect(outcome.exitCode).toBe(0);
    expect(progress[0]).toBe(`target: Klaviyo at ${sandbox.url}: brand bolt (key from KLAVIYO_API_KEY_BOLT)`);
    expect(all.match(/target:/g)).toHaveLength(1);
  });
});
