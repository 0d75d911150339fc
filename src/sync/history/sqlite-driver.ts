/**
 * The SQLite engine under the sync history: sql.js, SQLite compiled to WebAssembly, in its single-file build
 * whose WebAssembly is inlined in the JavaScript. Why this one:
 * - no native addon built for one Node ABI: the same bundle runs on Node 20 and on GitHub's node24;
 * - no `.wasm` file beside the code: ncc bundles it into the one `action/cli.js`;
 * - `node:sqlite` is missing on Node 20 and warns as experimental where it exists.
 * The database lives in memory and is saved as a real SQLite file (any sqlite3 can open it) by the caller.
 */
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import type { Database, SqlJsStatic } from 'sql.js';

export type SqliteDatabase = Database;

let engine: Promise<SqlJsStatic> | undefined;

/** Compiles the engine once per process (about 20 ms), shared by every database opened. */
function loadEngine(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

/** A database in memory: empty, or read from a SQLite file's bytes. */
export async function openSqliteInMemory(bytes?: Uint8Array): Promise<SqliteDatabase> {
  const SQL = await loadEngine();
  return bytes && bytes.length > 0 ? new SQL.Database(bytes) : new SQL.Database();
}
