/** The one file writer: whole files or none, and never a temporary file left behind. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTemporaryFile, writeFileAtomic, writeFileAtomicSync } from '../src/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (path: string, content: string) => writeFileAtomicSync(path, content)],
])('%s', (_name, write) => {
  it('replaces the file and creates missing directories', async () => {
    const path = join(dir, 'a/b/out.json');
    await write(path, 'first');
    await write(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['out.json']);
  });

  it('leaves what was there and no temporary file when the write fails', async () => {
    // The target is a directory with a file in it: the temporary file is written, the rename fails.
    const path = join(dir, 'out.json');
    mkdirSync(path);
    writeFileSync(join(path, 'keep.txt'), 'kept');
    await expect(write(path, 'new content')).rejects.toThrow();
    expect(readFileSync(join(path, 'keep.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});

it('gives concurrent writes of one file their own temporary files', async () => {
  const path = join(dir, 'cache.json');
  await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomic(path, `write ${i}`)));
  expect(readFileSync(path, 'utf8')).toMatch(/^write \d+$/);
  expect(readdirSync(dir).filter(isTemporaryFile)).toEqual([]);
});
