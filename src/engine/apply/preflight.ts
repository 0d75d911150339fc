/**
 * Everything that can refuse a brand's apply, checked before its first write. Pure: the fresh plan, the remote
 * state it was made from, the comparison with the reviewed plan, and the flags in; refusals out.
 * (The account-id check runs earlier still, before the remote state is read: see remote-state.ts.)
 */
import {
  formatDailyCap,
  isObjectKind,
  type BrandPlan,
  type DailyCapUse,
  type HandEdit,
  type ResourceKind,
} from '../plan.js';
import type { RemoteBrandState } from '../remote-model.js';
import { remoteOfKind } from '../remote-model.js';
import { describeHandEdit, handEditAdvice } from '../../views/plan/describe.js';
import type { PlanDifference } from './review.js';

export interface ObjectRef {
  kind: ResourceKind;
  key: string;
  id?: string;
}

export type Refusal =
  | { type: 'plan-errors'; brand: string; messages: string[] }
  /** Deletes without `--allow-destroy` (a replace whose old flow is deleted counts). */
  | { type: 'destroy'; brand: string; objects: ObjectRef[] }
  /** The plan deletes an object Klaviyo says is protected: never done, whatever the flags. */
  | { type: 'protected'; brand: string; objects: ObjectRef[] }
  | { type: 'daily-cap'; brand: string; over: DailyCapUse[] }
  | { type: 'changed'; brand: string; differences: PlanDifference[] }
  /** Changes that revert edits made in Klaviyo since the last apply, without `--overwrite-hand-edits`. */
  | { type: 'hand-edits'; brand: string; resources: HandEditedResource[] }
  | { type: 'conflict'; brand: string; differences: PlanDifference[] };

export interface HandEditedResource extends ObjectRef {
  handEdit: HandEdit;
}

export interface PreflightOptions {
  allowDestroy: boolean;
  force: boolean;
  /** Revert edits made in Klaviyo since the last apply instead of refusing. */
  overwriteHandEdits?: boolean;
  /** From compareWithReviewed, when applying a reviewed plan file. */
  differences?: readonly PlanDifference[];
}

function isProtected(remote: RemoteBrandState, kind: ResourceKind, id: string): boolean {
  if (!isObjectKind(kind)) return false;
  const object = remoteOfKind(remote, kind).find((o) => o.id === id);
  const ownership = object?.ownership;
  return (ownership?.type === 'managed' || ownership?.type === 'tagged') && ownership.preventDestroy;
}

export function preflight(plan: BrandPlan, remote: RemoteBrandState, options: PreflightOptions): Refusal[] {
  const brand = plan.brand;
  const refusals: Refusal[] = [];
  const changed = (options.differences ?? []).filter((d) => d.type === 'changed');
  const conflicts = (options.differences ?? []).filter((d) => d.type === 'conflict');
  if (changed.length > 0) refusals.push({ type: 'changed', brand, differences: changed });
  if (conflicts.length > 0 && !options.force)
    refusals.push({ type: 'conflict', brand, differences: conflicts });

  const handEdited: HandEditedResource[] = plan.resources.flatMap((r) =>
    r.handEdit && !options.overwriteHandEdits
      ? [{ kind: r.kind, key: r.key, ...(r.id !== undefined ? { id: r.id } : {}), handEdit: r.handEdit }]
      : [],
  );
  if (handEdited.length > 0) refusals.push({ type: 'hand-edits', brand, resources: handEdited });

  const errors = plan.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  if (errors.length > 0) refusals.push({ type: 'plan-errors', brand, messages: errors });

  const deletes: ObjectRef[] = [];
  for (const r of plan.resources) {
    const deletesOld = r.action.type === 'replace' && r.action.retire === 'delete';
    if ((r.action.type === 'delete' || deletesOld) && r.id !== undefined)
      deletes.push({ kind: r.kind, key: r.key, id: r.id });
  }
  const protectedOnes = deletes.filter((d) => isProtected(remote, d.kind, d.id!));
  if (protectedOnes.length > 0) refusals.push({ type: 'protected', brand, objects: protectedOnes });
  if (deletes.length > 0 && !options.allowDestroy)
    refusals.push({ type: 'destroy', brand, objects: deletes });

  const over = plan.cost.dailyCaps.filter((use) => use.planned > use.cap);
  if (over.length > 0) refusals.push({ type: 'daily-cap', brand, over });
  return refusals;
}

const objectName = (o: ObjectRef): string => `${o.kind} ${o.key}${o.id ? ` (${o.id})` : ''}`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Lines for people: a heading and one indented line per object. */
export function describeRefusal(refusal: Refusal): string[] {
  const at = `brand ${refusal.brand}`;
  switch (refusal.type) {
    case 'changed':
      return [
        `${at}: the plan has changed since it was reviewed (${plural(refusal.differences.length, 'resource')} differ); make and review a new plan:`,
        ...refusal.differences.map((d) => `  ${objectName(d)}: ${d.reason}`),
      ];
    case 'conflict':
      return [
        `${at}: ${plural(refusal.differences.length, 'conflict')}: changed in Klaviyo since the plan (re-run with --force to overwrite):`,
        ...refusal.differences.map((d) => `  ${objectName(d)}: ${d.reason}`),
      ];
    case 'hand-edits':
      return [
        `${at}: the plan reverts edits made in Klaviyo since the last apply to ${plural(refusal.resources.length, 'object')}; re-run with --overwrite-hand-edits to revert them:`,
        ...refusal.resources.map((r) => `  ${objectName(r)}: ${describeHandEdit(r.handEdit)}`),
        `  ${handEditAdvice(refusal.brand)}`,
      ];
    case 'plan-errors':
      return [`${at}: the plan has errors:`, ...refusal.messages.map((m) => `  ${m}`)];
    case 'destroy':
      return [
        `${at}: the plan deletes ${plural(refusal.objects.length, 'object')}; re-run with --allow-destroy to allow it:`,
        ...refusal.objects.map((o) => `  ${objectName(o)}`),
      ];
    case 'protected':
      return [
        `${at}: the plan would delete ${plural(refusal.objects.length, 'protected object')} (prevent_destroy): never deleted:`,
        ...refusal.objects.map((o) => `  ${objectName(o)}`),
      ];
    case 'daily-cap':
      return [
        `${at}: the plan exceeds Klaviyo's daily caps (split the change over several days):`,
        ...refusal.over.map((use) => `  ${formatDailyCap(use)}: ${use.planned - use.cap} over`),
      ];
  }
}

/** The summary word of a refusal, for "Refused: 2 conflicts, ..." */
export function refusalCount(refusal: Refusal): string {
  switch (refusal.type) {
    case 'changed':
      return plural(refusal.differences.length, 'changed resource');
    case 'conflict':
      return plural(refusal.differences.length, 'conflict');
    case 'hand-edits':
      return plural(refusal.resources.length, 'hand edit') + ' to revert without --overwrite-hand-edits';
    case 'plan-errors':
      return plural(refusal.messages.length, 'plan error');
    case 'destroy':
      return plural(refusal.objects.length, 'delete') + ' without --allow-destroy';
    case 'protected':
      return plural(refusal.objects.length, 'protected delete');
    case 'daily-cap':
      return plural(refusal.over.length, 'daily cap') + ' exceeded';
  }
}
