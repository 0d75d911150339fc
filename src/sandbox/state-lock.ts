/**
 * One process at a time owns a persisted sandbox state. Each process keeps the accounts in memory and rewrites
 * the whole file after each write, so two processes on one file would silently drop each other's writes: the
 * second waits for the lock (bounded), then refuses, naming the holder. A lock left by a process that died is
 * taken over: the lock names its pid and host, and a pid that no longer runs on this host holds nothing.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { SandboxStateError } from './persistence.js';

export interface StateLock {
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
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

function tryLock(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SandboxStateError(`Cannot lock the sandbox state (${path}): ${(error as Error).message}`);
  }
}

/** Takes `<statePath>.lock`, waiting up to `waitMs` for another process to release it. */
export async function lockSandboxState(statePath: string, waitMs = 30_000): Promise<StateLock> {
  const path = `${statePath}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryLock(path)) return { release: () => rmSync(path, { force: true }) };
    const holder = readHolder(path);
    // A lock whose writer is gone (or was cut off mid-write) is stale: same host and a pid that is not running.
    if (!holder || (holder.host === hostname() && !isRunning(holder.pid))) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SandboxStateError(
        `The local sandbox state ${statePath} is in use by another klaviyo-gitops process (pid ${holder.pid} on ${holder.host}); waited ${Math.round(waitMs / 1000)} s. Run one command at a time against the local sandbox, or give each its own working directory.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
