/**
 * Every row of the exit-code table (src/commands/exit-codes.ts): through the CLI as a real process where that is
 * cheap (the embedded sandbox stands in for Klaviyo), and through exitCodeOf for the rows a process cannot reach
 * cheaply (an apply where a resource failed, a plan or drift with plan errors, an unknown throw).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../src/commands/errors.js';
import { exitCodeOf } from '../../src/commands/exit-codes.js';
import type { ApplyResult, DriftResult, PlanResult, PullResult } from '../../src/commands/results.js';
import type { Plan } from '../../src/engine/plan.js';
import { tempProject, type TempProject } from '../project/temp-project.js';
import { buildCli, runCliProcess } from './cli-process.js';

let cli: string;
const projects: TempProject[] = [];
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  for (const project of projects) project.cleanup();
});

function project(files: Record<string, string | null> = {}): TempProject {
  const made = tempProject(files);
  projects.push(made);
  return made;
}

const run = (p: TempProject, args: string[], env: Record<string, string> = {}) =>
  runCliProcess(cli, args, { cwd: p.cwd, env, timeoutMs: 60_000 });

describe('exit codes of the CLI as a process', () => {
  it('2 for a usage error: no such directory, an unknown flag, an unknown brand', async () => {
    const p = project();
    const [noDir, flag, brand] = await Promise.all([
      run(p, ['plan', '--dir', 'nope']),
      run(p, ['validate', '--no-such-flag']),
      run(p, ['validate', '--brand', 'nobody']),
    ]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/^error: .*nope/m);
    expect(flag.code).toBe(2);
    expect(brand.code).toBe(2);
  }, 60_000);

  it('validate: 0 when clean, 1 with errors (with path:line:col)', async () => {
    const clean = project();
    const broken = project({ 'marketing/brands/acme/lists/newsletter.yaml': 'name: [unclosed\n' });
    const [ok, bad] = await Promise.all([run(clean, ['validate']), run(broken, ['validate'])]);
    expect(ok.code).toBe(0);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/marketing\/brands\/acme\/lists\/newsletter\.yaml:\d+:\d+: error/);
  }, 60_000);

  it('render: 1 when a preview failed, the gallery written for the rest', async () => {
    const p = project();
    cpSync(join(import.meta.dirname, '../fixtures/render'), p.cwd, { recursive: true });
    const rendered = await run(p, ['render', '--out', 'previews']);
    expect(rendered.code).toBe(1);
    expect(rendered.stdout).toContain('FAILED');
  }, 60_000);

  it('plan: 0 with changes, 2 with changes and --detailed-exitcode, 1 when refused for a missing key', async () => {
    const [plain, detailed, refused] = [project(), project(), project()];
    const [a, b, c] = await Promise.all([
      run(plain, ['plan']),
      run(detailed, ['plan', '--detailed-exitcode']),
      run(refused, ['plan', '--target', 'klaviyo']),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Plan: +6 ~0 -0');
    expect(b.code).toBe(2);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('KLAVIYO_API_KEY_ACME');
  }, 90_000);

  it('drift: 0 without the flag, 2 with --fail-on-drift when Klaviyo lacks the managed objects', async () => {
    const [plain, failing] = [project(), project()];
    const [a, b] = await Promise.all([run(plain, ['drift']), run(failing, ['drift', '--fail-on-drift'])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(2);
    expect(b.stdout).toContain('Drift found.');
  }, 90_000);

  it('apply: 0 when everything was applied; 1 when refused (no terminal, no --auto-approve)', async () => {
    const [applied, refused] = [project(), project()];
    const [a, b] = await Promise.all([run(applied, ['apply', '--auto-approve']), run(refused, ['apply'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Apply complete:');
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/Refused: apply asks before it writes.*Nothing was written\./);
  }, 90_000);
});

/** A plan with one brand, with or without an error and a change. */
function plan(options: { error?: boolean; change?: boolean }): Plan {
  return {
    brands: [
      {
        brand: 'acme',
        problems: options.error ? [{ severity: 'error', message: 'unknown metric' }] : [],
        resources: options.change ? [{ action: { type: 'create' } }] : [{ action: { type: 'noop' } }],
      },
    ],
  } as unknown as Plan;
}

describe('exitCodeOf, for the rows a process does not reach cheaply', () => {
  it('maps the error kinds: usage 2, refused 1, failed 1, anything else thrown 1', () => {
    expect(exitCodeOf(new CommandError('usage', 'x'))).toBe(2);
    expect(exitCodeOf(new CommandError('refused', 'x'))).toBe(1);
    expect(exitCodeOf(new CommandError('failed', 'x'))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    expect(exitCodeOf('a string thrown')).toBe(1);
  });

  it('plan: changes count only in a plan without errors', () => {
    const result = (p: Plan, detailedExitcode: boolean) =>
      ({ command: 'plan', plan: p, target: 't', written: { json: 'p' }, detailedExitcode }) as PlanResult;
    expect(exitCodeOf(result(plan({ change: true }), true))).toBe(2);
    expect(exitCodeOf(result(plan({ change: true }), false))).toBe(0);
    expect(exitCodeOf(result(plan({ change: false }), true))).toBe(0);
    expect(exitCodeOf(result(plan({ change: true, error: true }), true))).toBe(1);
  });

  it('drift: 2 only with --fail-on-drift and drift, 1 when the plan has errors', () => {
    const result = (p: Plan, drifted: boolean, failOnDrift: boolean) =>
      ({ command: 'drift', plan: p, report: { drifted }, failOnDrift }) as unknown as DriftResult;
    expect(exitCodeOf(result(plan({}), true, true))).toBe(2);
    expect(exitCodeOf(result(plan({}), true, false))).toBe(0);
    expect(exitCodeOf(result(plan({ error: true }), true, true))).toBe(1);
  });

  it('apply: 1 when some resources failed; pull: 1 when some edits were not pulled', () => {
    expect(exitCodeOf({ command: 'apply', outcome: 'failed' } as ApplyResult)).toBe(1);
    expect(exitCodeOf({ command: 'apply', outcome: 'applied' } as ApplyResult)).toBe(0);
    expect(exitCodeOf({ command: 'pull', notPulled: 1 } as PullResult)).toBe(1);
    expect(exitCodeOf({ command: 'pull', notPulled: 0 } as PullResult)).toBe(0);
  });
});
