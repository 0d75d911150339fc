/** Field-level differences between two normalised values. */
import { deepEqual, isRecord, type Json } from '../normalize.js';
import type { FieldChange } from '../plan.js';

/**
 * The changes that turn `before` into `after`, descending into objects (so a subject edit reads
 * `data.message.subject_line`) but not into arrays (a list of conditions changes as a whole).
 */
export function fieldChanges(before: Json | undefined, after: Json | undefined, path: string): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return [change(path, before, after)];
}

export function change(
  path: string,
  before: Json | undefined,
  after: Json | undefined,
  cause?: string,
): FieldChange {
  return {
    path,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
