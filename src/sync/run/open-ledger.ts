/**
 * The one place a sync opens its history: the SQLite database file (history/database.ts), or, with
 * `--no-history`, a history kept in memory for this process only. Correctness never depends on which: every
 * event has a deterministic `unique_id`, so a lost history costs re-sending, never duplicates.
 */
import { relative } from 'node:path';
import { openSyncHistory } from '../history/database.js';
import type { SyncLedger } from '../history/ledger.js';
import { MemoryLedger } from '../history/memory-ledger.js';

export interface LedgerOptions {
  /** Absolute path of the history database; undefined with `--no-history`. */
  path: string | undefined;
  /** The working directory, so messages name the file as the user typed it. */
  cwd: string;
}

export function openLedger(options: LedgerOptions): Promise<SyncLedger> {
  if (options.path === undefined) return Promise.resolve(new MemoryLedger());
  return openSyncHistory(options.path, { displayPath: relative(options.cwd, options.path) || options.path });
}
