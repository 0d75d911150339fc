/**
 * Every file a command or the sandbox writes goes through here: the content is written to a temporary file in
 * the same directory, then renamed over the target. A rename within one directory is atomic, so a reader (or
 * the next run) sees the old file or the new one, never half of one; a failed write (disk full, a file size
 * limit, a kill) leaves the previous file as it was and removes the temporary file.
 *
 * A leaf module (node built-ins only) so that the sandbox, which imports nothing of the CLI's layers, can share
 * it with the commands, the engine and the previews.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

/**
 * `.<name>.<pid>-<n>.tmp` next to the target: hidden, and unique per process and write, so two writes of the
 * same file (two processes, or two concurrent writes in one) never share a temporary file.
 */
export function temporaryPathFor(path: string): string {
  sequence += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}-${sequence}.tmp`);
}

/** True for the temporary files this module writes (for tests and clean-ups). */
export function isTemporaryFile(name: string): boolean {
  return /^\..+\.\d+-\d+\.tmp$/.test(name);
}

/** Writes `content` to `path` atomically, creating the directory when needed. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The same, synchronously: for callers that must not let other work run between a change and its save. */
export function writeFileAtomicSync(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Report the write error, the cause; a leftover is hidden and recognisable by isTemporaryFile.
    }
    throw error;
  }
}
