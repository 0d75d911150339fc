/**
 * The sync history database's schema, and the checks that a file is ours before anything is written to it.
 *
 * `application_id` marks the file as a klaviyo-gitops sync history (so another SQLite file is refused, not
 * overwritten); `user_version` is the schema version: older files are migrated in place, newer ones refused.
 */
import type { SqliteDatabase } from './sqlite-driver.js';

/** "KGSH" as a big-endian 32-bit integer. */
export const SYNC_HISTORY_APPLICATION_ID = 0x4b475348;
export const SYNC_HISTORY_SCHEMA_VERSION = 1;

/** A history file that cannot be used: says which file, what is wrong and what to do. */
export class SyncHistoryError extends Error {
  override readonly name = 'SyncHistoryError';
}

/** Each entry takes the schema from version `index` to `index + 1`. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    invocation_id TEXT NOT NULL,
    brand TEXT NOT NULL,
    source TEXT NOT NULL,
    stream TEXT NOT NULL,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    duration_ms INTEGER,
    records INTEGER NOT NULL DEFAULT 0,
    succeeded INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    -- acknowledgements, counted even when the batch rows of an old run are pruned
    batches INTEGER NOT NULL DEFAULT 0,
    -- every failure recorded, also those past the ones kept
    failures_recorded INTEGER NOT NULL DEFAULT 0,
    resumed_from INTEGER REFERENCES runs(id),
    cursor_json TEXT NOT NULL DEFAULT 'null',
    figures_json TEXT NOT NULL DEFAULT '{}'
  );
  -- the resume look-up (newest run of a key) and "sync history --brand --type --last"
  CREATE INDEX runs_by_key ON runs (brand, source, stream, id);
  CREATE INDEX runs_by_brand_stream ON runs (brand, stream, id);
  CREATE INDEX runs_by_stream ON runs (stream, id);
  CREATE TABLE batches (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    batch_key TEXT NOT NULL,
    items INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    job_id TEXT,
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (run_id, batch_key)
  ) WITHOUT ROWID;
  CREATE TABLE failures (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    seq INTEGER NOT NULL,
    batch_key TEXT,
    item TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT NOT NULL,
    pointer TEXT,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  `,
];

function pragmaNumber(db: SqliteDatabase, name: string): number {
  const value = db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : 0;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Refuses a file that is not a SQLite database before the engine reads it (sql.js would only fail at the
 * first query, with a bare "file is not a database").
 */
export function checkSqliteHeader(path: string, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  const header = Buffer.from(bytes.subarray(0, SQLITE_HEADER.length)).toString('latin1');
  if (header !== SQLITE_HEADER) {
    throw new SyncHistoryError(
      `${path}: not a SQLite database (the sync history file is a SQLite file starting with "SQLite format 3"). Move the file away, or pass another --history path; a new history is created when none exists.`,
    );
  }
}

/**
 * Checks the file is an intact sync history of a version we know, then brings its schema up to date. True
 * when it changed the database (a new or an older file), which must then be saved.
 */
export function prepareSchema(db: SqliteDatabase, path: string): boolean {
  let integrity: unknown;
  try {
    integrity = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
  } catch (error) {
    throw corrupt(path, (error as Error).message);
  }
  if (integrity !== 'ok') throw corrupt(path, String(integrity));

  const applicationId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  const tables = db.exec("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0]?.values[0]?.[0];
  if (applicationId !== SYNC_HISTORY_APPLICATION_ID && !(applicationId === 0 && tables === 0)) {
    throw new SyncHistoryError(
      `${path}: a SQLite database, but not a klaviyo-gitops sync history (application_id ${applicationId}). Pass the path of a sync history, or move this file away so a new history is created.`,
    );
  }
  if (version > SYNC_HISTORY_SCHEMA_VERSION) {
    throw new SyncHistoryError(
      `${path}: sync history schema version ${version} was written by a newer klaviyo-gitops (this one knows up to ${SYNC_HISTORY_SCHEMA_VERSION}). Upgrade klaviyo-gitops, or move the file away to start a new history.`,
    );
  }
  if (version === SYNC_HISTORY_SCHEMA_VERSION) return false;
  db.exec('BEGIN');
  for (let v = version; v < SYNC_HISTORY_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
  db.exec(`PRAGMA application_id = ${SYNC_HISTORY_APPLICATION_ID}`);
  db.exec(`PRAGMA user_version = ${SYNC_HISTORY_SCHEMA_VERSION}`);
  db.exec('COMMIT');
  return true;
}

function corrupt(path: string, detail: string): SyncHistoryError {
  return new SyncHistoryError(
    `${path}: the sync history database is damaged (${detail}). Move it away and re-run: a new history is created, and the sync stays correct without the old one (a re-run re-sends, never duplicates).`,
  );
}
