/**
 * A sync killed (SIGKILL) at random points and run again to its end, as processes: the CLI against a sandbox
 * running as its own process, the way a nightly job meets a cancelled runner. Whatever the kill cut short, the
 * account ends with each event once and the last run reports the clean run's totals.
 */
import { loadState } from '../../../src/sandbox/persistence.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, startCli, type CliRun } from '../../commands/cli-process.js';
import {
  ACCOUNTS,
  exampleProject,
  expectedOrderFigures,
  KEYS,
  type ExampleProject,
  type SyncJson,
} from './sync-helpers.js';

/** Kill delays from a fixed seed: the same "random" points on every run of the test. */
function seededDelays(seed: number, count: number, min: number, max: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return min + Math.floor((state / 2 ** 31) * (max - min));
  });
}

describe('sync killed with SIGKILL and run again', () => {
  let cli: string;
  let project: ExampleProject;
  let sandbox: CliRun;
  let url: string;
  const statePath = () => join(project.cwd, 'sandbox-state.json');

  beforeAll(async () => {
    cli = await buildCli();
    project = exampleProject();
    sandbox = startCli(
      cli,
      [
        'sandbox',
        '--port',
        '0',
        '--state',
        statePath(),
        '--account',
        `${KEYS.emberwick}=${ACCOUNTS.emberwick}`,
        '--no-rate-limits',
      ],
      { cwd: project.cwd },
    );
    await sandbox.waitForStderr(/listening on http:\/\/\S+/);
    url = /listening on (http:\/\/\S+)/.exec(sandbox.stderr())![1]!;
  }, 60_000);
  afterAll(async () => {
    if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL');
    project.cleanup();
  });

  it('leaves no duplicate event and the right totals, wherever it was killed', async () => {
    const env = { KLAVIYO_BASE_URL: url, KLAVIYO_API_KEY_EMBERWICK: KEYS.emberwick };
    const args = ['sync', '--brand', 'emberwick', '--json'];
    for (const delay of seededDelays(20260720, 3, 400, 4_000)) {
      const run = startCli(cli, args, { cwd: project.cwd, env });
      await Promise.race([new Promise((done) => setTimeout(done, delay)), run.exit]);
      run.child.kill('SIGKILL');
      await run.exit;
    }
    const last = startCli(cli, args, { cwd: project.cwd, env });
    const exit = await last.exit;
    expect(exit.stderr).not.toMatch(/error/i);
    expect(exit.code).toBe(0);
    const json = JSON.parse(exit.stdout) as SyncJson;
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    expect(json.brands[0]!.stats.eventsAccepted).toBe(expected.events);
    expect(json.brands[0]!.stats.totalValue).toEqual(expected.value);

    sandbox.child.kill('SIGTERM');
    await sandbox.exit;
    // Read as the sandbox reads its own state (snapshot plus the log of writes since).
    const accounts = loadState(statePath());
    const events = Object.values(Object.values(accounts)[0]!.events);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(events.length);
    expect(events.length).toBe(expected.events);
  }, 240_000);
});
