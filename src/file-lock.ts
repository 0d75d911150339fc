/**
 * One process at a time owns a file that it keeps in memory and rewrites whole (the sandbox's persisted state,
 * the sync history database): two processes on one such file would silently drop each other's writes. The lock
 * is `<path>.lock`, created exclusively; it names its pid and host, and a pid that no longer runs on this host
 * holds nothing, so a lock left by a process that died (a SIGKILL, a crash) is taken over.
 *
 * A leaf module (node built-ins only), like atomic-write, so the sandbox can share it with the CLI's layers.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface FileLock {
  release(): void;
}

export interface LockHolder {
  pid: number;
  host: string;
}

export interface FileLockOptions {
  /** How long to wait for another process to release the lock. */
  waitMs: number;
  /** The error for a lock still held when the wait is over: says who holds it and what to do. */
  busy: (holder: LockHolder, waitedMs: number) => Error;
  /** The error for a lock file that cannot be created at all (a read-only folder, ...). */
  unavailable: (lockPath: string, cause: Error) => Error;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(path: string, options: FileLockOptions): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw options.unavailable(path, error as Error);
  }
}

/** Takes `<path>.lock`, waiting up to `options.waitMs` for another process to release it. */
export async function lockFile(path: string, options: FileLockOptions): Promise<FileLock> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    if (tryLock(lockPath, options)) return { release: () => rmSync(lockPath, { force: true }) };
    const holder = readHolder(lockPath);
    // A lock whose writer is gone (or was cut off mid-write) is stale: same host and a pid that is not running.
    if (!holder || (holder.host === hostname() && !isRunning(holder.pid))) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw options.busy(holder, options.waitMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
