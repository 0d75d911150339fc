/**
 * A local Klaviyo (revision 2026-07-15) over HTTP: the same paths, shapes, errors, rate limits and flow rules,
 * with fault injection. Every account lives in memory, optionally persisted to a state file and its write log.
 * How it keeps up with a bulk sync, and what segment membership models: ./README.md.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { AccountRegistry } from './account-registry.js';
import { isoStamp, type EventDetail } from './context.js';
import { FaultInjector, type FaultConfig } from './faults.js';
import { forgetIndexes } from './indexes.js';
import { loadState, StateFile } from './persistence.js';
import { lockSandboxState } from './state-lock.js';
import { RateLimiter } from './rate-limits.js';
import { createSandboxServer, type RequestLogEntry } from './server.js';
import { countObjects, type AccountState } from './store.js';

export type { EventDetail } from './context.js';
export type { FaultConfig, FaultKind } from './faults.js';
export type { RequestLogEntry } from './server.js';
export type { AccountState } from './store.js';
export { SandboxStateError } from './persistence.js';

/**
 * Far above any body the CLI sends (a template is tens of KB) and small enough that one oversized request
 * cannot fill the memory of a shared sandbox or stall every later save of its state.
 */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface SandboxOptions {
  /** 0 (the default) picks a free port. The host is always 127.0.0.1. */
  port?: number;
  /**
   * Persist all accounts to this file: loaded at start; each write appends its changed records to `<file>.log`
   * before it is answered; the file is rewritten atomically when the log outgrows it and at close.
   */
  statePath?: string;
  /** apiKey -> accountId. Other `pk_` keys open an account whose id is derived from the key. */
  accounts?: Record<string, string>;
  /** Refuse keys not in `accounts` with 401 (a sandbox shared by several people or jobs). Default false. */
  onlyKnownAccounts?: boolean;
  /** The largest request body read; a larger one is answered 413 without reading the rest. Default 5 MiB. */
  maxBodyBytes?: number;
  faults?: FaultConfig;
  /** Default true. */
  enforceRateLimits?: boolean;
  clock?: { now(): number };
  /** Templates the API may ever create per account (Klaviyo: 1,000). Lower it to test the cap cheaply. */
  templateCap?: number;
  /** `full` (default) keeps events as sent; `summary` keeps their keys, time and value only (huge runs). */
  eventDetail?: EventDetail;
  /** How long to wait for another process to release `statePath` (default 30 s). */
  stateLockWaitMs?: number;
}

/** A test's view into one account. */
export interface AccountInspection {
  id: string;
  /** Objects by type (flow-owned template copies counted as `flowTemplates`). */
  counts(): Record<string, number>;
  /** The live store of the account; change it only to set up a test. */
  state: AccountState;
}

export interface RunningSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
  setFaults(faults: FaultConfig): void;
  account(apiKey: string): AccountInspection;
  /** Every /api request answered (or deliberately not), in order. */
  requestLog: RequestLogEntry[];
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = options.clock ?? { now: () => Date.now() };
  const statePath = options.statePath;
  // One process at a time owns a state file: a second one would drop the first one's writes.
  if (statePath) mkdirSync(dirname(statePath), { recursive: true });
  const lock = statePath ? await lockSandboxState(statePath, options.stateLockWaitMs) : undefined;
  let registry: AccountRegistry;
  try {
    registry = new AccountRegistry(
      statePath ? loadState(statePath) : {},
      options.accounts ?? {},
      () => isoStamp(clock.now()),
      options.onlyKnownAccounts !== true,
    );
  } catch (error) {
    lock?.release();
    throw error;
  }
  const stateFile = statePath ? new StateFile(statePath, () => registry.all()) : undefined;
  const faults = new FaultInjector(options.faults ?? {});
  const log: RequestLogEntry[] = [];
  let baseUrl = 'http://127.0.0.1';
  const server = createSandboxServer({
    registry,
    limiter: new RateLimiter(options.enforceRateLimits ?? true),
    faults,
    clock,
    templateCap: options.templateCap ?? 1000,
    eventDetail: options.eventDetail ?? 'full',
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    persist: (changes) => stateFile?.commit(changes),
    log,
    baseUrl: () => baseUrl,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    requestLog: log,
    setFaults: (config) => faults.set(config),
    account: (apiKey) => {
      const state = registry.forKey(apiKey);
      // The caller may change the store by hand (test set-up): indexes are rebuilt from it on next use.
      forgetIndexes(state);
      return { id: state.id, state, counts: () => countObjects(state) };
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close(() => {
          try {
            stateFile?.close();
            resolve();
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          } finally {
            lock?.release();
          }
        });
        // Hung requests and idle keep-alive sockets would hold close() open forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
