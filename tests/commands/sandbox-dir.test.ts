/**
 * `klaviyo-gitops sandbox --dir marketing` serves the example content out of the box: the printed lines are all
 * the environment `plan` needs.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/command.js';
import { CommandError } from '../../src/commands/errors.js';
import { runCli } from '../../src/commands/index.js';
import { brandAccounts } from '../../src/commands/sandbox-brands.js';
import type { DesiredBrandState } from '../../src/compile/desired-state.js';

const EXAMPLE = fileURLToPath(new URL('../../marketing', import.meta.url));
const ENV_LINE = /^([A-Z][A-Z0-9_]*)=(\S+)$/;

describe('klaviyo-gitops sandbox --dir', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it('opens every brand, creates the metrics the content uses, and prints the lines plan needs', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kg-sandbox-dir-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    await cp(EXAMPLE, join(cwd, 'marketing'), { recursive: true });

    const controller = new AbortController();
    const lines: string[] = [];
    const serving = runCli(['sandbox', '--dir', 'marketing', '--port', '0'], {
      cwd,
      env: {},
      progress: (line) => lines.push(line),
      signal: controller.signal,
    });
    cleanup.push(async () => {
      controller.abort();
      await serving;
    });
    await expect
      .poll(() => lines.some((l) => l.startsWith('KLAVIYO_BASE_URL=')), { timeout: 20_000 })
      .toBe(true);

    const printed = lines.filter((l) => ENV_LINE.test(l));
    expect(printed.map((l) => ENV_LINE.exec(l)![1])).toEqual([
      'KLAVIYO_API_KEY_EMBERWICK',
      'KLAVIYO_API_KEY_TRAILHEAD',
      'KLAVIYO_BASE_URL',
    ]);
    expect(printed.at(-1)).toMatch(/^KLAVIYO_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
    for (const line of printed.slice(0, 2)) expect(line).toMatch(/=pk_\S+$/);
    expect(
      lines.some((l) => /^sandbox account trailhead: tracked one event each .*Placed Order/.test(l)),
    ).toBe(true);

    // The printed lines, exactly, are the whole environment.
    const env = Object.fromEntries(printed.map((l) => ENV_LINE.exec(l)!.slice(1, 3) as [string, string]));
    const progress: string[] = [];
    const plan: CommandOutcome = await runCli(['plan', '--dir', 'marketing'], {
      cwd,
      env,
      progress: (line) => progress.push(line),
    });
    expect(plan.stderr).toBeUndefined();
    expect(plan.exitCode).toBe(0);
    expect(progress[0]).toBe(
      `target: Klaviyo at ${env.KLAVIYO_BASE_URL}: brand emberwick (key from KLAVIYO_API_KEY_EMBERWICK)\ntarget: Klaviyo at ${env.KLAVIYO_BASE_URL}: brand trailhead (key from KLAVIYO_API_KEY_TRAILHEAD)`,
    );
    expect(plan.stdout).toMatch(/^brand emberwick \(account EMBRWK\): \+\d+/m);
    expect(plan.stdout).toMatch(/^brand trailhead \(account TRLHD1\): \+\d+/m);
    expect(plan.stdout).not.toContain('error:');

    controller.abort();
    await expect(serving).resolves.toMatchObject({ exitCode: 0 });
  });

  it('stops with the diagnostics when the directory does not validate, before serving', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kg-sandbox-dir-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    await cp(EXAMPLE, join(cwd, 'marketing'), { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(cwd, 'marketing/brands/trailhead/lists/broken.yaml'), 'name: [\n');
    const lines: string[] = [];
    const outcome = await runCli(['sandbox', '--dir', 'marketing', '--port', '0'], {
      cwd,
      env: {},
      progress: (line) => lines.push(line),
      // Not aborted: the build must refuse on its own (the time-out only ends a test that wrongly serves).
      signal: AbortSignal.timeout(20_000),
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/^marketing\/brands\/trailhead\/lists\/broken\.yaml:\d+:\d+: error /);
    expect(lines).toEqual([]);
  });

  it('refuses two brands that share a key variable but not an account', () => {
    const state = (brand: string, accountId: string) =>
      ({ brand, accountId, apiKeyVariable: 'KLAVIYO_API_KEY_SHARED' }) as DesiredBrandState;
    expect(() => brandAccounts([state('a', 'AAAAA1'), state('b', 'BBBBB1')])).toThrow(CommandError);
    expect(() => brandAccounts([state('a', 'AAAAA1'), state('b', 'BBBBB1')])).toThrow(
      'brands a and b both name KLAVIYO_API_KEY_SHARED but have different account ids (AAAAA1, BBBBB1)',
    );
    expect(brandAccounts([state('a', 'AAAAA1'), state('b', 'AAAAA1')])).toHaveLength(1);
  });
});
