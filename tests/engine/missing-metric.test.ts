/**
 * A real account lacks a store metric until the store sends it. The plan says why and what to do, at the top,
 * before the plan, in the terminal and in the pull-request comment.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { writeProject } from './project.js';

const KEY = 'pk_acme_0123456789abcdef';
const EXPLANATION =
  "metric 'Placed Order' does not exist in account ACME01 (used by segment vip). " +
  'Klaviyo creates a metric when the store integration sends its first event of it, so an account whose ' +
  "store is not connected yet lacks it. Connect the store integration, or send one test event of 'Placed Order' " +
  'to the account, then plan again; or run against the local sandbox (--target sandbox), which creates ' +
  'the metrics itself.';

describe('a metric the real account lacks', () => {
  let cwd: string | undefined;
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('is explained at the top of the plan, before it, and not repeated after it', async () => {
    cwd = await writeProject();
    // The standalone sandbox over HTTP, not seeded: to the CLI it is a real account without the store's metrics.
    sandbox = await startSandbox({ port: 0, accounts: { [KEY]: 'ACME01' }, enforceRateLimits: false });
    const outcome = await runCli(['plan', '--markdown', 'output/plan.md'], {
      cwd,
      env: { KLAVIYO_API_KEY_ACME: KEY, KLAVIYO_BASE_URL: sandbox.url },
      progress: () => {},
    });
    expect(outcome.exitCode).toBe(1);
    const lines = outcome.stdout.split('\n');
    expect(lines[0]).toBe(`error: brand acme: ${EXPLANATION}`);
    expect(lines.indexOf('brand acme (account ACME01): +4 ~0 -0')).toBeGreaterThan(0);
    expect(outcome.stdout.split("'Placed Order' does not exist")).toHaveLength(2);

    // The PR comment too: before the table of brands, not at the end of a long comment.
    const markdown = await readFile(join(cwd, 'output/plan.md'), 'utf8');
    const caution = markdown.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(markdown.indexOf('| Brand | Account |'));
    expect(markdown).toContain(
      'Klaviyo creates a metric when the store integration sends its first event of it',
    );
    expect(markdown.split('does not exist in account ACME01')).toHaveLength(2);
  });
});
