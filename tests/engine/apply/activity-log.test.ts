/** logs/activity.log survives a run cut off mid-line: the next run's events are still read back. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ActivityEvent } from '../../../src/engine/apply/activity.js';
import { activityLogSink, readOwnWrites } from '../../../src/engine/apply/activity-log.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-activity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (id: string): ActivityEvent => ({
  time: '2026-07-20T12:00:00.000Z',
  run: 'r1',
  brand: 'acme',
  plan: 'fp',
  operation: 'create_list',
  id,
  outcome: 'ok',
});

it("starts a new run on a fresh line, so a line cut short by a crash does not swallow the next run's first event", () => {
  const path = join(dir, 'logs/activity.log');
  activityLogSink(path, (text) => text)(event('LIST01'));
  // A crash in the middle of the next line.
  appendFileSync(path, JSON.stringify(event('LIST02')).slice(0, 40));
  activityLogSink(path, (text) => text)(event('LIST03'));
  expect(readOwnWrites(path, 'acme', 'fp')).toEqual(new Set(['LIST01', 'LIST03']));
  expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
});
