/**
 * Output files are whole or untouched: a plan whose write fails midway (here the process may write no file
 * over 8 KiB, so the write stops with EFBIG after 8 KiB of a 17 KB plan) leaves the previous plan file as it
 * was, says which file it could not write, and leaves no temporary file behind. Run as a real process: a file
 * size limit applies to a whole process.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../project/temp-project.js';
import { buildCli, runCliProcess } from './cli-process.js';

let cli: string;
let project: TempProject;
beforeAll(async () => {
  cli = await buildCli();
  project = tempProject();
}, 60_000);
afterAll(() => project.cleanup());

describe('plan --out', () => {
  it('keeps the previous plan file when writing the new one fails midway', async () => {
    const previous = `${JSON.stringify({ previous: 'plan', reviewed: true }, null, 2)}\n`;
    mkdirSync(join(project.cwd, 'output'));
    writeFileSync(join(project.cwd, 'output/plan.json'), previous);

    const run = await runCliProcess(cli, ['plan'], {
      cwd: project.cwd,
      fileSizeLimitKib: 8,
      timeoutMs: 45_000,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /^error: cannot write output\/plan\.json: EFBIG.*the previous file, if any, is unchanged$/m,
    );
    expect(readFileSync(join(project.cwd, 'output/plan.json'), 'utf8')).toBe(previous);
    expect(readdirSync(join(project.cwd, 'output'))).toEqual(['plan.json']);
  }, 60_000);
});
