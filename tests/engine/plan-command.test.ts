import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command.js';
import { runPlan } from '../../src/commands/plan.js';
import { buildDesiredState } from '../../src/compile/index.js';
import { verifyFingerprints, type Plan } from '../../src/engine/plan.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { writeProject } from './project.js';
import { clientFor, instantClock, SANDBOX_KEY, seed } from './sandbox-helpers.js';
import { runAsCli } from '../../src/commands/cli-outcome.js';
import type { CommandResult } from '../../src/commands/results.js';

/** The command's result as the CLI shows it. */
const cli = (run: Promise<CommandResult>) => runAsCli(run, {}, { env: {} });

const fastClient = { clock: instantClock(), timeoutMs: 3_600_000 };

function context(
  cwd: string,
  env: Record<string, string> = {},
): CommandContext & { progressLines: string[] } {
  const progressLines: string[] = [];
  return { cwd, env, progress: (line) => progressLines.push(line), progressLines };
}

describe('plan command', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it('runs against the embedded sandbox without a key, says so first, and writes the plan', async () => {
    const cwd = await writeProject();
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    const ctx = context(cwd);
    const outcome = await cli(
      runPlan(
        { dir: 'marketing', out: 'output/plan.json', markdown: 'output/plan.md', detailedExitcode: true },
        ctx,
        { targets: { client: fastClient, sandbox: { enforceRateLimits: false } } },
      ),
    );
    expect(outcome.stderr).toBeUndefined();
    expect(outcome.exitCode).toBe(2);
    expect(ctx.progressLines[0]).toMatch(/^target: local sandbox/);
    expect(outcome.stdout).toContain('Plan: +4 ~0 -0');
    const plan = JSON.parse(await readFile(join(cwd, 'output/plan.json'), 'utf8')) as Plan;
    expect(verifyFingerprints(plan)).toBe(true);
    expect(plan.brands[0]!.resources.map((r) => `${r.kind}:${r.key}:${r.action.type}`)).toEqual([
      'list:newsletter:create',
      'segment:vip:create',
      'template:welcome:create',
      'flow:welcome:create',
    ]);
    expect(await readFile(join(cwd, 'output/plan.md'), 'utf8')).toMatch(
      /^### klaviyo-gitops plan: \+4 ~0 -0/,
    );
    // The sandbox keeps its state in the working directory (JSON lines), under the brand's account id.
    const state = await readFile(join(cwd, '.klaviyo-sandbox/state.json'), 'utf8');
    expect(state.split('\n')[1]).toContain('"account","ACME01"');
  });

  it('shows no changes once Klaviyo holds what the repository says (exit 0 with --detailed-exitcode)', async () => {
    const cwd = await writeProject();
    const sandbox: RunningSandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'ACME01' },
      enforceRateLimits: false,
    });
    cleanup.push(
      () => rm(cwd, { recursive: true, force: true }),
      () => sandbox.close(),
    );
    const client = clientFor(sandbox);
    await client.events.create({
      data: {
        type: 'event',
        attributes: {
          properties: {},
          metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
          profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } },
        },
      },
    });
    const { states } = await buildDesiredState({ cwd, dir: 'marketing' });
    await seed(client, states[0]!);
    const ctx = context(cwd, { KLAVIYO_API_KEY_ACME: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url });
    const outcome = await cli(
      runPlan({ dir: 'marketing', detailedExitcode: true }, ctx, {
        targets: { client: fastClient },
      }),
    );
    expect(ctx.progressLines[0]).toBe(
      `target: Klaviyo at ${sandbox.url}: brand acme (key from KLAVIYO_API_KEY_ACME)`,
    );
    expect(outcome.stdout).toContain('No changes: Klaviyo matches the repository.');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).not.toContain(SANDBOX_KEY);
  });

  it("refuses another account's key without writing anything", async () => {
    const cwd = await writeProject();
    const sandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'OTHER1' },
      enforceRateLimits: false,
    });
    cleanup.push(
      () => rm(cwd, { recursive: true, force: true }),
      () => sandbox.close(),
    );
    const ctx = context(cwd, { KLAVIYO_API_KEY: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url });
    const outcome = await cli(
      runPlan({ dir: 'marketing', detailedExitcode: true }, ctx, {
        targets: { client: fastClient },
      }),
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toBe(
      'error: brand acme: the API key belongs to Klaviyo account OTHER1, but the brand is configured for account ACME01; refusing to continue',
    );
    expect(sandbox.requestLog.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /api/accounts']);
  });
});
