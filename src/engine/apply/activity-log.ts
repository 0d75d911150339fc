/**
 * `logs/activity.log`: JSON lines, appended as each action finishes (synchronously, so a crash loses at most
 * the action in flight). Every line goes through the redactor first: a key must never reach the log.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActivityEvent, ActivitySink } from './activity.js';

export const ACTIVITY_LOG_PATH = 'logs/activity.log';

export function activityLogSink(path: string, redact: (text: string) => string): ActivitySink {
  mkdirSync(dirname(path), { recursive: true });
  return (event: ActivityEvent) => {
    appendFileSync(path, `${redact(JSON.stringify(event))}\n`);
  };
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
