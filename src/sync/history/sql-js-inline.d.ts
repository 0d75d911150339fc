// The single-file build of sql.js (WebAssembly inlined as base64): same API as the package entry.
declare module 'sql.js/dist/sql-wasm-inline.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
