/**
 * `@kind:key` placeholders -> Klaviyo ids, right before a body is sent. The ids come from the plan (`BrandPlan.ids`,
 * objects that existed when planning) and from objects this run created (a flow referencing a template created a
 * moment earlier).
 */
import { parseRefPlaceholder } from '../../compile/desired-state.js';
import { isRecord } from '../normalize.js';

/** A body still names an object that has no Klaviyo id: the object it depends on was not created. */
export class UnresolvedReferenceError extends Error {
  override readonly name = 'UnresolvedReferenceError';
  constructor(readonly placeholders: string[]) {
    super(`no Klaviyo id for ${placeholders.join(', ')}`);
  }
}

/** Ids by `kind:key` (`template:welcome-1`, `metric:Placed Order`). */
export type IdLookup = (ref: string) => string | undefined;

/** A copy of `value` with every placeholder string replaced by its id; throws when any has none. */
export function resolvePlaceholders<T>(value: T, lookup: IdLookup): T {
  const missing = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!parseRefPlaceholder(node)) return node;
      const id = lookup(node.slice(1));
      if (id === undefined) missing.add(node);
      return id ?? node;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (isRecord(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(node)) out[key] = walk(member);
      return out;
    }
    return node;
  };
  const resolved = walk(value) as T;
  if (missing.size > 0) throw new UnresolvedReferenceError([...missing].sort());
  return resolved;
}

/** The `kind:key` of every object a body references (metrics excluded: they are never created by apply). */
export function referencedObjects(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      const ref = parseRefPlaceholder(node);
      if (ref && ref.kind !== 'metric') found.add(`${ref.kind}:${ref.key}`);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) Object.values(node).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}
