/**
 * One process at a time owns a persisted sandbox state. Each process keeps the accounts in memory and rewrites
 * the whole file after each write, so two processes on one file would silently drop each other's writes: the
 * second waits for the lock (bounded), then refuses, naming the holder. A lock left by a process that died is
 * taken over (see file-lock).
 */
import { lockFile, type FileLock } from '../file-lock.js';
import { SandboxStateError } from './persistence.js';

export type StateLock = FileLock;

/** Takes `<statePath>.lock`, waiting up to `waitMs` for another process to release it. */
export async function lockSandboxState(statePath: string, waitMs = 30_000): Promise<StateLock> {
  return lockFile(statePath, {
    waitMs,
    unavailable: (path, cause) =>
      new SandboxStateError(`Cannot lock the sandbox state (${path}): ${cause.message}`),
    busy: (holder, waitedMs) =>
      new SandboxStateError(
        `The local sandbox state ${statePath} is in use by another klaviyo-gitops process (pid ${holder.pid} on ${holder.host}); waited ${Math.round(waitedMs / 1000)} s. Run one command at a time against the local sandbox, or give each its own working directory.`,
      ),
  });
}
