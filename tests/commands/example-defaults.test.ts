/**
 * The example content against the embedded sandbox: the four default segments and the mapped metrics are
 * planned, applied, and in sync on the next plan.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import type { Plan } from '../../src/engine/plan.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let cwd: string | undefined;
afterEach(async () => {
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('the example brands on the embedded sandbox', () => {
  it('apply creates the default segments and maps revenue; the next plan has nothing left for them', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kg-defaults-'));
    await cp(join(REPO, 'marketing'), join(cwd, 'marketing'), { recursive: true });
    const ctx = { cwd, env: {}, progress: () => undefined };

    const planned = await runCli(['plan', '--brand', 'emberwick', '--out', 'output/plan.json'], ctx);

    expect(planned.exitCode).toBe(0);
    for (const line of [
      '+ segment all-customers "All Customers"',
      '+ segment active-customers',
      '+ segment vip-lifetime',
      '+ segment new-subscribers',
      '+ mapped-metric revenue "Revenue"',
    ])
      expect(planned.stdout).toContain(line);

    const applied = await runCli(['apply', '--brand', 'emberwick', '--auto-approve'], ctx);
    expect(applied.exitCode).toBe(0);

    const again = await runCli(['plan', '--brand', 'emberwick', '--out', 'output/plan.json'], ctx);
    expect(again.exitCode).toBe(0);
    const plan = JSON.parse(await readFile(join(cwd, 'output/plan.json'), 'utf8')) as Plan;
    const action = (kind: string, key: string) =>
      plan.brands[0]!.resources.find((r) => r.kind === kind && r.key === key)?.action.type;
    for (const key of ['all-customers', 'active-customers', 'vip-lifetime', 'new-subscribers'])
      expect(action('segment', key)).toBe('noop');
    expect(action('mapped-metric', 'revenue')).toBe('noop');
  });
});
