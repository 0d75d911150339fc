/** Field-level differences between two normalised values. */
import { deepEqual, isRecord, type Json } from '../normalize.js';
import type { FieldChange } from '../plan.js';

/**
 * The changes that turn `before` into `after`, descending into objects (so a subject edit reads
 * `data.message.subject_line`) and into arrays of unchanged length; a list that grows or shrinks changes whole.
 */
export function fieldChanges(before: Json | undefined, after: Json | undefined, path: string): FieldChange[] {
  if (deepEqual(before, after)) return [];
  // Arrays of the same length line up item by item (an A/B variant's subject); otherwise they change whole.
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => fieldChanges(item, after[i], path ? `${path}.${i}` : String(i)));
  }
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
