/**
 * The Klaviyo calls apply makes per action, by operationId. Tag calls are counted per resource and tag (apply
 * may batch several objects into one call, so these are upper bounds).
 */
import type { ApiCall, FieldChange, ObjectKind } from '../plan.js';

const COLLECTION: Record<ObjectKind, string> = {
  list: 'lists',
  segment: 'segments',
  template: 'templates',
  flow: 'flows',
};

export function calls(...entries: Array<[operationId: string, count: number]>): ApiCall[] {
  return entries.filter(([, count]) => count > 0).map(([operationId, count]) => ({ operationId, count }));
}

/** Tag and untag calls for a change of our tags (`before` -> `after`). */
export function tagCalls(kind: ObjectKind, before: readonly string[], after: readonly string[]): ApiCall[] {
  if (kind === 'template') return [];
  const added = after.filter((tag) => !before.includes(tag)).length;
  const removed = before.filter((tag) => !after.includes(tag)).length;
  return calls([`tag_${COLLECTION[kind]}`, added], [`remove_tag_from_${COLLECTION[kind]}`, removed]);
}

export function createCost(kind: ObjectKind, tags: readonly string[], status?: string): ApiCall[] {
  return [
    ...calls([`create_${kind}`, 1]),
    ...tagCalls(kind, [], tags),
    ...calls(['update_flow', kind === 'flow' && status !== undefined && status !== 'draft' ? 1 : 0]),
  ];
}

export function deleteCost(kind: ObjectKind): ApiCall[] {
  return calls([`delete_${kind}`, 1]);
}

/** Archive: flows go to draft and get the archived tag; lists and segments the tag; templates a new marker. */
export function archiveCost(kind: ObjectKind, remoteStatus?: string): ApiCall[] {
  if (kind === 'template') return calls(['update_template', 1]);
  return calls(
    ['update_flow', kind === 'flow' && remoteStatus !== 'draft' ? 1 : 0],
    [`tag_${COLLECTION[kind]}`, 1],
  );
}

/** One update call when any attribute changed, plus tag calls. */
export function updateCost(
  kind: ObjectKind,
  changes: readonly FieldChange[],
  tagsBefore: string[],
  tagsAfter: string[],
): ApiCall[] {
  const attributeChanges = changes.filter((c) => c.path !== 'tags').length;
  return [
    ...calls([`update_${kind}`, attributeChanges > 0 ? 1 : 0]),
    ...tagCalls(kind, tagsBefore, tagsAfter),
  ];
}
