/**
 * Writes a file so that a reader (or the next run after a crash) sees the old content or the new, never half
 * of either: the content goes to a temporary file next to the target, which is then renamed over it (a rename
 * within one directory is atomic). Used by every cache and state file the tool keeps.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let writes = 0;

/** Unique per write, also within one process, so two writers of the same file never share a temporary file. */
function temporaryPath(path: string): string {
  writes += 1;
  return `${path}.${process.pid}.${writes}.tmp`;
}

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function writeFileAtomicSync(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
