/**
 * Applies one brand's plan to its Klaviyo account: builds the task graph (tasks.ts), runs it (schedule.ts) and
 * reports per resource what happened. Checks that can refuse the whole plan run before this (preflight.ts);
 * here every write is already allowed.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { KlaviyoClient } from '../../klaviyo/index.js';
import type { BrandPlan } from '../plan.js';
import type { RemoteBrandState } from '../remote-model.js';
import type { ActivitySink } from './activity.js';
import { errorText, resultFor, type ApplyContext, type ResourceResult } from './context.js';
import type { AppliedRecord } from '../applied-record.js';
import {
  baseRecord,
  recordsEqual,
  saveAppliedRecord,
  settledRecord,
  withPending,
  type RecordLocation,
} from './applied-record-store.js';
import { trackResourceProgress, type ResourceProgress } from './progress.js';
import { runTasks, type TaskOutcome } from './schedule.js';
import { TagRegistry } from './tags.js';
import { buildTasks } from './tasks.js';

export interface ApplyBrandOptions {
  client: KlaviyoClient;
  /** The plan to apply, made against `remote`. */
  plan: BrandPlan;
  remote: RemoteBrandState;
  /** The run id shared by the activity log and the run record. */
  run: string;
  /** The fingerprint recorded with every event (default: the plan's own). */
  planFingerprint?: string;
  allowDestroy: boolean;
  sink: ActivitySink;
  now?: () => Date;
  /** Default: real time. */
  sleep?: (ms: number) => Promise<void>;
  /** See ApplyContext.settleMs; default 5 s. */
  settleMs?: number;
  signal?: AbortSignal;
  /** Told how many resources apply touches, then each time one of them is finished. */
  onProgress?: (progress: ResourceProgress) => void;
}

/** Real time, cut short by the signal: an interrupted apply must not sit out a settle wait. */
const realSleep =
  (signal: AbortSignal | undefined) =>
  (ms: number): Promise<void> =>
    delay(ms, undefined, signal ? { signal } : {});

export interface ApplyCounts {
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  archived: number;
  failed: number;
  skipped: number;
}

export interface BrandApplyResult {
  brand: string;
  accountId: string;
  ok: boolean;
  counts: ApplyCounts;
  resources: ResourceResult[];
  /** The applied record could not be written (before the first write: nothing else was written either). */
  recordError?: string;
}

export async function applyBrandPlan(options: ApplyBrandOptions): Promise<BrandApplyResult> {
  const { plan } = options;
  const now = options.now ?? (() => new Date());
  const ctx: ApplyContext = {
    client: options.client,
    brand: plan.brand,
    run: options.run,
    plan,
    planFingerprint: options.planFingerprint ?? plan.fingerprint,
    remote: options.remote,
    ids: new Map(Object.entries(plan.ids)),
    tags: new TagRegistry(
      options.client,
      (operation, id, outcome) =>
        options.sink({
          time: now().toISOString(),
          run: options.run,
          brand: plan.brand,
          plan: options.planFingerprint ?? plan.fingerprint,
          operation,
          ...(id !== undefined ? { id } : {}),
          outcome,
        }),
      options.signal,
    ),
    allowDestroy: options.allowDestroy,
    now,
    sleep: options.sleep ?? realSleep(options.signal),
    settleMs: options.settleMs ?? 5_000,
    sink: options.sink,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const results = plan.resources.map(resultFor);
  const { tasks, owners } = buildTasks(ctx, results);
  const stored = options.remote.appliedRecord;
  let location: RecordLocation = stored.state === 'absent' ? {} : { templateId: stored.templateId };
  let record = baseRecord(stored, plan.accountId, now().toISOString());
  const save = async (next: AppliedRecord): Promise<void> => {
    location = await saveAppliedRecord(
      options.client,
      location,
      { ...next, updatedAt: now().toISOString() },
      options.signal,
    );
    record = next;
  };
  if (tasks.length > 0) {
    const pending = withPending(record, plan);
    if (stored.state !== 'found' || !recordsEqual(pending, record)) {
      try {
        await save(pending);
      } catch (error) {
        const recordError = `could not write the applied record before applying, so nothing was applied: ${errorText(error)}`;
        return { ...summarise(plan, results), ok: false, recordError };
      }
    }
    ctx.tags.prepare(plan);
  }
  const outcomes = await runTasks(tasks, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onSettled: trackResourceProgress(owners, options.onProgress) } : {}),
  });

  const byResource = new Map<number, TaskOutcome[]>();
  for (const [taskId, outcome] of outcomes) {
    const index = owners.get(taskId)!;
    byResource.set(index, [...(byResource.get(index) ?? []), outcome]);
  }
  results.forEach((result, index) => {
    const own = byResource.get(index) ?? [];
    if (own.length === 0) return;
    const failed = own.find((o): o is Extract<TaskOutcome, { status: 'failed' }> => o.status === 'failed');
    const skipped = own.find((o): o is Extract<TaskOutcome, { status: 'skipped' }> => o.status === 'skipped');
    if (failed) {
      result.outcome = 'failed';
      result.error = errorText(failed.error);
    } else if (skipped) {
      result.outcome = 'skipped';
      result.error =
        skipped.blockedBy === 'aborted'
          ? 'not attempted: apply was interrupted'
          : `not attempted: ${describeTask(skipped.blockedBy)} failed`;
    } else result.outcome = 'applied';
  });
  const settled = settledRecord(record, plan, results, now().toISOString());
  let recordError: string | undefined;
  const changed =
    stored.state === 'found'
      ? !recordsEqual(settled, record) || !recordsEqual(settled, stored.record)
      : Object.keys(settled.objects).length > 0;
  if (changed) {
    try {
      await save(settled);
    } catch (error) {
      recordError = `applied, but could not update the applied record: ${errorText(error)}; the next apply updates it`;
    }
  }
  const summary = summarise(plan, results);
  return { ...summary, ok: summary.ok && !recordError, ...(recordError ? { recordError } : {}) };
}

function summarise(plan: BrandPlan, results: ResourceResult[]): BrandApplyResult {
  return {
    brand: plan.brand,
    accountId: plan.accountId,
    ok: results.every((r) => r.outcome === 'applied' || r.outcome === 'unchanged'),
    counts: countResults(results),
    resources: results,
  };
}

/** `write:template:welcome-1` -> `template welcome-1`. */
function describeTask(taskId: string): string {
  const [, kind, key] = taskId.split(':');
  return kind && key ? `${kind} ${key}` : taskId;
}

export function countResults(results: readonly ResourceResult[]): ApplyCounts {
  const counts: ApplyCounts = {
    created: 0,
    updated: 0,
    replaced: 0,
    deleted: 0,
    archived: 0,
    failed: 0,
    skipped: 0,
  };
  for (const r of results) {
    if (r.outcome === 'failed') counts.failed += 1;
    else if (r.outcome === 'skipped') counts.skipped += 1;
    else if (r.outcome !== 'applied') continue;
    else if (r.action === 'create') counts.created += 1;
    else if (r.action === 'update') counts.updated += 1;
    else if (r.action === 'replace') counts.replaced += 1;
    else if (r.action === 'delete') counts.deleted += 1;
    else if (r.action === 'orphan') counts.archived += 1;
  }
  return counts;
}
