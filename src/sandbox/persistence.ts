/**
 * The sandbox state on disk, sized for a bulk sync: a snapshot (`<state>`) plus a log of the writes since
 * (`<state>.log`). Each write appends only the records it changed, between a begin and a commit line, before it
 * is answered; a write whose lines did not all reach the file (a kill, a full disk) has no commit line and is
 * ignored on load, so the state on disk is always the state after some whole number of writes. When the log
 * outgrows the snapshot (see COMPACT_MIN_BYTES) and at close the snapshot is rewritten atomically (temporary file, then rename) and
 * the log removed; a crash between the two only replays writes the snapshot already holds.
 *
 * Both files are JSON lines, read and written a record at a time, so their size is bounded by the disk and not
 * by the largest string the runtime can build. Version 1 (one JSON document) is still read; it is rewritten as
 * version 2 when the snapshot is next rewritten.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { temporaryPathFor } from '../atomic-write.js';
import type { AccountState } from './store.js';
import { scalarsOf, type AccountChanges } from './write-journal.js';

const FORMAT = 'klaviyo-gitops-sandbox-state';
const VERSION = 2;
/**
 * The log is folded into the snapshot once it is this large and twice the snapshot: rarely, because rewriting a
 * large state blocks the server for seconds (so the cost stays linear over a run and a sync's connections live).
 */
const COMPACT_MIN_BYTES = 512 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStateError';
  }
}

type Line =
  | ['account', string, Record<string, unknown>, string[]]
  | ['put', string, string, string, unknown]
  | ['del', string, string, string]
  | ['begin']
  | ['commit'];

type Collections = Record<string, Record<string, unknown>>;

function apply(accounts: Record<string, AccountState>, line: Line): void {
  if (line[0] === 'account') {
    const [, id, scalars, collections] = line;
    const existing = accounts[id] as unknown as Collections | undefined;
    const account = (existing ?? {}) as Collections;
    Object.assign(account, scalars);
    for (const name of collections) account[name] ??= {};
    accounts[id] = account as unknown as AccountState;
    return;
  }
  if (line[0] !== 'put' && line[0] !== 'del') return;
  const account = accounts[line[1]] as unknown as Collections | undefined;
  if (!account) throw new Error(`a record of account ${line[1]} before the account`);
  const collection = (account[line[2]] ??= {});
  if (line[0] === 'put') collection[line[3]] = line[4];
  else delete collection[line[3]];
}

/** Calls `each` with every complete line of the file, a chunk at a time; a last line without newline is skipped. */
function forEachLine(path: string, each: (line: string, n: number) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let n = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      pending += decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
        each(pending.slice(start, end), (n += 1));
        start = end + 1;
      }
      pending = pending.slice(start);
    }
  } finally {
    closeSync(fd);
  }
}

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(256);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

function loadVersion1(path: string): Record<string, AccountState> {
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SandboxStateError(
      `The sandbox state file ${path} is not valid JSON (${(error as Error).message}); fix or delete it.`,
    );
  }
  const state = parsed as { version?: unknown; accounts?: unknown } | null;
  if (!state || typeof state !== 'object' || state.version !== 1 || typeof state.accounts !== 'object') {
    throw new SandboxStateError(
      `The sandbox state file ${path} is not a klaviyo-gitops sandbox state (expected {"version":1,"accounts":{...}} or version ${VERSION} JSON lines); fix or delete it.`,
    );
  }
  return (state.accounts ?? {}) as Record<string, AccountState>;
}

function loadSnapshot(path: string): Record<string, AccountState> {
  let header: { format?: unknown; version?: unknown } | undefined;
  try {
    header = JSON.parse(firstLine(path)) as typeof header;
  } catch {
    header = undefined;
  }
  if (header?.format !== FORMAT) return loadVersion1(path);
  if (header.version !== VERSION)
    throw new SandboxStateError(
      `The sandbox state file ${path} is version ${String(header.version)}; this klaviyo-gitops reads versions 1 and ${VERSION}. Upgrade klaviyo-gitops, or delete the file to start empty.`,
    );
  const accounts: Record<string, AccountState> = {};
  forEachLine(path, (text, n) => {
    if (n === 1 || text === '') return;
    try {
      apply(accounts, JSON.parse(text) as Line);
    } catch (error) {
      throw new SandboxStateError(
        `The sandbox state file ${path} is damaged at line ${n} (${(error as Error).message}); fix or delete it.`,
      );
    }
  });
  return accounts;
}

/** Replays the committed writes of the log; a write without its commit line (cut off) is dropped. */
function replayLog(path: string, accounts: Record<string, AccountState>): void {
  let batch: Line[] | undefined;
  forEachLine(path, (text) => {
    if (text === '') return;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      batch = undefined; // the cut-off tail of a write that failed: that write never happened
      return;
    }
    if (line[0] === 'begin') batch = [];
    else if (line[0] === 'commit') {
      for (const l of batch ?? []) apply(accounts, l);
      batch = undefined;
    } else batch?.push(line);
  });
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SandboxStateError(`Cannot read the sandbox state file ${path}: ${(error as Error).message}`);
  }
}

