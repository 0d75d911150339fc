/**
 * The sync history's contract: what a sync run records as it goes, and what `sync history` reads back.
 *
 * A history run is one stream (profiles, events or consent) of one source of one brand, within one
 * invocation of `sync`. Runs are resumable: a run that crashed (still `running`) or stopped at its time
 * budget (`stopped`) hands its source cursor and its acknowledged batches to the next run of the same
 * brand, source and stream. Correctness never depends on this record: every event carries a deterministic
 * `unique_id` and profile imports and subscriptions are idempotent, so a lost history costs re-sending,
 * never duplicates.
 *
 * Implementations: {@link MemoryLedger} (tests, `--no-history`) and the SQLite-backed history database.
 */

export type SyncStream = 'profiles' | 'events' | 'consent';
export const SYNC_STREAMS: readonly SyncStream[] = ['profiles', 'events', 'consent'];

/** Store to Klaviyo today; the column exists so an export direction needs no migration. */
export type SyncDirection = 'to-klaviyo';

/**
 * `running` while in progress (and until the next run, when the process died), `interrupted` once a later run
 * took over a run that never finished, `succeeded` with no failed item, `partial` when some items failed and
 * were recorded, `failed` when the run could not go on, `stopped` when `--max-duration` ran out (the next run
 * continues).
 */
export type SyncRunStatus = 'running' | 'interrupted' | 'succeeded' | 'partial' | 'failed' | 'stopped';

/** JSON the ledger stores as is: a source cursor, figures. */
export type LedgerJson = null | boolean | number | string | LedgerJson[] | { [key: string]: LedgerJson };

export interface SyncRunKey {
  brand: string;
  /** The sync.yaml source's `name`. */
  source: string;
  stream: SyncStream;
}

export interface OpenRunRequest extends SyncRunKey {
  /** Shared by every run of one `sync` invocation. */
  invocationId: string;
  direction: SyncDirection;
  startedAt: Date;
}

/** What an interrupted earlier run of the same key leaves to the new one. */
export interface ResumePoint {
  fromRunId: string;
  /** The last cursor acknowledged with a batch; the source reader skips up to it. */
  cursor: LedgerJson;
  /** Keys of batches Klaviyo accepted, so an identical batch is not sent again. */
  acknowledged: ReadonlySet<string>;
}

export interface OpenedRun {
  runId: string;
  resume?: ResumePoint;
}

export interface AcknowledgedBatch {
  /** Deterministic from the batch's content (e.g. a hash of its items' ids). */
  key: string;
  /** Items in the batch as sent the first time. */
  items: number;
  accepted: number;
  failed: number;
  /** Klaviyo's job id, when the endpoint returns one (profile import jobs). */
  jobId?: string;
  /** The cursor once this batch is acknowledged: every record up to it is in an acknowledged batch. */
  cursor: LedgerJson;
}

/** One item Klaviyo refused, or one the sync dropped before sending. */
export interface ItemFailure {
  batchKey?: string;
  /** What names the item to a person: an email, an event's `unique_id`, `file:line`. */
  item: string;
  /** Klaviyo's error code, or the sync's own reason (`invalid-email`, ...). */
  code: string;
  detail: string;
  /** Klaviyo's `source.pointer`, when it gave one. */
  pointer?: string;
}

export interface RunOutcome {
  status: Exclude<SyncRunStatus, 'running' | 'interrupted'>;
  endedAt: Date;
  /** Records read for this stream. */
  records: number;
  succeeded: number;
  failed: number;
  /** The run's figures in full (seed stats, skips by reason, rate-limit waits). */
  figures: { [key: string]: LedgerJson };
}

export interface SyncRunSummary extends SyncRunKey {
  runId: string;
  invocationId: string;
  direction: SyncDirection;
  status: SyncRunStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  records: number;
  succeeded: number;
  failed: number;
  batches: number;
  resumedFrom?: string;
  figures: { [key: string]: LedgerJson };
  /** The first few item failures, oldest first. */
  firstFailures: ItemFailure[];
  /** Every item failure recorded for the run, `firstFailures` included; absent where a ledger does not count. */
  failuresRecorded?: number;
}

export interface HistoryQuery {
  brand?: string;
  stream?: SyncStream;
  /** The newest N runs; all when absent. */
  last?: number;
}

export interface SyncLedger {
  /** Starts a run; hands over the cursor and acknowledged batches of an interrupted run of the same key. */
  openRun(request: OpenRunRequest): OpenedRun;
  /** Records a batch Klaviyo accepted and advances the run's cursor, in one step. */
  acknowledgeBatch(runId: string, batch: AcknowledgedBatch): void;
  recordFailures(runId: string, failures: readonly ItemFailure[]): void;
  finishRun(runId: string, outcome: RunOutcome): void;
  /** Newest first. */
  runs(query?: HistoryQuery): SyncRunSummary[];
  close(): void;
}

/** How many item failures a run summary carries. */
export const FIRST_FAILURES = 5;
