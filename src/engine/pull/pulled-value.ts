/**
 * The value a pull writes for one planned change that reverts an edit made in Klaviyo: Klaviyo's value (the
 * change's `before`), except where the repository also changed the same field since the last apply. Then the
 * two are merged leaf by leaf against the applied record (what was last applied, as prints): leaves edited in
 * Klaviyo come from Klaviyo, leaves changed in the repository stay as the repository has them. A leaf changed
 * on both sides is a conflict a person has to settle.
 */
import { pathsOverlap, printFields, type AppliedEntry, type FieldPrints } from '../applied-record.js';
import { isRecord, type Json } from '../normalize.js';
import type { FieldChange } from '../plan.js';

export type PulledValue =
  /** `merged`: the repository changed other leaves of the field too, so the next plan still changes it. */
  { ok: true; value: Json | undefined; merged: boolean } | { ok: false; reason: string };

export interface PrintsContext {
  /** The object's entry in the applied record, when there is one. */
  entry?: AppliedEntry | undefined;
  /** The prints of the repository's values (the resource plan's `prints`). */
  desired?: FieldPrints | undefined;
}

/** `field` is the change's path as the prints name it (`definition`, `steps.cart-1.data.value`). */
export function pulledValue(change: FieldChange, field: string, prints: PrintsContext): PulledValue {
  const remote = change.before;
  const { entry, desired } = prints;
  if (!entry || !desired) return { ok: true, value: remote, merged: false };
  const under = (leaf: string): boolean => pathsOverlap(leaf, field);
  const moved = (leaf: string, now: FieldPrints): boolean =>
    now[leaf] !== entry.prints[leaf] && (entry.pending === undefined || now[leaf] !== entry.pending[leaf]);

  const leaves = (now: FieldPrints): string[] =>
    [...new Set([...Object.keys(now), ...Object.keys(entry.prints)])].filter(under);
  const inCode = leaves(desired).filter((leaf) => moved(leaf, desired));
  if (inCode.length === 0) return { ok: true, value: remote, merged: false };

  const remotePrints = printFields({ [field]: remote });
  const inKlaviyo = leaves(remotePrints).filter((leaf) => moved(leaf, remotePrints));
  const both = inKlaviyo.filter((leaf) => inCode.some((code) => pathsOverlap(code, leaf)));
  if (both.length > 0) {
    return {
      ok: false,
      reason: `changed both in the repository and in Klaviyo since the last apply (${both.join(', ')}): settle it by hand`,
    };
  }
  let value = structuredClone(change.after) as Json | undefined;
  for (const leaf of inKlaviyo) {
    const path = leaf === field ? [] : leaf.slice(field.length + 1).split('.');
    const next = setLeaf(value, path, leafAt(remote, path));
    if (next === CONFLICT)
      return {
        ok: false,
        reason: `changed both in the repository and in Klaviyo since the last apply, in ways that do not merge: settle it by hand`,
      };
    value = next;
  }
  return { ok: true, value, merged: true };
}

const CONFLICT = Symbol('conflict');

function leafAt(value: Json | undefined, path: string[]): Json | undefined {
  let node: Json | undefined = value;
  for (const step of path) {
    if (Array.isArray(node)) node = node[Number(step)];
    else if (isRecord(node)) node = node[step] as Json | undefined;
    else return undefined;
  }
  return node;
}

/** `value` with the leaf at `path` set (or removed when `leaf` is undefined); CONFLICT when it has no place. */
function setLeaf(
  value: Json | undefined,
  path: string[],
  leaf: Json | undefined,
): Json | undefined | typeof CONFLICT {
  if (path.length === 0) return leaf;
  const [step, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const index = Number(step);
    if (!Number.isInteger(index) || index > value.length) return CONFLICT;
    const next = setLeaf(value[index], rest, leaf);
    if (next === CONFLICT) return CONFLICT;
    const copy = [...value];
    if (next === undefined) {
      // Removing a list item shifts the others: only the last one can go without touching them.
      if (index !== copy.length - 1) return CONFLICT;
      copy.pop();
    } else copy[index] = next;
    return copy;
  }
  if (isRecord(value) || value === undefined) {
    const record: Record<string, Json> = { ...((value as Record<string, Json> | undefined) ?? {}) };
    const next = setLeaf(record[step], rest, leaf);
    if (next === CONFLICT) return CONFLICT;
    if (next === undefined) delete record[step];
    else record[step] = next;
    return record;
  }
  return CONFLICT;
}
