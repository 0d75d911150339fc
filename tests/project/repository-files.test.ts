import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { MAX_FILE_BYTES_CEILING, RepositoryFiles } from '../../src/project/repository-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repository(): { cwd: string; root: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'kg-files-'));
  dirs.push(cwd);
  const root = join(cwd, 'marketing');
  mkdirSync(join(root, 'samples'), { recursive: true });
  return { cwd, root };
}

describe('RepositoryFiles', () => {
  // A named pipe blocked validate forever (a read waits for a writer); it is refused from what lstat says.
  it('refuses a file that is not a regular file without opening it', async () => {
    const { cwd, root } = repository();
    execFileSync('mkfifo', [join(root, 'samples', 'pipe.yaml')]);
    const outcome = await runCli(['validate'], { cwd, env: {}, progress: () => {} });
    expect(outcome.stdout).toContain(
      'marketing/samples/pipe.yaml:1:1: error unreadable-file: not a regular file',
    );
  });

  it('never raises the size limit above the ceiling, whatever it is asked', async () => {
    const { cwd, root } = repository();
    const path = join(root, 'samples', 'big.yaml');
    writeFileSync(path, `a: "${'x'.repeat(MAX_FILE_BYTES_CEILING)}"\n`);
    const files = await RepositoryFiles.open(cwd, 'marketing');
    files.limitFileSize(100 * 1024 * 1024);
    expect(await files.readText(path)).toBeUndefined();
    expect(files.diagnostics.map((d) => d.message)).toEqual([
      `the file is ${MAX_FILE_BYTES_CEILING + 6} bytes, over the limit of ${MAX_FILE_BYTES_CEILING} bytes (2 MiB) for one file`,
    ]);
  });
});
