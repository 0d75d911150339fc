/**
 * Keeping the applied record (../applied-record.ts) current during an apply: before the first write it records
 * the prints about to be written as pending (a crash then never makes our own writes look like hand edits),
 * and when the apply ends it settles every object that is now as planned. Objects that failed keep their old
 * prints and their pending ones. The record is written only when it changed.
 */
import type { KlaviyoClient } from '../../klaviyo/index.js';
import {
  appliedRecordHtml,
  emptyRecord,
  objectKey,
  APPLIED_RECORD_TEMPLATE_NAME,
  type AppliedRecord,
  type StoredAppliedRecord,
} from '../applied-record.js';
import { canonicalJson, isChange, type BrandPlan } from '../plan.js';
import type { ResourceResult } from './context.js';

/** Where the record is written: the template found when planning, or none yet. */
export interface RecordLocation {
  templateId?: string;
}

export function baseRecord(stored: StoredAppliedRecord, accountId: string, at: string): AppliedRecord {
  return stored.state === 'found' ? structuredClone(stored.record) : emptyRecord(accountId, at);
}

/** The record with the prints this plan is about to write marked pending. */
export function withPending(record: AppliedRecord, plan: BrandPlan): AppliedRecord {
  const next = structuredClone(record);
  for (const resource of plan.resources) {
    if (!isChange(resource.action) || !resource.prints) continue;
    const key = objectKey(resource.kind, resource.key);
    const entry = next.objects[key];
    // A new object gets its entry when settled: until then nothing it holds can be mistaken for a hand edit.
    if (entry) entry.pending = resource.prints;
  }
  return next;
}

/** The record after the apply: settled where the object is now as planned, unchanged where it failed. */
export function settledRecord(
  record: AppliedRecord,
  plan: BrandPlan,
  results: readonly ResourceResult[],
  at: string,
): AppliedRecord {
  const next = structuredClone(record);
  plan.resources.forEach((resource, index) => {
    const result = results[index]!;
    if (result.outcome !== 'applied' && result.outcome !== 'unchanged') return;
    const key = objectKey(resource.kind, resource.key);
    const action = resource.action;
    if (action.type === 'orphan' && action.reason === 'superseded') return;
    if (action.type === 'delete' || action.type === 'orphan' || !resource.prints) {
      delete next.objects[key];
      return;
    }
    const id = result.id ?? resource.id;
    if (id === undefined) return;
    const previous = next.objects[key];
    next.objects[key] = {
      id,
      at: isChange(action) || !previous?.at ? at : previous.at,
      prints: resource.prints,
    };
  });
  return next;
}

export function recordsEqual(a: AppliedRecord, b: AppliedRecord): boolean {
  const content = (r: AppliedRecord) => canonicalJson({ ...r, updatedAt: '' });
  return content(a) === content(b);
}

/** Creates or updates the record's template; returns where it now lives. */
export async function saveAppliedRecord(
  client: KlaviyoClient,
  location: RecordLocation,
  record: AppliedRecord,
  signal?: AbortSignal,
): Promise<RecordLocation> {
  const html = appliedRecordHtml(record);
  const call = signal ? { signal } : {};
  if (location.templateId) {
    await client.templates.update(location.templateId, { html, text: '' }, call);
    return location;
  }
  const created = await client.templates.create(
    {
      data: {
        type: 'template',
        attributes: { name: APPLIED_RECORD_TEMPLATE_NAME, editor_type: 'CODE', html, text: '' },
      },
    },
    { ...call, reconcile: 'by-name' },
  );
  return { templateId: created.id };
}
