/**
 * One history run: one stream of one source of one brand. Reads the source from the resumed cursor, cuts it into
 * segments of whole records, keeps up to `concurrency` segments in flight, and advances the cursor only past
 * segments that are done and every segment before them (a watermark), so a crash or a stop never skips a record
 * that was not in an acknowledged batch. The cursor carries the figures of everything before it: a resumed
 * run ends with the totals of the whole run.
 */
import type { ItemFailure, LedgerJson, SyncLedger, SyncRunStatus } from '../history/ledger.js';
import { emptyFigures, figuresFromJson, figuresToJson, mergeFigures, type RunFigures } from './figures.js';
import type { RecordSource, SyncRecord } from './record-sources.js';
import type { SegmentOutcome, StreamWork } from './stream-work.js';

/** When to stop sending new batches: a deadline (`--max-duration`) or an interrupt. */
export interface Budget {
  exhausted(): boolean;
}

export interface StreamRunOptions {
  ledger: SyncLedger;
  brand: string;
  invocationId: string;
  source: RecordSource;
  work: StreamWork;
  budget: Budget;
  /** Segments in flight at once. */
  concurrency: number;
  now: () => Date;
  /** Whether this run counts the source's bad rows (only one stream per source does, so a brand counts each once). */
  countsProblems: boolean;
  /** Every record of this stream, read or passed over on resume (distinct identities are counted from it). */
  seen?: (record: SyncRecord) => void;
  /** Rate-limit waits are added here while the run is current. */
  onRun?: (figures: RunFigures) => void;
  signal?: AbortSignal;
}

export interface StreamRunResult {
  runId: string;
  source: string;
  stream: StreamWork['stream'];
  status: Exclude<SyncRunStatus, 'running' | 'interrupted'>;
  figures: RunFigures;
  resumedFrom?: string;
  halt?: string;
  /** What ended the run (an unusable source, or a fault): the caller decides whether it ends the sync. */
  error?: unknown;
}

interface Segment {
  records: SyncRecord[];
  weight: number;
  delta: RunFigures;
  end: LedgerJson | undefined;
  outcome?: SegmentOutcome;
  done: boolean;
}

const newSegment = (): Segment => ({
  records: [],
  weight: 0,
  delta: emptyFigures(),
  end: undefined,
  done: false,
});

export async function runStream(options: StreamRunOptions): Promise<StreamRunResult> {
  const { ledger, source, work } = options;
  const opened = ledger.openRun({
    brand: options.brand,
    source: source.name,
    stream: work.stream,
    invocationId: options.invocationId,
    direction: 'to-klaviyo',
    startedAt: options.now(),
  });
  const { runId } = opened;
  const carried = cursorParts(opened.resume?.cursor);
  const committed = carried.figures;
  options.onRun?.(committed);
  const acknowledged = opened.resume?.acknowledged ?? new Set<string>();
  const pending: Segment[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let halt: string | undefined;
  let thrown: unknown;

  const advance = (): void => {
    while (pending[0]?.done) {
      const segment = pending.shift()!;
      mergeFigures(committed, segment.delta);
      const cursor = { position: segment.end ?? null, figures: figuresToJson(committed) };
      for (const batch of segment.outcome?.batches ?? [])
        ledger.acknowledgeBatch(runId, { ...batch, cursor });
    }
  };

  const dispatch = async (segment: Segment): Promise<void> => {
    if (halt !== undefined || thrown !== undefined) return;
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (halt !== undefined || thrown !== undefined) return;
    // Checked right before sending: what is in flight finishes, nothing new starts once the budget is spent.
    if (options.budget.exhausted()) {
      stopped = true;
      return;
    }
    pending.push(segment);
    const context = { acknowledged, ...(options.signal && { signal: options.signal }) };
    const sending = work
      .send(segment.records, segment.delta, context)
      .then((outcome) => {
        segment.outcome = outcome;
        if (outcome.failures.length > 0) ledger.recordFailures(runId, outcome.failures);
        if (outcome.halt !== undefined) halt ??= outcome.halt;
        segment.done = true;
        advance();
      })
      .catch((error: unknown) => {
        thrown ??= error;
      });
    const tracked = sending.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let open = newSegment();
  try {
    for await (const entry of source.read(carried.position, options.seen)) {
      if (entry.kind === 'problem') {
        if (options.countsProblems) {
          open.delta.records += 1;
          open.delta.failed += 1;
          open.delta.badRows += 1;
          const failure: ItemFailure = {
            item: `${entry.problem.file}:${entry.problem.line}`,
            code: 'source-row',
            detail: entry.problem.reason,
          };
          ledger.recordFailures(runId, [failure]);
        }
        open.end = entry.position;
        continue;
      }
      const weight = work.weigh(entry.record);
      if (weight === undefined) {
        open.end = entry.position;
        continue;
      }
      options.seen?.(entry.record);
      if (open.records.length > 0 && open.weight + weight > work.maxWeight) {
        await dispatch(open);
        open = newSegment();
        if (stopped || halt !== undefined || thrown !== undefined) break;
      }
      open.records.push(entry.record);
      open.weight += weight;
      open.delta.records += 1;
      work.count(entry.record, open.delta);
      open.end = entry.position;
    }
    if (!stopped && halt === undefined && thrown === undefined && open.end !== undefined)
      await dispatch(open);
  } catch (error) {
    thrown ??= error;
  }
  while (inFlight.size > 0) await Promise.race(inFlight);
  advance();

  const status: StreamRunResult['status'] =
    thrown !== undefined || halt !== undefined
      ? 'failed'
      : stopped
        ? 'stopped'
        : committed.failed > 0
          ? 'partial'
          : 'succeeded';
  // Why the run failed belongs in the history beside it (an unusable file, credentials TikTok refused).
  if (thrown !== undefined)
    ledger.recordFailures(runId, [
      { item: source.name, code: 'source-failed', detail: (thrown as Error).message ?? String(thrown) },
    ]);
  ledger.finishRun(runId, {
    status,
    endedAt: options.now(),
    records: committed.records,
    succeeded: work.succeeded(committed),
    failed: committed.failed,
    figures: figuresToJson(committed),
  });
  return {
    runId,
    source: source.name,
    stream: work.stream,
    status,
    figures: committed,
    ...(opened.resume && { resumedFrom: opened.resume.fromRunId }),
    ...(halt !== undefined && { halt }),
    ...(thrown !== undefined && { error: thrown }),
  };
}

/** A cursor as this driver writes it: the source position and the figures of everything before it. */
function cursorParts(cursor: LedgerJson | undefined): {
  position: LedgerJson | undefined;
  figures: RunFigures;
} {
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor))
    return { position: undefined, figures: emptyFigures() };
  const position = cursor.position ?? undefined;
  return { position: position === null ? undefined : position, figures: figuresFromJson(cursor.figures) };
}
