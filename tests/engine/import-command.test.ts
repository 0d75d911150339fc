import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/commands/import.js';
import { runPlan } from '../../src/commands/plan.js';
import { handMadeAccount } from './hand-made-account.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { ACME_FILES, writeProject } from './project.js';
import { clientFor, instantClock, SANDBOX_KEY } from './sandbox-helpers.js';
import { runAsCli } from '../../src/commands/cli-outcome.js';
import type { CommandResult } from '../../src/commands/results.js';

/** The command's result as the CLI shows it. */
const cli = (run: Promise<CommandResult>) => runAsCli(run, {}, { env: {} });

const deps = { targets: { client: { clock: instantClock(), timeoutMs: 3_600_000 } } };
describe('import command', () => {
  let cwd: string;
  let sandbox: RunningSandbox;
  beforeEach(async () => {
    cwd = await writeProject({
      'marketing/klaviyo-gitops.yaml': ACME_FILES['marketing/klaviyo-gitops.yaml']!,
      'marketing/brands/acme/brand.yaml': ACME_FILES['marketing/brands/acme/brand.yaml']!,
    });
    sandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'ACME01' },
      enforceRateLimits: false,
    });
    await handMadeAccount(clientFor(sandbox));
  });
  afterEach(async () => {
    await sandbox.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const ctx = () => ({
    cwd,
    env: { KLAVIYO_API_KEY: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url },
    progress: () => undefined,
  });

  it('writes the account as files, marks the objects, and the next plan shows no changes', async () => {
    const outcome = await cli(runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('plan after import: no changes');
    const brandDir = join(cwd, 'marketing/brands/acme');
    expect((await readdir(join(brandDir, 'flows'))).sort()).toEqual(['welcome-series.yaml']);
    expect((await readdir(join(brandDir, 'templates'))).sort()).toEqual([
      'welcome-series-email.html',
      'welcome-series-email.txt',
      'welcome.html',
      'welcome.txt',
    ]);
    const flowFile = await readFile(join(brandDir, 'flows/welcome-series.yaml'), 'utf8');
    expect(flowFile).toContain('trigger:\n  list: newsletter\n');
    expect(flowFile).toContain('wait:\n      days: 1');
    expect(flowFile).toContain('template: welcome\n');
    expect(flowFile).toContain('entry_filters:\n  - consent:\n      channel: email\n');
    expect(flowFile).toContain(
      '- metric: Placed Order\n          count:\n            more_than: 0\n          since: flow_start',
    );
    expect(flowFile).not.toContain('raw:');
    expect(await readFile(join(brandDir, 'segments/big-spenders.yaml'), 'utf8')).toBe(
      'name: Big spenders\nstarred: true\nall:\n  - member_of:\n      list: newsletter\n  - metric: Placed Order\n    sum:\n      more_than: 500\n',
    );
    expect(await readFile(join(brandDir, 'lists/newsletter.yaml'), 'utf8')).toBe('name: Newsletter\n');

    const plan = await cli(runPlan({ dir: 'marketing', detailedExitcode: true }, ctx(), deps));
    expect(plan.stdout).toContain('No changes: Klaviyo matches the repository.');
    expect(plan.exitCode).toBe(0);

    const names = sandbox.account(SANDBOX_KEY).state;
    expect(Object.values(names.lists).map((l) => l.name)).toEqual(['Newsletter [kg:newsletter]']);
    expect(Object.values(names.flows).map((f) => f.name)).toEqual(['Welcome series']);
  });

  it('imports nothing twice and never overwrites a file', async () => {
    await runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps);
    const again = await cli(runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps));
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('wrote 0 files');
    expect(again.stdout).not.toContain('marked');
    expect(again.stdout).toContain('plan after import: no changes');
  });

  it('keeps an existing file and says so', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(join(cwd, 'elsewhere/lists'), { recursive: true });
    await writeFile(join(cwd, 'elsewhere/lists/newsletter.yaml'), 'name: Mine\n');
    const outcome = await cli(runImport({ dir: 'marketing', brand: 'acme', out: 'elsewhere' }, ctx(), deps));
    expect(outcome.stdout).toContain('= elsewhere/lists/newsletter.yaml (exists, not overwritten)');
    expect(await readFile(join(cwd, 'elsewhere/lists/newsletter.yaml'), 'utf8')).toBe('name: Mine\n');
  });
});
