/**
 * The review fingerprint: what a pull request's reviewers approved, as one hash, for apply on merge to find
 * again before it writes (dflook's plan hash, over data instead of text).
 *
 * It covers only what the plan would write: each resource it creates, updates, replaces, deletes or archives,
 * with the Klaviyo `updated` stamp it was planned against and the ids its bodies point at, plus the plan's
 * errors. A pull request applied in between that touched other objects leaves it unchanged; an overlapping
 * change, a hand edit in Klaviyo of an object this plan writes, or a different body changes it. The brand
 * plan's own `fingerprint` (plan.ts) covers every stamp the plan saw and guards a plan file instead.
 */
import { createHash } from 'node:crypto';
import { parseRefPlaceholder } from '../compile/desired-state.js';
import { canonicalJson, isChange, type BrandPlan, type ResourcePlan } from './plan.js';

/** Resources apply would write to: changes, and orphans the deletion policy archives. */
export function writtenResources(brand: Pick<BrandPlan, 'resources'>): ResourcePlan[] {
  return brand.resources.filter(
    (r) => isChange(r.action) || (r.action.type === 'orphan' && r.action.policy === 'archive'),
  );
}

/** Every `@kind:key` placeholder in `value`, without the `@`. */
function placeholdersIn(value: unknown, found: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (parseRefPlaceholder(value)) found.add(value.slice(1));
  } else if (Array.isArray(value)) for (const item of value) placeholdersIn(item, found);
  else if (value !== null && typeof value === 'object')
    for (const member of Object.values(value)) placeholdersIn(member, found);
  return found;
}

export function reviewFingerprint(
  brand: Pick<BrandPlan, 'brand' | 'accountId' | 'resources' | 'ids' | 'problems'>,
): string {
  const written = writtenResources(brand).map((r) => {
    // The applied record's per-field prints restate the desired body; the cost is derived. Neither is reviewed.
    const { prints: _prints, cost: _cost, ...reviewed } = r;
    return reviewed;
  });
  const refs = [...placeholdersIn(written, new Set())].sort();
  const ids = Object.fromEntries(refs.map((ref) => [ref, brand.ids[ref] ?? null]));
  const errors = brand.problems.filter((p) => p.severity === 'error');
  const content = { brand: brand.brand, accountId: brand.accountId, written, ids, errors };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
