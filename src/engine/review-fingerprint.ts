/**
 * The review fingerprint: what a pull request's reviewers approved, as one hash, for apply on merge to find
 * again before it writes (dflook's plan hash, over data instead of text).
 *
 * It covers only what the plan would write: each resource it creates, updates, replaces, deletes or archives,
 * with the Klaviyo `updated` stamp it was planned against and the ids its bodies point at, plus the plan's
 * errors. A pull request applied in between that touched other objects leaves it unchanged; an overlapping
 * change, a hand edit in Klaviyo of an object this plan writes, or a different body changes it. The brand
 * plan's own `fingerprint` (plan.ts) covers every stamp the plan saw and guards a plan file instead.
 *
 * Each written resource also gets a short print of its own (`reviewedResources`), kept beside the fingerprint
 * in the pull request's comment, so a refusal can name what differs instead of only saying that something does.
 */
import { createHash } from 'node:crypto';
import { parseRefPlaceholder } from '../compile/desired-state.js';
import type { PlanDifference } from './apply/review.js';
import { canonicalJson, isChange, type BrandPlan, type ResourceKind, type ResourcePlan } from './plan.js';

type ReviewedBrand = Pick<BrandPlan, 'brand' | 'accountId' | 'resources' | 'ids' | 'problems'>;

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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `template:welcome-1` */
export function resourceRef(resource: Pick<ResourcePlan, 'kind' | 'key'>): string {
  return `${resource.kind}:${resource.key}`;
}

/** What a reviewer saw of one written resource: its action, body, stamp and the ids its body points at. */
function reviewedContent(resource: ResourcePlan, ids: Record<string, string>): unknown {
  // The applied record's per-field prints restate the desired body; the cost is derived. Neither is reviewed.
  const { prints: _prints, cost: _cost, ...reviewed } = resource;
  const refs = [...placeholdersIn(reviewed, new Set())].sort();
  return { resource: reviewed, ids: Object.fromEntries(refs.map((ref) => [ref, ids[ref] ?? null])) };
}

/**
 * `kind:key` -> a 16-hex print of each written resource. A superseded copy shares its key with the live
 * object, so its entry is `kind:key#id`.
 */
export function reviewedResources(brand: Pick<BrandPlan, 'resources' | 'ids'>): Record<string, string> {
  const prints: Record<string, string> = {};
  for (const resource of writtenResources(brand)) {
    let ref = resourceRef(resource);
    if (Object.hasOwn(prints, ref)) ref = `${ref}#${resource.id ?? ''}`;
    prints[ref] = sha256(canonicalJson(reviewedContent(resource, brand.ids))).slice(0, 16);
  }
  return prints;
}

export function reviewFingerprint(brand: ReviewedBrand): string {
  const errors = brand.problems.filter((p) => p.severity === 'error');
  const content = {
    brand: brand.brand,
    accountId: brand.accountId,
    written: writtenResources(brand).map((r) => reviewedContent(r, brand.ids)),
    errors,
  };
  return sha256(canonicalJson(content));
}

/** What a pull request's comment keeps of a review: enough to recognise the plan and to say what moved. */
export interface ReviewedPlan {
  fingerprint: string;
  /** `reviewedResources` of the reviewed plan. */
  resources: Record<string, string>;
}

function parseRef(ref: string): { kind: ResourceKind; key: string; id?: string } {
  const [kindKey, id] = ref.split('#');
  const colon = kindKey!.indexOf(':');
  return {
    kind: kindKey!.slice(0, colon) as ResourceKind,
    key: kindKey!.slice(colon + 1),
    ...(id ? { id } : {}),
  };
}

/**
 * What differs between the plan a review saw and the one apply would carry out now, as apply's `changed`
 * differences; empty when the fingerprints agree. When every resource agrees but the fingerprint does not,
 * the plan's errors differ, and that is the one difference.
 */
export function reviewDifferences(reviewed: ReviewedPlan, fresh: BrandPlan): PlanDifference[] {
  if (reviewFingerprint(fresh) === reviewed.fingerprint) return [];
  const now = reviewedResources(fresh);
  const differences: PlanDifference[] = [];
  const differ = (ref: string, reason: string) =>
    differences.push({ type: 'changed', ...parseRef(ref), reason });
  for (const ref of Object.keys(now).sort()) {
    if (!Object.hasOwn(reviewed.resources, ref))
      differ(ref, 'would now be written, and was not in the reviewed plan');
    else if (reviewed.resources[ref] !== now[ref])
      differ(
        ref,
        'differs from the reviewed plan: the code changed, or it was edited in Klaviyo since the review',
      );
  }
  for (const ref of Object.keys(reviewed.resources).sort())
    if (!Object.hasOwn(now, ref))
      differ(
        ref,
        'was in the reviewed plan and would no longer be written (applied since, or removed from the code)',
      );
  if (differences.length === 0)
    differences.push({
      type: 'changed',
      kind: 'flow',
      key: '(plan)',
      reason: "the plan's errors differ from the reviewed plan's",
    });
  return differences;
}
