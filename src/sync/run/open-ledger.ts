/**
 * The one place a sync opens its history. Today every history is kept in memory (`MemoryLedger`), so a resume
 * works within one process; the database-backed history plugs in here, and nothing else changes.
 */
import type { SyncLedger } from '../history/ledger.js';
import { MemoryLedger } from '../history/memory-ledger.js';

export interface LedgerOptions {
  /** Absolute path of the history database; undefined with `--no-history`. */
  path: string | undefined;
}

export function openLedger(_options: LedgerOptions): Promise<SyncLedger> {
  return Promise.resolve(new MemoryLedger());
}
