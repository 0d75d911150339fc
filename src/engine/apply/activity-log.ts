/**
 * `logs/activity.log`: JSON lines, appended as each action finishes (synchronously, so a crash loses at most
 * the action in flight). Every line goes through the redactor first: a key must never reach the log.
 *
 * Appended, not rewritten atomically like the other outputs: a rewrite per action would cost the whole log each
 * time. A line cut short by a crash is skipped by the reader, and a new run starts on a fresh line so that the
 * cut line never swallows the next event.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActivityEvent, ActivitySink } from './activity.js';

export const ACTIVITY_LOG_PATH = 'logs/activity.log';

export function activityLogSink(path: string, redact: (text: string) => string): ActivitySink {
  mkdirSync(dirname(path), { recursive: true });
  if (endsMidLine(path)) appendFileSync(path, '\n');
  return (event: ActivityEvent) => {
    appendFileSync(path, `${redact(JSON.stringify(event))}\n`);
  };
}

/** True when the log's last byte is not a newline: the previous run was cut off in the middle of a line. */
function endsMidLine(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Ids this machine's earlier runs wrote while applying the plan with `fingerprint` for `brand`: a re-run of an
 * interrupted `apply --plan` does not take its own writes for someone else's edits. A missing or damaged log
 * gives an empty set (the check is then stricter, never looser).
 */
export function readOwnWrites(path: string, brand: string, fingerprint: string): Set<string> {
  const ids = new Set<string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return ids;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as Partial<ActivityEvent>;
      if (event.brand !== brand || event.plan !== fingerprint || typeof event.id !== 'string') continue;
      if (event.outcome === 'ok' || event.outcome === 'reconciled') ids.add(event.id);
    } catch {
      // A line cut short by a crash: skip it.
    }
  }
  return ids;
}
