/**
 * Opens the sync history database: a SQLite file (`.klaviyo-gitops/sync.db` by default) that records every
 * run, batch and item failure, and lets a re-run continue an interrupted one.
 *
 * The engine keeps the database in memory and rewrites the file whole after each step (temporary file +
 * rename): the file is never half-written. So that two processes cannot drop each other's writes, the
 * history is locked (`<path>.lock`) from open to close; a second writer waits, then is refused by name.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../../atomic-write.js';
import { lockFile, type FileLock } from '../../file-lock.js';
import type { SyncLedger } from './ledger.js';
import { checkSqliteHeader, prepareSchema, SyncHistoryError } from './schema.js';
import {
  loadSqliteEngine,
  openSqliteInMemory,
  type SqliteDatabase,
  type SqliteEngine,
} from './sqlite-driver.js';
import { SqliteLedger } from './sqlite-ledger.js';

export { SyncHistoryError } from './schema.js';

/** Where `sync` keeps its history unless told otherwise, relative to the project root. */
export const DEFAULT_SYNC_HISTORY_PATH = '.klaviyo-gitops/sync.db';

export interface SyncHistoryOptions {
  /** How long to wait for another process holding the history (default 10 s). */
  lockWaitMs?: number;
  /** Clock for batch acknowledgement times (tests pass a fixed one). */
  now?: () => Date;
  /** How the file is shown in errors (a path relative to the project); `path` when absent. */
  displayPath?: string;
}

/** Opens (or creates) the history at `path`; close it to release the lock. Throws {@link SyncHistoryError}. */
export async function openSyncHistory(path: string, options: SyncHistoryOptions = {}): Promise<SyncLedger> {
  const shown = options.displayPath ?? path;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new SyncHistoryError(
      `${shown}: cannot create the folder for the sync history (${(error as Error).message}). Pass a path in a writable folder.`,
    );
  }
  let engine: SqliteEngine;
  try {
    engine = await loadSqliteEngine();
  } catch (error) {
    throw new SyncHistoryError(
      `${shown}: cannot start the SQLite engine for the sync history (${(error as Error).message}).`,
    );
  }
  const lock = await lockHistory(path, shown, options.lockWaitMs ?? 10_000);
  try {
    const db = readDatabase(engine, path, shown);
    try {
      if (prepareSchema(db, shown)) save(db, path, shown);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteLedger(db, {
      save: (database) => save(database, path, shown),
      release: () => lock.release(),
      now: options.now ?? (() => new Date()),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}

function lockHistory(path: string, shown: string, waitMs: number): Promise<FileLock> {
  return lockFile(path, {
    waitMs,
    unavailable: (lockPath, cause) =>
      new SyncHistoryError(`${shown}: cannot lock the sync history (${lockPath}: ${cause.message}).`),
    busy: (holder, waitedMs) =>
      new SyncHistoryError(
        `${shown}: the sync history is in use by another klaviyo-gitops process (pid ${holder.pid} on ${holder.host}); waited ${Math.round(waitedMs / 1000)} s. Run one sync at a time on this history, or give each its own history file.`,
      ),
  });
}

function readDatabase(engine: SqliteEngine, path: string, shown: string): SqliteDatabase {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SyncHistoryError(`${shown}: cannot read the sync history (${(error as Error).message}).`);
    }
  }
  if (bytes) checkSqliteHeader(shown, bytes);
  try {
    return openSqliteInMemory(engine, bytes);
  } catch (error) {
    throw new SyncHistoryError(
      `${shown}: the sync history database is damaged (${(error as Error).message}). Move it away and re-run: a new history is created.`,
    );
  }
}

function save(db: SqliteDatabase, path: string, shown: string): void {
  try {
    writeFileAtomicSync(path, db.export());
  } catch (error) {
    throw new SyncHistoryError(`${shown}: cannot write the sync history (${(error as Error).message}).`);
  }
}
