/**
 * The sync history kept in a SQLite database: the same contract and resume rules as {@link MemoryLedger}.
 * The database is in memory (sql.js); `save` writes it out as a whole file, atomically, after each step a
 * re-run relies on (a run opened, a batch acknowledged, a run finished). Failures are saved with the next of
 * those: a crash loses at most the last batch's record, which the deterministic ids make harmless.
 */
import {
  FIRST_FAILURES,
  type AcknowledgedBatch,
  type HistoryQuery,
  type ItemFailure,
  type LedgerJson,
  type OpenRunRequest,
  type OpenedRun,
  type RunOutcome,
  type SyncLedger,
  type SyncRunStatus,
  type SyncRunSummary,
  type SyncDirection,
  type SyncStream,
} from './ledger.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/** Failures kept per run, so a bad export cannot grow the file without limit; the rest are only counted. */
export const KEPT_FAILURES_PER_RUN = 1_000;
/**
 * Runs of one brand, source and stream whose batches and failures are kept in full. Older runs keep their
 * summary and first failures: they are never resumed, and the file is rewritten after every batch, so its
 * size is the cost of each write.
 */
export const DETAILED_RUNS_PER_KEY = 10;

type SqlParam = string | number | null;
type Row = Record<string, string | number | null | Uint8Array>;

export interface SqliteLedgerOptions {
  save: (db: SqliteDatabase) => void;
  release: () => void;
  now: () => Date;
}

