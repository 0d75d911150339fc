/** The history database as a file: persistence, crashes, a second writer, bad files, bounded growth. */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isTemporaryFile } from '../../../src/atomic-write.js';
import { openSyncHistory, SyncHistoryError } from '../../../src/sync/history/database.js';
import { DETAILED_RUNS_PER_KEY, KEPT_FAILURES_PER_RUN } from '../../../src/sync/history/sqlite-ledger.js';
import { outcome, request } from './runs.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function historyPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kg-history-'));
  dirs.push(dir);
  return join(dir, '.klaviyo-gitops', 'sync.db');
}

async function tableRows(path: string, sql: string): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    return db.exec(sql)[0]?.values ?? [];
  } finally {
    db.close();
  }
}

describe('the sync history database', () => {
  it('keeps runs, batches, failures and figures across close and open, in a real SQLite file', async () => {
    const path = historyPath();
    const first = await openSyncHistory(path);
    const done = first.openRun(request());
    first.acknowledgeBatch(done.runId, {
      key: 'b1',
      items: 2,
      accepted: 1,
      failed: 1,
      jobId: 'job-7',
      cursor: 9,
    });
    first.recordFailures(done.runId, [
      { batchKey: 'b1', item: 'x@example.com', code: 'invalid', detail: 'bad' },
    ]);
    first.finishRun(done.runId, outcome({ status: 'partial', failed: 1, figures: { orderValue: 123.45 } }));
    const stopped = first.openRun(request({ stream: 'profiles' }));
    first.acknowledgeBatch(stopped.runId, {
      key: 'p1',
      items: 5,
      accepted: 5,
      failed: 0,
      cursor: { line: 6 },
    });
    first.finishRun(stopped.runId, outcome({ status: 'stopped' }));
    first.close();

    expect(await tableRows(path, 'PRAGMA user_version')).toEqual([[1]]);
    expect(await tableRows(path, 'SELECT run_id, batch_key, job_id FROM batches ORDER BY batch_key')).toEqual(
      [
        [1, 'b1', 'job-7'],
        [2, 'p1', null],
      ],
    );

    const second = await openSyncHistory(path);
    expect(second.runs({ stream: 'events' })[0]).toMatchObject({
      runId: done.runId,
      status: 'partial',
      batches: 1,
      figures: { orderValue: 123.45 },
      firstFailures: [{ batchKey: 'b1', item: 'x@example.com', code: 'invalid' }],
    });
    const resumed = second.openRun(request({ stream: 'profiles', invocationId: 'inv-2' }));
    expect(resumed.resume).toEqual({
      fromRunId: stopped.runId,
      cursor: { line: 6 },
      acknowledged: new Set(['p1']),
    });
    second.close();
    expect(readdirSync(join(path, '..')).filter(isTemporaryFile)).toEqual([]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('resumes after a process killed mid-run, from its last acknowledged batch', async () => {
    const path = historyPath();
    const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', writer, path], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(`${path}.lock`)).toBe(true);

    const ledger = await openSyncHistory(path, { lockWaitMs: 0 });
    const run = ledger.openRun(request({ invocationId: 'after-crash' }));
    expect(run.resume?.cursor).toEqual({ line: 5 });
    expect([...(run.resume?.acknowledged ?? [])].sort()).toEqual(['b1', 'b2']);
    expect(ledger.runs().map((r) => [r.invocationId, r.status])).toEqual([
      ['after-crash', 'running'],
      ['crashed', 'interrupted'],
    ]);
    ledger.close();
  });

  it('refuses a second writer while the first holds the history, naming it', async () => {
    const path = historyPath();
    const first = await openSyncHistory(path);
    const second = openSyncHistory(path, { lockWaitMs: 0 });
    await expect(second).rejects.toThrow(SyncHistoryError);
    await expect(second).rejects.toThrow(`in use by another klaviyo-gitops process (pid ${process.pid}`);
    first.close();
    (await openSyncHistory(path, { lockWaitMs: 0 })).close();
  });

  it.each([
    ['a file that is not SQLite', () => Buffer.from('runs,brand\n1,emberwick\n'), /not a SQLite database/],
    ['a truncated database', (valid: Buffer) => valid.subarray(0, 1500), /sync history database is damaged/],
    ['another SQLite database', (_: Buffer, other: Buffer) => other, /not a klaviyo-gitops sync history/],
    [
      'a newer schema',
      (_: Buffer, __: Buffer, newer: Buffer) => newer,
      /schema version 7 was written by a newer/,
    ],
  ])('refuses %s with the path, what is wrong and what to do', async (_name, content, message) => {
    const valid = historyPath();
    const ledger = await openSyncHistory(valid);
    for (let i = 0; i < 40; i++) ledger.openRun(request({ invocationId: `inv-${i}`.padEnd(200, '.') }));
    ledger.close();
    const SQL = await initSqlJs();
    const other = new SQL.Database();
    other.exec('CREATE TABLE orders (id TEXT)');
    const newer = new SQL.Database(readFileSync(valid));
    newer.exec('PRAGMA user_version = 7');
    const path = historyPath();
    const bytes = content(readFileSync(valid), Buffer.from(other.export()), Buffer.from(newer.export()));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);

    const opening = openSyncHistory(path, { displayPath: '.klaviyo-gitops/sync.db' });
    await expect(opening).rejects.toThrow(SyncHistoryError);
    await expect(opening).rejects.toThrow(message);
    await expect(opening).rejects.toThrow(/^\.klaviyo-gitops\/sync\.db: .*(Move|Upgrade|Pass)/);
    expect(readFileSync(path)).toEqual(Buffer.from(bytes));
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it(`keeps at most ${KEPT_FAILURES_PER_RUN} failures of a run and counts the rest`, async () => {
    const path = historyPath();
    const ledger = await openSyncHistory(path);
    const run = ledger.openRun(request());
    for (let batch = 0; batch < 3; batch++) {
      const failures = Array.from({ length: 600 }, (_, i) => ({
        item: `${batch}-${i}`,
        code: 'x',
        detail: 'y',
      }));
      ledger.recordFailures(run.runId, failures);
      ledger.acknowledgeBatch(run.runId, {
        key: `b${batch}`,
        items: 600,
        accepted: 0,
        failed: 600,
        cursor: batch,
      });
    }
    ledger.close();
    expect(await tableRows(path, 'SELECT count(*), max(seq) FROM failures')).toEqual([[1000, 999]]);
    expect(await tableRows(path, 'SELECT failures_recorded FROM runs')).toEqual([[1800]]);
  });

  it(`drops the batches and failures of all but the newest ${DETAILED_RUNS_PER_KEY} finished runs of a key`, async () => {
    const path = historyPath();
    const ledger = await openSyncHistory(path);
    for (let i = 0; i < DETAILED_RUNS_PER_KEY + 2; i++) {
      const run = ledger.openRun(request({ invocationId: `inv-${i}` }));
      ledger.acknowledgeBatch(run.runId, { key: `b${i}`, items: 1, accepted: 1, failed: 0, cursor: i });
      ledger.recordFailures(
        run.runId,
        Array.from({ length: 8 }, (_, n) => ({ item: `${i}-${n}`, code: 'x', detail: 'y' })),
      );
      ledger.finishRun(run.runId, outcome({ status: 'partial' }));
    }
    const oldest = ledger.runs().at(-1);
    ledger.close();
    expect(oldest).toMatchObject({ batches: 1, firstFailures: { length: 5 } });
    expect(await tableRows(path, 'SELECT count(DISTINCT run_id), count(*) FROM batches')).toEqual([[10, 10]]);
    expect(await tableRows(path, 'SELECT count(*) FROM failures WHERE run_id <= 2')).toEqual([[10]]);
    expect(await tableRows(path, 'SELECT count(*) FROM failures WHERE run_id > 2')).toEqual([[80]]);
  });

  it('loads its engine under plain node, with nothing on stderr', () => {
    const script =
      "import init from 'sql.js/dist/sql-wasm-inline.js'; const SQL = await init(); " +
      "console.log(new SQL.Database().exec('select sqlite_version()')[0].values[0][0]);";
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out.trim()).toMatch(/^3\.\d+\.\d+$/);
    const stderr = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(stderr.stderr).toBe('');
  });
});
