/**
 * A new brand from an existing account: `init` writes a skeleton that validates, `import --dry-run` says what it
 * would rename in Klaviyo and writes nothing, and `import` then writes files that validate cleanly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext, CommandOutcome } from '../../src/commands/command.js';
import { runCli } from '../../src/commands/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { handMadeAccount } from '../engine/hand-made-account.js';
import { clientFor, SANDBOX_KEY } from '../engine/sandbox-helpers.js';

async function run(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<CommandOutcome> {
  const ctx: CommandContext = { cwd, env, progress: () => undefined };
  return runCli(argv, ctx);
}

describe('init and import', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });
  async function emptyRepository(): Promise<string> {
    const cwd = await mkdtemp(join(tmpdir(), 'kg-init-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    return cwd;
  }
  async function handMadeSandbox(): Promise<RunningSandbox> {
    const sandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'ACME01' },
      enforceRateLimits: false,
    });
    cleanup.push(() => sandbox.close());
    await handMadeAccount(clientFor(sandbox));
    return sandbox;
  }

  it('init writes a brand skeleton that validates with no findings', async () => {
    const cwd = await emptyRepository();
    const created = await run(['init', '--brand', 'acme', '--account-id', 'ACME01'], cwd);
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain('+ marketing/brands/acme/brand.yaml');
    expect(created.stdout).toContain('KLAVIYO_API_KEY_ACME=pk_... klaviyo-gitops import --brand acme');
    const validated = await run(['validate'], cwd);
    expect(validated.stderr ?? '').toBe('');
    expect(validated.exitCode).toBe(0);
    expect(validated.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('init refuses an existing brand, a bad name and a bad account id, and writes nothing', async () => {
    const cwd = await emptyRepository();
    expect((await run(['init', '--brand', 'acme', '--account-id', 'ACME01'], cwd)).exitCode).toBe(0);
    const before = readFileSync(join(cwd, 'marketing/brands/acme/brand.yaml'), 'utf8');
    const again = await run(['init', '--brand', 'acme', '--account-id', 'OTHER1'], cwd);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('marketing/brands/acme exists already; init never overwrites a brand');
    expect(readFileSync(join(cwd, 'marketing/brands/acme/brand.yaml'), 'utf8')).toBe(before);

    const badName = await run(['init', '--brand', 'Acme EU', '--account-id', 'ACME01'], cwd);
    expect(badName.exitCode).toBe(2);
    expect(badName.stderr).toContain("--brand 'Acme EU' is not a valid brand name");
    expect(badName.stderr).toContain("'acme-eu'");
    const badId = await run(['init', '--brand', 'bolt', '--account-id', 'pk_123'], cwd);
    expect(badId.exitCode).toBe(2);
    expect(badId.stderr).toContain("--account-id 'pk_123' is not a Klaviyo public account id");
    expect(readdirSync(join(cwd, 'marketing/brands'))).toEqual(['acme']);
  });

  it('import --dry-run lists the renames and markers it would make, and writes nothing anywhere', async () => {
    const cwd = await emptyRepository();
    const sandbox = await handMadeSandbox();
    await run(['init', '--brand', 'acme', '--account-id', 'ACME01'], cwd);
    const env = { KLAVIYO_API_KEY_ACME: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url };
    const logged = sandbox.requestLog.length;

    const dry = await run(['import', '--brand', 'acme', '--dry-run'], cwd, env);
    expect(dry.stderr ?? '').toBe('');
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('dry run: import would write');
    expect(dry.stdout).toMatch(/list newsletter: rename to '.*\[kg:newsletter\]', tag/);
    expect(dry.stdout).toMatch(/segment big-spenders: rename to '.*\[kg:big-spenders\]'/);
    expect(dry.stdout).toContain('Nothing was written, in Klaviyo or on disk.');
    const writes = sandbox.requestLog.slice(logged).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect(readdirSync(join(cwd, 'marketing/brands/acme/flows'))).toEqual(['.gitkeep']);
    expect(readdirSync(join(cwd, 'marketing/brands/acme/templates'))).toEqual(['.gitkeep']);
  });

  it('init, then import from an account with a flow, template, list and segment: validate has zero errors', async () => {
    const cwd = await emptyRepository();
    const sandbox = await handMadeSandbox();
    await run(['init', '--brand', 'acme', '--account-id', 'ACME01'], cwd);
    const env = { KLAVIYO_API_KEY_ACME: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url };
    const imported = await run(['import', '--brand', 'acme'], cwd, env);
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout).not.toContain('do not validate yet');
    for (const folder of ['flows', 'templates', 'segments', 'lists'])
      expect(readdirSync(join(cwd, 'marketing/brands/acme', folder)).length, folder).toBeGreaterThan(1);
    const validated = await run(['validate'], cwd);
    expect(validated.stdout).toMatch(/ 0 errors/);
    expect(validated.exitCode).toBe(0);
    expect(existsSync(join(cwd, '.klaviyo-sandbox'))).toBe(false);
  });
});
