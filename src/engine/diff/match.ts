/**
 * Pairs desired objects with remote ones by key (the marker); then objects that carry the ownership tag but no
 * key (a marketer tidied the name, or a flow adopted by import) by the id the applied record keeps for the key,
 * else by exact name; finds duplicates (the newest wins, the others are superseded) and what is ours but gone
 * from code. A tagged object left unmatched while the plan would create an object of its kind is an error:
 * creating would leave two, so the person says which it is.
 */
import { objectKey, type AppliedRecord } from '../applied-record.js';
import type { IdentityKind, PlanProblem, ResourceKind, ResourcePlan } from '../plan.js';
import type { RemoteResource } from '../remote-model.js';

export interface Match<D, R> {
  key: string;
  desired?: D;
  remote?: R;
  identity?: IdentityKind;
  /** Older remote objects carrying the same key. */
  superseded: R[];
  /** Recognised although its name lost the key suffix: apply restores the suffix. */
  relink?: NonNullable<ResourcePlan['relink']>;
}

export interface MatchResult<D, R> {
  matches: Array<Match<D, R>>;
  unmanaged: number;
  problems: PlanProblem[];
}

function newestFirst(a: RemoteResource, b: RemoteResource): number {
  return b.created.localeCompare(a.created) || b.id.localeCompare(a.id);
}

export function matchResources<D extends { key: string; name: string }, R extends RemoteResource>(
  kind: ResourceKind,
  desired: readonly D[],
  remote: readonly R[],
  record?: AppliedRecord,
): MatchResult<D, R> {
  const problems: PlanProblem[] = [];
  const byKey = new Map<string, R[]>();
  const tagged: R[] = [];
  let unmanaged = 0;
  for (const object of remote) {
    const ownership = object.ownership;
    if (ownership.type === 'managed') byKey.set(ownership.key, [...(byKey.get(ownership.key) ?? []), object]);
    else if (ownership.type === 'tagged') tagged.push(object);
    else if (ownership.type === 'unmanaged') unmanaged += 1;
  }
  for (const group of byKey.values()) group.sort(newestFirst);

  const matches: Array<Match<D, R>> = [];
  const usedTagged = new Set<string>();
  for (const want of desired) {
    const [primary, ...older] = byKey.get(want.key) ?? [];
    byKey.delete(want.key);
    if (primary && primary.ownership.type === 'managed') {
      matches.push({
        key: want.key,
        desired: want,
        remote: primary,
        identity: primary.ownership.identity,
        superseded: older,
      });
      continue;
    }
    const recordedId = record?.objects[objectKey(kind, want.key)]?.id;
    const byRecord = tagged.find((object) => !usedTagged.has(object.id) && object.id === recordedId);
    if (byRecord) {
      usedTagged.add(byRecord.id);
      matches.push({
        key: want.key,
        desired: want,
        remote: byRecord,
        identity: 'applied-record',
        superseded: [],
        relink: { by: 'applied-record', previousName: byRecord.name },
      });
      continue;
    }
    const candidates = tagged.filter(
      (object) =>
        !usedTagged.has(object.id) &&
        object.ownership.type === 'tagged' &&
        object.ownership.displayName === want.name,
    );
    if (candidates.length === 1) {
      usedTagged.add(candidates[0]!.id);
      matches.push({
        key: want.key,
        desired: want,
        remote: candidates[0]!,
        identity: 'tag-and-name',
        superseded: [],
        // Flows adopted by import never had the suffix (the API cannot rename a flow); others lost it.
        ...(kind === 'flow' ? {} : { relink: { by: 'name' as const, previousName: candidates[0]!.name } }),
      });
      continue;
    }
    if (candidates.length > 1) {
      problems.push({
        severity: 'error',
        kind,
        key: want.key,
        message: `${candidates.length} ${kind}s named '${want.name}' carry the klaviyo-gitops tag (ids ${candidates
          .map((c) => c.id)
          .join(', ')}): remove the tag from all but one in Klaviyo`,
      });
    }
    matches.push({ key: want.key, desired: want, superseded: [] });
  }
  for (const [key, [primary, ...older]] of byKey) {
    if (primary) matches.push({ key, remote: primary, identity: identityOf(primary), superseded: older });
  }
  const toCreate = matches.filter((m) => m.desired && !m.remote).map((m) => m.key);
  for (const object of tagged) {
    if (usedTagged.has(object.id)) continue;
    if (toCreate.length === 0) {
      problems.push({
        severity: 'warning',
        kind,
        message: `${kind} '${object.name}' (${object.id}) carries the klaviyo-gitops tag but no key, and no ${kind} in code has that name: left as is`,
      });
      continue;
    }
    const relinkAs = toCreate.map((key) => `'${object.name} [kg:${key}]'`).join(' or ');
    problems.push({
      severity: 'error',
      kind,
      message: `${kind} '${object.name}' (${object.id}) carries the klaviyo-gitops tag but its name lost the [kg:<key>] suffix, and this plan would create ${kind} ${toCreate.join(', ')}: creating could leave a duplicate. If it is one of them, re-link it by renaming it in Klaviyo to ${relinkAs}; if not, remove the klaviyo-gitops tag from it`,
    });
  }
  return { matches, unmanaged, problems };
}

function identityOf(object: RemoteResource): IdentityKind | undefined {
  return object.ownership.type === 'managed' ? object.ownership.identity : undefined;
}
