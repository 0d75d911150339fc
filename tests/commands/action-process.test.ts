/**
 * The built Action (action/index.js, as a runner starts it) fails the step on a usage error: a plan of a
 * directory that does not exist used to exit 0, its exit code 2 being taken for "changes".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process.js';

const ACTION = resolve(import.meta.dirname, '../../action/index.js');
const work = mkdtempSync(join(tmpdir(), 'kg-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Action as a process', () => {
  it('exits non-zero and says the directory is missing for INPUT_DIR=nope', async () => {
    const output = join(work, 'github-output');
    writeFileSync(output, '');
    const run = await runCliProcess(ACTION, [], {
      cwd: work,
      env: { INPUT_COMMAND: 'plan', INPUT_DIR: 'nope', GITHUB_OUTPUT: output },
      timeoutMs: 60_000,
    });
    expect(run.code).not.toBe(0);
    const said = `${run.stdout}\n${run.stderr}`;
    expect(said).toMatch(/::error::.*nope/);
    expect(said).toMatch(/director/);
    expect(readFileSync(output, 'utf8')).toMatch(/exit-code<<.*\n2\n/);
  }, 60_000);
});
