/**
 * `logs/activity.log`: JSON lines, appended as each action finishes (synchronously, so a crash loses at most
 * the action in flight). Every line goes through the redactor first: a key must never reach the log.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActivityEvent, ActivitySink } from './activity.js';

export const ACTIVITY_LOG_PATH = 'logs/activity.log';

export function activityLogSink(path: string, redact: (text: string) => string): ActivitySink {
  mkdirSync(dirname(path), { recursive: true });
  return (event: ActivityEvent) => {
    appendFileSync(path, `${redact(JSON.stringify(event))}\n`);
  };
}
