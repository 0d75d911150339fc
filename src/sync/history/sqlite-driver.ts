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

export type { SqlJsStatic as SqliteEngine } from 'sql.js';

export type SqliteDatabase = Database;

let engine: Promise<SqlJsStatic> | undefined;

/**
 * Compiles the engine once per process (about 20 ms), shared by every database opened.
 *
 * Inside the ncc bundle, sql.js's Node branch breaks: the bundler turns its `typeof module` test into `true`
 * while sql.js has set `module` to undefined, so it throws "Cannot set properties of undefined". That branch
 * only reads `.wasm` files from disk, which the inlined build never does; sql.js skips it in an Electron
 * renderer, so the engine is started as one (`process.type`, read once, synchronously, by the call) and the
 * same code path runs under tsx, plain node and the bundle.
 */
export function loadSqliteEngine(): Promise<SqlJsStatic> {
  if (!engine) {
    const host = process as { type?: string };
    const type = host.type;
    host.type = 'renderer';
    try {
      engine = initSqlJs();
    } finally {
      if (type === undefined) delete host.type;
      else host.type = type;
    }
  }
  return engine;
}

/** A database in memory: empty, or read from a SQLite file's bytes. */
export function openSqliteInMemory(engine: SqlJsStatic, bytes?: Uint8Array): SqliteDatabase {
  return bytes && bytes.length > 0 ? new engine.Database(bytes) : new engine.Database();
}