/** Loads the accounts in `path` (and its log); a missing file is an empty sandbox, an unreadable one an error naming it. */
export function loadState(path: string): Record<string, AccountState> {
  try {
    const accounts = exists(path) ? loadSnapshot(path) : {};
    if (exists(`${path}.log`)) replayLog(`${path}.log`, accounts);
    return accounts;
  } catch (error) {
    if (error instanceof SandboxStateError) throw error;
    throw new SandboxStateError(`Cannot read the sandbox state file ${path}: ${(error as Error).message}`);
  }
}

function collectionNames(account: AccountState): string[] {
  return Object.entries(account)
    .filter(([, value]) => typeof value === 'object' && value !== null && !Array.isArray(value))
    .map(([name]) => name);
}

function accountLine(account: AccountState): string {
  return JSON.stringify(['account', account.id, scalarsOf(account), collectionNames(account)]);
}

function accountLines(account: AccountState): string[] {
  const lines = [accountLine(account)];
  const collections = account as unknown as Collections;
  for (const name of collectionNames(account))
    for (const [id, record] of Object.entries(collections[name]!))
      lines.push(JSON.stringify(['put', account.id, name, id, record]));
  return lines;
}

function changeLines(account: AccountState, changes: AccountChanges): string[] {
  const lines = changes.scalars ? [accountLine(account)] : [];
  for (const { collection, id, record } of changes.records)
    lines.push(
      JSON.stringify(
        record === undefined
          ? ['del', account.id, collection, id]
          : ['put', account.id, collection, id, record],
      ),
    );
  return lines;
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  // writeSync may write less than asked (a file size limit): go on until all is written or it throws.
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
}

/** Saves the writes of one process to a state file and its log (the caller holds the state lock). */
export class StateFile {
  private logFd: number | undefined;
  private logBytes = 0;
  private snapshotBytes = 0;
  private readonly saved: Set<string>;

  constructor(
    private readonly path: string,
    private readonly accounts: () => Record<string, AccountState>,
  ) {
    this.saved = new Set(Object.keys(accounts()));
    if (exists(path)) this.snapshotBytes = statSync(path).size;
    if (exists(this.logPath)) this.logBytes = statSync(this.logPath).size;
  }

  private get logPath(): string {
    return `${this.path}.log`;
  }

  /** Saves one committed write; throws (having saved nothing of it) when it cannot. */
  commit(changes: AccountChanges): void {
    const account = this.accounts()[changes.accountId];
    if (!account) return;
    // No snapshot yet: the first write makes one (small), which holds this write too.
    if (this.snapshotBytes === 0) return this.compact();
    const lines = this.saved.has(account.id) ? changeLines(account, changes) : accountLines(account);
    if (lines.length === 0) return;
    this.append(`\n["begin"]\n${lines.join('\n')}\n["commit"]\n`);
    this.saved.add(account.id);
    if (this.logBytes >= Math.max(COMPACT_MIN_BYTES, 2 * this.snapshotBytes)) this.compact();
  }

  private append(text: string): void {
    try {
      this.logFd ??= openSync(this.logPath, 'a');
      this.logBytes = fstatSync(this.logFd).size;
      writeAll(this.logFd, text);
      this.logBytes = fstatSync(this.logFd).size;
    } catch (error) {
      // Take back what reached the file; if even that fails, the missing commit line voids it on load.
      if (this.logFd !== undefined) {
        try {
          ftruncateSync(this.logFd, this.logBytes);
          if (this.logBytes === 0) this.dropLog();
        } catch {
          // reported below through the original error
        }
      }
      throw error;
    }
  }

  private dropLog(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    rmSync(this.logPath, { force: true });
    this.logBytes = 0;
  }

  /** Rewrites the snapshot with every account, atomically, and empties the log. */
  compact(): void {
    const temporary = temporaryPathFor(this.path);
    let fd: number | undefined;
    try {
      fd = openSync(temporary, 'w');
      let chunk = `${JSON.stringify({ format: FORMAT, version: VERSION })}\n`;
      for (const account of Object.values(this.accounts())) {
        for (const line of accountLines(account)) {
          chunk += `${line}\n`;
          if (chunk.length >= CHUNK_BYTES) {
            writeAll(fd, chunk);
            chunk = '';
          }
        }
      }
      writeAll(fd, chunk);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(temporary, this.path);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    this.snapshotBytes = Math.max(1, statSync(this.path).size);
    for (const id of Object.keys(this.accounts())) this.saved.add(id);
    this.dropLog();
  }

  /** Folds the log into the snapshot, so a closed state is one file. */
  close(): void {
    if (this.logBytes > 0) this.compact();
    else if (this.logFd !== undefined) this.dropLog();
  }
}
