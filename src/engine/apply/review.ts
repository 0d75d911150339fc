/**
 * "Apply what was reviewed" (dflook's plan hash, with a structured comparison instead of text): apply re-plans
 * and compares the fresh brand plan with the reviewed one from `--plan FILE`.
 *
 * Equal fingerprints: same changes against the same remote state. Otherwise each key (kind + key, with the
 * superseded copies that share it) is judged:
 * - `changed`: what we would write differs from what was reviewed: a body changed, an object appeared in or
 *   vanished from the code, or the plan differs while Klaviyo's stamps did not move. Never overridable: the
 *   new plan needs its own review.
 * - `conflict`: the object apply would write was changed in Klaviyo since the plan (its `updated` stamp moved),
 *   e.g. edited by hand; applying would overwrite that edit. Refused unless `--force`.
 * - progress (no difference reported): an interrupted apply of this same plan already did part of the work —
 *   the object is now in sync, an object the plan creates exists (its key is in its name or HTML, written by
 *   the create itself), a superseded copy of a replaced flow waits to be archived, or the stamp moved by a
 *   write this machine's activity log attributes to an apply of this plan (`ownWrites`; on a fresh machine
 *   such a stamp is reported as a conflict, which `--force` settles).
 */
import { canonicalJson, type BrandPlan, type DesiredBody, type ResourcePlan } from '../plan.js';

export interface PlanDifference {
  type: 'changed' | 'conflict';
  kind: ResourcePlan['kind'];
  key: string;
  id?: string;
  /** One line: what differs. */
  reason: string;
}

function desiredOf(resource: ResourcePlan | undefined): DesiredBody | undefined {
  const action = resource?.action;
  return action && (action.type === 'create' || action.type === 'update' || action.type === 'replace')
    ? action.desired
    : undefined;
}

const isSuperseded = (r: ResourcePlan): boolean =>
  r.action.type === 'orphan' && r.action.reason === 'superseded';

/** Whether the key is in the code, as far as the plan tells (`undefined`: noop, in code but body not recorded). */
function inCode(primary: ResourcePlan | undefined): boolean {
  if (!primary) return false;
  const t = primary.action.type;
  return t === 'create' || t === 'update' || t === 'replace' || t === 'noop';
}

function writes(primary: ResourcePlan | undefined): boolean {
  if (!primary) return false;
  const a = primary.action;
  return a.type !== 'noop' && !(a.type === 'orphan' && a.policy === 'retain');
}

interface Group {
  primary?: ResourcePlan;
  superseded: ResourcePlan[];
  all: ResourcePlan[];
}

function groups(plan: BrandPlan): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const r of plan.resources) {
    const id = `${r.kind}:${r.key}`;
    const group = out.get(id) ?? { superseded: [], all: [] };
    group.all.push(r);
    if (isSuperseded(r)) group.superseded.push(r);
    else group.primary = r;
    out.set(id, group);
  }
  return out;
}

/** A group's content as compared: where it was declared (a line moved by an edit elsewhere) does not count. */
function comparable(resources: readonly ResourcePlan[]): string {
  return canonicalJson(resources.map(({ source: _source, ...rest }) => rest));
}

/** The differences that stand between the reviewed plan and the fresh one; empty when it may be applied. */
export function compareWithReviewed(
  reviewed: BrandPlan,
  fresh: BrandPlan,
  ownWrites: ReadonlySet<string> = new Set(),
): PlanDifference[] {
  if (reviewed.fingerprint === fresh.fingerprint) return [];
  const before = groups(reviewed);
  const after = groups(fresh);
  const differences: PlanDifference[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const g0 = before.get(name) ?? { superseded: [], all: [] };
    const g1 = after.get(name) ?? { superseded: [], all: [] };
    if (comparable(g0.all) === comparable(g1.all)) continue;
    const sample = g1.primary ?? g0.primary ?? g1.all[0] ?? g0.all[0]!;
    const base = {
      kind: sample.kind,
      key: sample.key,
      ...((g1.primary?.id ?? g0.primary?.id) ? { id: (g1.primary?.id ?? g0.primary?.id)! } : {}),
    };
    const changed = (reason: string): void => void differences.push({ type: 'changed', ...base, reason });

    const d0 = desiredOf(g0.primary);
    const d1 = desiredOf(g1.primary);
    if (d0 && d1 && canonicalJson(d0) !== canonicalJson(d1)) {
      changed('its content in the code differs from the reviewed plan');
      continue;
    }
    if (inCode(g0.primary) !== inCode(g1.primary)) {
      changed(
        inCode(g1.primary)
          ? 'it was added to the code after the plan'
          : 'it was removed from the code after the plan',
      );
      continue;
    }

    // The code side is the same (or not recorded, for objects that were in sync). Did Klaviyo's copy move?
    const stamps0 = new Map(
      g0.all.flatMap((r) => (r.remote ? [[r.remote.id, r.remote.updated] as const] : [])),
    );
    const moved = g1.all.flatMap((r) => {
      if (!r.remote) return [];
      const was = stamps0.get(r.remote.id);
      return was !== undefined && was !== r.remote.updated
        ? [{ id: r.remote.id, from: was, to: r.remote.updated }]
        : [];
    });
    const appeared = g1.all.filter((r) => r.remote && !stamps0.has(r.remote.id));
    const vanished = [...stamps0.keys()].filter((id) => !g1.all.some((r) => r.remote?.id === id));
    if (moved.length === 0 && appeared.length === 0 && vanished.length === 0) {
      changed('the plan for it differs from the reviewed one while Klaviyo did not change');
      continue;
    }
    // Nothing left to write for the key itself: an interrupted apply finished it, or someone made it match.
    if (!writes(g1.primary)) continue;
    const createdByPlan = g0.primary?.action.type === 'create' || g0.primary?.action.type === 'replace';
    const unexplainedNew = createdByPlan ? [] : appeared.filter((r) => !isSuperseded(r));
    const primaryId = g1.primary?.remote?.id;
    const editedTarget = moved.filter((m) => m.id === primaryId && !ownWrites.has(m.id));
    if (editedTarget.length > 0) {
      const m = editedTarget[0]!;
      differences.push({
        type: 'conflict',
        ...base,
        id: m.id,
        reason: `changed in Klaviyo since the plan (updated ${m.from} -> ${m.to}); applying would overwrite that change`,
      });
      continue;
    }
    if (unexplainedNew.length > 0) {
      differences.push({
        type: 'conflict',
        ...base,
        id: unexplainedNew[0]!.remote!.id,
        reason: `another ${sample.kind} carrying this key appeared in Klaviyo since the plan`,
      });
      continue;
    }
    if (vanished.length > 0 && g1.primary?.action.type === 'create' && g0.primary?.action.type !== 'create') {
      differences.push({
        type: 'conflict',
        ...base,
        reason: `deleted in Klaviyo since the plan (was ${vanished[0]}); applying would create it again`,
      });
    }
  }
  return differences;
}
