/**
 * The sync history kept in memory: for tests and for runs that keep no history (`--no-history`). Same
 * resume rules as the database: the newest run of a key that is `running` or `stopped` is continued.
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
} from './ledger.js';

interface RunState {
  summary: SyncRunSummary;
  cursor: LedgerJson;
  acknowledged: Set<string>;
}

export class MemoryLedger implements SyncLedger {
  private readonly all: RunState[] = [];
  private sequence = 0;

  openRun(request: OpenRunRequest): OpenedRun {
    const previous = this.latest(request.brand, request.source, request.stream);
    const resumable = previous && isResumable(previous.summary.status);
    const runId = `run-${++this.sequence}`;
    const state: RunState = {
      summary: {
        runId,
        invocationId: request.invocationId,
        brand: request.brand,
        source: request.source,
        stream: request.stream,
        direction: request.direction,
        status: 'running',
        startedAt: request.startedAt.toISOString(),
        records: 0,
        succeeded: 0,
        failed: 0,
        batches: 0,
        figures: {},
        firstFailures: [],
        failuresRecorded: 0,
        ...(resumable ? { resumedFrom: previous.summary.runId } : {}),
      },
      cursor: resumable ? previous.cursor : null,
      acknowledged: new Set(resumable ? previous.acknowledged : []),
    };
    if (resumable && previous.summary.status === 'running') previous.summary.status = 'interrupted';
    this.all.push(state);
    if (!resumable) return { runId };
    return {
      runId,
      resume: {
        fromRunId: previous.summary.runId,
        cursor: state.cursor,
        acknowledged: new Set(state.acknowledged),
      },
    };
  }

  acknowledgeBatch(runId: string, batch: AcknowledgedBatch): void {
    const run = this.run(runId);
    run.acknowledged.add(batch.key);
    run.cursor = batch.cursor;
    run.summary.batches += 1;
  }

  recordFailures(runId: string, failures: readonly ItemFailure[]): void {
    const run = this.run(runId);
    run.summary.failuresRecorded = (run.summary.failuresRecorded ?? 0) + failures.length;
    const room = FIRST_FAILURES - run.summary.firstFailures.length;
    if (room > 0) run.summary.firstFailures.push(...failures.slice(0, room));
  }

  finishRun(runId: string, outcome: RunOutcome): void {
    const summary = this.run(runId).summary;
    summary.status = outcome.status;
    summary.endedAt = outcome.endedAt.toISOString();
    summary.durationMs = outcome.endedAt.getTime() - Date.parse(summary.startedAt);
    summary.records = outcome.records;
    summary.succeeded = outcome.succeeded;
    summary.failed = outcome.failed;
    summary.figures = outcome.figures;
  }

  runs(query: HistoryQuery = {}): SyncRunSummary[] {
    const matching = this.all
      .filter(
        (r) =>
          (query.brand === undefined || r.summary.brand === query.brand) &&
          (query.stream === undefined || r.summary.stream === query.stream),
      )
      .map((r) => structuredClone(r.summary))
      .reverse();
    return query.last === undefined ? matching : matching.slice(0, query.last);
  }

  close(): void {}

  private latest(brand: string, source: string, stream: string): RunState | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const s = this.all[i]!.summary;
      if (s.brand === brand && s.source === source && s.stream === stream) return this.all[i];
    }
    return undefined;
  }

  private run(runId: string): RunState {
    const run = this.all.find((r) => r.summary.runId === runId);
    if (!run) throw new Error(`no sync run ${runId} in this history`);
    return run;
  }
}

function isResumable(status: SyncRunStatus): boolean {
  return status === 'running' || status === 'stopped';
}
