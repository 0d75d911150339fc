/** Parsing of the sync verbs' own option values: durations, counts and stream names. */
import { SYNC_STREAMS, type SyncStream } from '../sync/history/ledger.js';
import { usageError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `30m`, `90s`, `1h30m`, `500ms` -> milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(text: string, flag = '--max-duration'): number {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw usageError(`${flag} takes a duration such as 30m, 90s or 1h30m (got '${text}')`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  if (ms <= 0) throw usageError(`${flag} must be longer than zero (got '${text}')`);
  return ms;
}

export function parseCount(text: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw usageError(`${flag} takes a whole number above zero (got '${text}')`);
  return Number(text);
}

export function parseStream(text: string): SyncStream {
  if (!(SYNC_STREAMS as readonly string[]).includes(text))
    throw usageError(`--type is one of ${SYNC_STREAMS.join(', ')} (got '${text}')`);
  return text as SyncStream;
}
