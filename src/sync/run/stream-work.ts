/**
 * What one stream (profiles, events, consent) does with a segment of records: how much room a record takes, and
 * how the segment goes to Klaviyo. The run driver (stream-run.ts) owns reading, cursors, concurrency and the
 * history; a stream only builds bodies, sends them and counts.
 */
import { createHash } from 'node:crypto';
import type { AcknowledgedBatch, ItemFailure, SyncStream } from '../history/ledger.js';
import type { RunFigures } from './figures.js';
import type { SyncRecord } from './record-sources.js';

/** A batch Klaviyo took, before the driver gives it the cursor it acknowledges. */
export type SentBatch = Omit<AcknowledgedBatch, 'cursor'>;

export interface SegmentOutcome {
  batches: SentBatch[];
  failures: ItemFailure[];
  /** Klaviyo could not be reached even after resending: the run stops sending and fails. */
  halt?: string;
}

export interface SendContext {
  /** Keys of batches an interrupted run already had acknowledged: not sent again. */
  acknowledged: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface StreamWork {
  stream: SyncStream;
  /** The room a record takes in a segment; undefined when this stream does not take it. */
  weigh(record: SyncRecord): number | undefined;
  /** Room in one segment: what one request (or one round of requests) carries. */
  maxWeight: number;
  /** Counts what reading the record tells (orders fetched, customers read) into the segment's figures. */
  count(record: SyncRecord, figures: RunFigures): void;
  /** Sends a segment's records, counting what happened into `figures`. Throws only what ends the whole sync. */
  send(records: SyncRecord[], figures: RunFigures, context: SendContext): Promise<SegmentOutcome>;
  /** The run's successes in the history's terms. */
  succeeded(figures: RunFigures): number;
}

/** A batch's key: a hash of its items' ids, the same on every run for the same items. */
export function batchKey(stream: SyncStream, ids: readonly string[]): string {
  const hash = createHash('sha256').update(stream);
  for (const id of ids) hash.update('\0').update(id);
  return `${stream}:${hash.digest('hex').slice(0, 32)}`;
}
