/**
 * `output/apply-<time>.json` records what an apply did: an apply with nothing to do writes none. Through the CLI,
 * on a real temp repository and the embedded sandbox.
 */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { ACME_FILES, writeProject } from '../engine/project.js';

describe('apply records', () => {
  const cleanup: string[] = [];
  afterEach(async () => {
    for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('an apply that changed something is recorded; one with no changes writes no record', async () => {
    const cwd = await writeProject(ACME_FILES);
    cleanup.push(cwd);
    const ctx = { cwd, env: {}, progress: () => undefined };
    const records = () => readdirSync(join(cwd, 'output')).filter((f) => f.startsWith('apply-'));

    const first = await runCli(['apply', '--auto-approve'], ctx);
    expect(first.exitCode).toBe(0);
    expect(records()).toHaveLength(1);

    const second = await runCli(['apply', '--auto-approve'], ctx);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('no changes');
    expect(records()).toHaveLength(1);
  });
});
