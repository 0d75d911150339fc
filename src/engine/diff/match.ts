/**
 * Pairs desired objects with remote ones by key (the marker), then adopted flows by ownership tag plus exact
 * name; finds duplicates (the newest wins, the others are superseded) and what is ours but gone from code.
 */
import type { IdentityKind, PlanProblem, ResourceKind } from '../plan.js';
import type { RemoteResource } from '../remote-model.js';

export interface Match<D, R> {
  key: string;
  desired?: D;
  remote?: R;
  identity?: IdentityKind;
  /** Older remote objects carrying the same key. */
  superseded: R[];
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
  for (const object of tagged) {
    if (usedTagged.has(object.id)) continue;
    problems.push({
      severity: 'warning',
      kind,
      message: `${kind} '${object.name}' (${object.id}) carries the klaviyo-gitops tag but no key, and no ${kind} in code has that name: left as is`,
    });
  }
  return { matches, unmanaged, problems };
}

function identityOf(object: RemoteResource): IdentityKind | undefined {
  return object.ownership.type === 'managed' ? object.ownership.identity : undefined;
}