export class SqliteLedger implements SyncLedger {
  private dirty = false;
  private closed = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: SqliteLedgerOptions,
  ) {}

  openRun(request: OpenRunRequest): OpenedRun {
    const previous = this.one(
      'SELECT id, status, cursor_json FROM runs WHERE brand = ? AND source = ? AND stream = ? ORDER BY id DESC LIMIT 1',
      [request.brand, request.source, request.stream],
    );
    const resumable = previous !== undefined && isResumable(previous.status as SyncRunStatus);
    const cursorJson = resumable ? String(previous.cursor_json) : 'null';
    const id = this.transaction(() => {
      if (resumable && previous.status === 'running') {
        this.db.run("UPDATE runs SET status = 'interrupted' WHERE id = ?", [previous.id as number]);
      }
      this.db.run(
        `INSERT INTO runs (invocation_id, brand, source, stream, direction, status, started_at, resumed_from, cursor_json)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        [
          request.invocationId,
          request.brand,
          request.source,
          request.stream,
          request.direction,
          request.startedAt.toISOString(),
          resumable ? (previous.id as number) : null,
          cursorJson,
        ],
      );
      return Number(this.one('SELECT last_insert_rowid() AS id')!.id);
    });
    this.persist();
    const runId = runIdOf(id);
    if (!resumable) return { runId };
    return {
      runId,
      resume: {
        fromRunId: runIdOf(previous.id as number),
        cursor: JSON.parse(cursorJson) as LedgerJson,
        acknowledged: this.acknowledgedKeys(id),
      },
    };
  }

  acknowledgeBatch(runId: string, batch: AcknowledgedBatch): void {
    const id = this.runRow(runId);
    this.transaction(() => {
      this.db.run(
        `INSERT OR REPLACE INTO batches (run_id, batch_key, items, accepted, failed, job_id, acknowledged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          batch.key,
          batch.items,
          batch.accepted,
          batch.failed,
          batch.jobId ?? null,
          this.options.now().toISOString(),
        ],
      );
      this.db.run('UPDATE runs SET batches = batches + 1, cursor_json = ? WHERE id = ?', [
        JSON.stringify(batch.cursor),
        id,
      ]);
    });
    this.persist();
  }

  recordFailures(runId: string, failures: readonly ItemFailure[]): void {
    const id = this.runRow(runId);
    if (failures.length === 0) return;
    const recorded = Number(this.one('SELECT failures_recorded AS n FROM runs WHERE id = ?', [id])!.n);
    const kept = failures.slice(0, Math.max(0, KEPT_FAILURES_PER_RUN - recorded));
    this.transaction(() => {
      kept.forEach((f, i) =>
        this.db.run(
          'INSERT INTO failures (run_id, seq, batch_key, item, code, detail, pointer) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [id, recorded + i, f.batchKey ?? null, f.item, f.code, f.detail, f.pointer ?? null],
        ),
      );
      this.db.run('UPDATE runs SET failures_recorded = failures_recorded + ? WHERE id = ?', [
        failures.length,
        id,
      ]);
    });
    this.dirty = true;
  }

  finishRun(runId: string, outcome: RunOutcome): void {
    const id = this.runRow(runId);
    const started = String(this.one('SELECT started_at FROM runs WHERE id = ?', [id])!.started_at);
    this.transaction(() => {
      this.db.run(
        `UPDATE runs SET status = ?, ended_at = ?, duration_ms = ?, records = ?, succeeded = ?, failed = ?,
         figures_json = ? WHERE id = ?`,
        [
          outcome.status,
          outcome.endedAt.toISOString(),
          outcome.endedAt.getTime() - Date.parse(started),
          outcome.records,
          outcome.succeeded,
          outcome.failed,
          JSON.stringify(outcome.figures),
          id,
        ],
      );
      this.pruneOldDetail(id);
    });
    this.persist();
  }

  runs(query: HistoryQuery = {}): SyncRunSummary[] {
    this.assertOpen();
    const where: string[] = [];
    const params: SqlParam[] = [];
    if (query.brand !== undefined) {
      where.push('brand = ?');
      params.push(query.brand);
    }
    if (query.stream !== undefined) {
      where.push('stream = ?');
      params.push(query.stream);
    }
    const limit = query.last === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(query.last))}`;
    const rows = this.all(
      `SELECT * FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC${limit}`,
      params,
    );
    return rows.map((row) => this.summaryOf(row));
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.dirty) this.options.save(this.db);
    } finally {
      this.closed = true;
      this.db.close();
      this.options.release();
    }
  }

  private summaryOf(row: Row): SyncRunSummary {
    const id = Number(row.id);
    const firstFailures = this.all(
      'SELECT batch_key, item, code, detail, pointer FROM failures WHERE run_id = ? ORDER BY seq LIMIT ?',
      [id, FIRST_FAILURES],
    ).map((f): ItemFailure => ({
      ...(f.batch_key === null ? {} : { batchKey: String(f.batch_key) }),
      item: String(f.item),
      code: String(f.code),
      detail: String(f.detail),
      ...(f.pointer === null ? {} : { pointer: String(f.pointer) }),
    }));
    return {
      runId: runIdOf(id),
      invocationId: String(row.invocation_id),
      brand: String(row.brand),
      source: String(row.source),
      stream: row.stream as SyncStream,
      direction: row.direction as SyncDirection,
      status: row.status as SyncRunStatus,
      startedAt: String(row.started_at),
      ...(row.ended_at === null ? {} : { endedAt: String(row.ended_at) }),
      ...(row.duration_ms === null ? {} : { durationMs: Number(row.duration_ms) }),
      records: Number(row.records),
      succeeded: Number(row.succeeded),
      failed: Number(row.failed),
      batches: Number(row.batches),
      ...(row.resumed_from === null ? {} : { resumedFrom: runIdOf(Number(row.resumed_from)) }),
      figures: JSON.parse(String(row.figures_json)) as SyncRunSummary['figures'],
      firstFailures,
      failuresRecorded: Number(row.failures_recorded),
    };
  }

  /** The run's acknowledged batch keys, with those of the runs it continues (and they continued). */
  private acknowledgedKeys(id: number): Set<string> {
    const rows = this.all(
      `WITH RECURSIVE chain(id) AS (
         SELECT ? UNION ALL SELECT runs.resumed_from FROM runs JOIN chain ON runs.id = chain.id
         WHERE runs.resumed_from IS NOT NULL)
       SELECT DISTINCT batch_key FROM batches WHERE run_id IN (SELECT id FROM chain)`,
      [id],
    );
    return new Set(rows.map((r) => String(r.batch_key)));
  }

  /**
   * Once a key's newest run has ended for good, none of its runs will be resumed: drop the batches and the
   * failures past the first few of all but its newest runs.
   */
  private pruneOldDetail(id: number): void {
    const run = this.one('SELECT brand, source, stream, status FROM runs WHERE id = ?', [id])!;
    if (isResumable(run.status as SyncRunStatus)) return;
    const key = [run.brand as string, run.source as string, run.stream as string];
    const older = `SELECT id FROM runs WHERE brand = ? AND source = ? AND stream = ? ORDER BY id DESC LIMIT -1 OFFSET ${DETAILED_RUNS_PER_KEY}`;
    this.db.run(`DELETE FROM batches WHERE run_id IN (${older})`, key);
    this.db.run(`DELETE FROM failures WHERE seq >= ${FIRST_FAILURES} AND run_id IN (${older})`, key);
  }

  private persist(): void {
    this.options.save(this.db);
    this.dirty = false;
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private runRow(runId: string): number {
    this.assertOpen();
    const match = /^run-(\d+)$/.exec(runId);
    const row = match ? this.one('SELECT id FROM runs WHERE id = ?', [Number(match[1])]) : undefined;
    if (!row) throw new Error(`no sync run ${runId} in this history`);
    return Number(row.id);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the sync history is closed');
  }

  private all(sql: string, params: SqlParam[] = []): Row[] {
    const statement = this.db.prepare(sql, params);
    try {
      const rows: Row[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as Row);
      return rows;
    } finally {
      statement.free();
    }
  }

  private one(sql: string, params: SqlParam[] = []): Row | undefined {
    return this.all(sql, params)[0];
  }
}

function runIdOf(id: number): string {
  return `run-${id}`;
}

function isResumable(status: SyncRunStatus): boolean {
  return status === 'running' || status === 'stopped';
}
