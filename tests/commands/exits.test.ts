/**
 * Every command ends: a command that fails against the embedded sandbox exits non-zero instead of hanging on
 * the sandbox's HTTP server, which it started and must close on every path, including a failure while the
 * targets are still being opened (the sandbox answers the very first call, seeding metrics, with 500).
 * Run as real processes: only a real process shows that nothing keeps the event loop alive.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * A project whose persisted sandbox state loads, but whose account is damaged: the sandbox answers every call
 * that reads its metrics with 500 (the client retries, then gives up).
 */
function projectWithBrokenSandboxAccount(): TempProject {
  const project = tempProject();
  projects.push(project);
  mkdirSync(join(project.cwd, '.klaviyo-sandbox'));
  writeFileSync(
    join(project.cwd, '.klaviyo-sandbox/state.json'),
    JSON.stringify({ version: 1, accounts: { ACME01: { id: 'ACME01', metrics: null } } }),
  );
  return project;
}

describe('commands against an embedded sandbox that answers 500', () => {
  it('plan, apply, drift and import exit non-zero within seconds instead of hanging', async () => {
    const commands = [['plan'], ['apply'], ['drift'], ['import', '--brand', 'acme', '--out', 'imported']];
    const runs = await Promise.all(
      commands.map((args) =>
        runCliProcess(cli, args, { cwd: projectWithBrokenSandboxAccount().cwd, timeoutMs: 45_000 }),
      ),
    );
    for (const [i, run] of runs.entries()) {
      const what = `${commands[i]!.join(' ')}: ${run.stderr}`;
      expect(run.timedOut, what).toBe(false);
      expect(run.code, what).toBe(1);
      expect(run.stderr, what).toMatch(/^error: GET \/api\/metrics \(get_metrics\) failed with 500/m);
      // The client retries a 500 five times with backoff (at most 15.5 s in all); then the process ends.
      expect(run.ms, what).toBeLessThan(30_000);
    }
  }, 60_000);
});
