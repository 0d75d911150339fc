/**
 * The Plan: what `apply` will do to each brand's Klaviyo account, as data.
 *
 * One object, versioned (`schemas/plan.schema.json`), written by `plan --out`, rendered as text, markdown and
 * the PR comment, and consumed by the apply executor. It is self-contained: every create, update and replace
 * carries the exact body apply sends (with `@kind:key` placeholders for ids that only exist once an earlier
 * step of the same apply has created the object), so "apply what was reviewed" is literal.
 *
 * Shape, per brand, per resource (`kind`, `key`, `name`, Klaviyo `id` when known), one action:
 *
 * - `create`  — nothing in Klaviyo carries this key.
 * - `update`  — in place; field-level `changes`. For flows also `steps`: each is one
 *               `PATCH /api/flow-actions/{id}` with the full action object to send.
 * - `replace` — Klaviyo cannot make the change in place (flows: a step added/removed/moved, trigger, entry
 *               filter, re-entry or name). A new flow is created from `desired`, the old one (`remote`) is set to
 *               draft, the new one to the desired status, then the old one is retired per `retire`.
 *               `reasons` say why, `impact` what people lose (profiles waiting in the old flow's delays).
 * - `delete`  — managed remotely, removed from code, deletion policy `delete`, not protected.
 * - `orphan`  — managed remotely, removed from code (or superseded), kept: `retain` leaves it untouched,
 *               `archive` detaches it (see markers.ts) so the key is free again.
 * - `noop`    — in sync. Kept in the plan: its remote `updated` stamp is part of the fingerprint.
 *
 * Apply order is by kind — lists, segments, templates, flows — creates and updates first; deletes and orphans
 * last, in reverse kind order (a flow is retired before the template or list it used).
 *
 * Conflicts on apply: each resource records the remote `updated` stamp it was planned against (`remote`).
 * Apply re-reads the object and refuses it when the stamp moved (unless forced).
 *
 * The fingerprint is sha256 over the canonical JSON of the plan (keys sorted, `generatedAt` and the
 * fingerprints themselves left out) together with every remote `updated` stamp the plan saw. Apply re-plans
 * and compares: equal fingerprints mean the same changes against the same remote state.
 */
import { createHash } from 'node:crypto';
import type { FlowStatus, SourceLocation, SymbolicRef } from '../compile/desired-state.js';
import type { FieldPrints } from './applied-record.js';

export const PLAN_FORMAT_VERSION = 1 as const;

/** Objects klaviyo-gitops creates, marks as its own, and may archive or delete. */
export type ObjectKind = 'list' | 'segment' | 'template' | 'flow';

/** Objects, and account settings that are only ever re-pointed (the mapped-metric slots: `revenue`, ...). */
export type ResourceKind = ObjectKind | 'mapped-metric';

export const OBJECT_KINDS: readonly ObjectKind[] = ['list', 'segment', 'template', 'flow'];

/** Dependency order: a segment may reference a list, a flow a template, list, segment. Mapped metrics name
 * metrics only, which apply never writes. */
export const RESOURCE_KINDS: readonly ResourceKind[] = [...OBJECT_KINDS, 'mapped-metric'];

export function isObjectKind(kind: ResourceKind): kind is ObjectKind {
  return kind !== 'mapped-metric';
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One changed field. `before` absent: the field was not set remotely; `after` absent: it will be unset. */
export interface FieldChange {
  /** Path inside the resource: `name`, `status`, `definition`, `html`, `text`, `isStarred`, `preventDestroy`,
   * `tags`, or for flow steps a path inside the action (`data.message.subject_line`). */
  path: string;
  before?: JsonValue;
  after?: JsonValue;
  /** Why, when it is not a plain edit of this resource (e.g. "template welcome-1 changed"). */
  cause?: string;
  /** Where the change comes from: the repository, or (`hand-edit`) applying it reverts an edit made in Klaviyo
   * since the last apply. Set on every change of an update or replace. */
  origin?: ChangeOrigin;
}

export type ChangeOrigin = 'code' | 'hand-edit';

/** Where a managed object is and what we saw of it when planning. */
export interface RemoteSnapshot {
  id: string;
  /** Klaviyo's `updated` stamp as read: apply refuses the resource if it moved. */
  updated: string;
  /** The name exactly as in Klaviyo, marker included. */
  name: string;
  /** How the object was recognised as ours (see markers.ts). */
  identity: IdentityKind;
  /** Flows: the status read from Klaviyo (`live`, `manual`, `draft`), so the plan can say what stops sending. */
  status?: string;
}

/** `name-marker`: name ends with `[kg:<key>]`. `html-marker`: template comment. `tag-and-name`: carries the
 * ownership tag and its name equals the desired name (adopted flows, whose name the API cannot change).
 * `applied-record`: carries the ownership tag, and the applied record knows its id (a name whose key suffix was
 * edited away in Klaviyo). `slot`: a mapped metric, whose id is its slot (`revenue`). */
export type IdentityKind = 'name-marker' | 'html-marker' | 'tag-and-name' | 'applied-record' | 'slot';

/** The body apply sends, per kind. Ids of other objects are `@kind:key` placeholders listed in `refs`. */
export type DesiredBody =
  | { kind: 'list'; name: string; klaviyoName: string; preventDestroy: boolean }
  | {
      kind: 'segment';
      name: string;
      klaviyoName: string;
      definition: JsonValue;
      isStarred: boolean;
      refs: SymbolicRef[];
      preventDestroy: boolean;
    }
  | {
      kind: 'template';
      name: string;
      /** The HTML to send: the assembled template with our marker comment embedded. */
      html: string;
      text: string;
      /** Content hash in the marker; a flow email whose copy carries another hash is stale. */
      contentHash: string;
      subject: string;
      previewText: string;
      preventDestroy: boolean;
    }
  | {
      kind: 'flow';
      name: string;
      klaviyoName: string;
      status: FlowStatus;
      /** `FlowCreateQuery.data.attributes.definition`; `temporary_id`s are the YAML step keys. */
      definition: JsonValue;
      refs: SymbolicRef[];
      preventDestroy: boolean;
    }
  | {
      kind: 'mapped-metric';
      name: string;
      /** The metric's name; apply points the slot at `ids['metric:<name>']`. */
      metric: string;
      preventDestroy: false;
    };

export type BodyOf<K extends ResourceKind> = Extract<DesiredBody, { kind: K }>;

/** One in-place flow step edit: exactly one `PATCH /api/flow-actions/{actionId}`. */
export interface StepUpdate {
  step: string;
  actionId: string;
  actionType: string;
  changes: FieldChange[];
  /** The full action object to send (`FlowActionUpdateQuery.data.attributes.definition`), with `id` set to
   * `actionId`, links in real ids, and `@template:`/`@list:`/... placeholders for apply to resolve. */
  definition: JsonValue;
}

/** A structural difference of a replaced flow, for display: which step appears, disappears or differs. */
export interface StepDiff {
  /** The step key; for a removed step (which has no key in code) the remote action id. */
  step: string;
  change: 'added' | 'removed' | 'moved' | 'changed' | 'retyped';
  actionType: string;
  /** For removed steps: a readable label (message name or type). */
  label?: string;
  /** For `retyped`: the remote action's type. */
  previousType?: string;
  changes: FieldChange[];
  origin?: ChangeOrigin;
}

export type ResourceAction =
  | { type: 'create'; desired: DesiredBody }
  | {
      type: 'update';
      changes: FieldChange[];
      /** Flows only (empty otherwise). */
      steps: StepUpdate[];
      desired: DesiredBody;
    }
  | {
      type: 'replace';
      reasons: string[];
      impact: string[];
      changes: FieldChange[];
      steps: StepDiff[];
      desired: DesiredBody;
      /** What happens to the old object once the new one is live. `archive`: left in draft, detached. */
      retire: 'delete' | 'archive';
    }
  | { type: 'delete'; policy: 'delete' }
  | {
      type: 'orphan';
      policy: 'retain' | 'archive';
      /** `removed`: not in code. `superseded`: another remote object carries the same key and is newer. */
      reason: 'removed' | 'superseded';
      /** Set when the object is protected by prevent_destroy: why it is not deleted despite the policy. */
      protected?: boolean;
    }
  | { type: 'noop' };

export type ActionType = ResourceAction['type'];

/** A change this resource causes elsewhere: a template's flow emails are copies, re-assigned on change. */
export interface DependentEffect {
  type: 'reassign-template';
  flow: string;
  flowId: string;
  step: string;
  actionId: string;
  /** Whether the flow's own action carries the step update (false when that flow is replaced instead). */
  plannedInFlow: boolean;
}

/** Klaviyo calls an operation costs, by operationId (`create_flow`, `update_flow_action`, `tag_flows`, ...). */
export interface ApiCall {
  operationId: string;
  count: number;
}

export interface ResourcePlan {
  kind: ResourceKind;
  key: string;
  /** Display name (desired when in code, else the remote name without marker). */
  name: string;
  /** Klaviyo id when the object exists. */
  id?: string;
  remote?: RemoteSnapshot;
  source?: SourceLocation;
  action: ResourceAction;
  effects: DependentEffect[];
  /** Calls apply will make for this resource (tag calls counted here, though apply may batch them). */
  cost: ApiCall[];
  /** What the applied record keeps of this object once the plan is applied (absent when it leaves code). */
  prints?: FieldPrints;
  /** Set when applying this plan reverts an edit made in Klaviyo since the last apply. */
  handEdit?: HandEdit;
  /** Set when the object was recognised although its name lost the key suffix: apply restores it. */
  relink?: { by: 'applied-record' | 'name'; previousName: string };
}

/** An edit made in Klaviyo to a managed object since klaviyo-gitops last applied it. */
export type HandEdit =
  /** `updated`: Klaviyo's stamp of the last change; `paths`: the edited fields the plan would revert. */
  | { type: 'edited'; updated: string; lastApplied?: string; paths: string[] }
  /** Deleted in Klaviyo; the plan re-creates it. */
  | { type: 'deleted'; lastApplied: string };

/** The plan's own use of an operation that has a daily cap ("segment writes 7 of 100 today"). What else used
 * the cap today is unknown to us: Klaviyo does not report it. */
export interface DailyCapUse {
  operationId: string;
  label: string;
  planned: number;
  cap: number;
}

export interface PlanProblem {
  severity: 'error' | 'warning';
  message: string;
  kind?: ResourceKind;
  key?: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  orphan: number;
  noop: number;
}

export interface BrandPlan {
  brand: string;
  accountId: string;
  /** In dependency order (lists, segments, templates, flows), then by key. */
  resources: ResourcePlan[];
  summary: PlanSummary;
  /** Ids apply resolves placeholders with: `list:<key>`, `segment:<key>`, `template:<key>`, `metric:<name>`. */
  ids: Record<string, string>;
  cost: { calls: ApiCall[]; dailyCaps: DailyCapUse[] };
  /** Remote objects without our marker, by kind: never read further, never changed. */
  unmanaged: Record<ObjectKind, number>;
  /** Errors block apply for this brand (e.g. an unknown metric); warnings are shown. */
  problems: PlanProblem[];
  fingerprint: string;
}

export interface Plan {
  version: typeof PLAN_FORMAT_VERSION;
  /** ISO time the plan was made. Not part of the fingerprint. */
  generatedAt: string;
  brands: BrandPlan[];
  summary: PlanSummary;
  fingerprint: string;
}

// ---------------------------------------------------------------------------------------------------------
// Summary

export function emptySummary(): PlanSummary {
  return { create: 0, update: 0, replace: 0, delete: 0, orphan: 0, noop: 0 };
}

export function summarize(resources: readonly ResourcePlan[]): PlanSummary {
  const summary = emptySummary();
  for (const resource of resources) summary[resource.action.type] += 1;
  return summary;
}

export function addSummaries(summaries: readonly PlanSummary[]): PlanSummary {
  const total = emptySummary();
  for (const s of summaries) for (const key of Object.keys(total) as ActionType[]) total[key] += s[key];
  return total;
}

/** True when apply would change anything: orphans only count when they archive (a write). */
export function hasChanges(summary: PlanSummary): boolean {
  return summary.create + summary.update + summary.replace + summary.delete > 0;
}

export function planHasChanges(plan: Plan): boolean {
  return plan.brands.some(brandPlanWrites);
}

/** A problem of severity error in any brand: apply would refuse the plan. */
export function planHasErrors(plan: Plan): boolean {
  return plan.brands.some((b) => b.problems.some((p) => p.severity === 'error'));
}

/** True when applying the brand's plan writes anything (an archived orphan included). */
export function brandPlanWrites(brand: Pick<BrandPlan, 'resources'>): boolean {
  return brand.resources.some(
    (r) => isChange(r.action) || (r.action.type === 'orphan' && r.action.policy === 'archive'),
  );
}

export function isChange(action: ResourceAction): boolean {
  return action.type !== 'noop' && action.type !== 'orphan';
}

/** `+2 ~3 -0, 1 replace` (and `, 1 orphaned` when some are kept by the deletion policy). */
export function formatSummary(summary: PlanSummary): string {
  let text = `+${summary.create} ~${summary.update} -${summary.delete}`;
  if (summary.replace > 0) text += `, ${summary.replace} replace`;
  if (summary.orphan > 0) text += `, ${summary.orphan} orphaned`;
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Cost

/** Daily caps of the write operations a plan can use (revision 2026-07-15, `x-klaviyo-ratelimit.daily`). */
const DAILY_CAP_LABELS: Record<string, string> = {
  create_flow: 'flow creates',
  create_segment: 'segment creates',
  update_segment: 'segment updates',
  create_list: 'list creates',
  update_mapped_metric: 'metric mappings',
};

export function addCalls(calls: readonly ApiCall[]): ApiCall[] {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operationId, (counts.get(call.operationId) ?? 0) + call.count);
  return [...counts.entries()]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operationId, count]) => ({ operationId, count }));
}

/** The plan's use of each capped operation; `dailyCapOf` reads the cap from the vendored spec. */
export function dailyCapUse(
  calls: readonly ApiCall[],
  dailyCapOf: (operationId: string) => number | undefined,
): DailyCapUse[] {
  const uses: DailyCapUse[] = [];
  for (const call of addCalls(calls)) {
    const cap = dailyCapOf(call.operationId);
    if (cap === undefined) continue;
    uses.push({
      operationId: call.operationId,
      label: DAILY_CAP_LABELS[call.operationId] ?? call.operationId,
      planned: call.count,
      cap,
    });
  }
  return uses;
}

/** "segment updates 7 of 100 today" */
export function formatDailyCap(use: DailyCapUse): string {
  return `${use.label} ${use.planned} of ${use.cap} today`;
}

// ---------------------------------------------------------------------------------------------------------
// Fingerprint

/** JSON with object keys sorted at every level and `undefined` members dropped: the same value, the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** Every remote `updated` stamp a brand plan was made against, sorted: part of the fingerprint. */
export function remoteStamps(brand: Pick<BrandPlan, 'resources'>): string[] {
  return brand.resources
    .filter((r) => r.remote)
    .map((r) => `${r.kind}/${r.remote!.id}@${r.remote!.updated}`)
    .sort();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function brandFingerprint(brand: Omit<BrandPlan, 'fingerprint'> & { fingerprint?: string }): string {
  const { fingerprint: _ignored, ...content } = brand;
  return sha256(canonicalJson({ plan: content, stamps: remoteStamps(brand) }));
}

/** The whole plan's fingerprint: over the brands' own fingerprints (each already covers its stamps). */
export function planFingerprint(brands: readonly Pick<BrandPlan, 'brand' | 'fingerprint'>[]): string {
  const parts = [...brands]
    .sort((a, b) => a.brand.localeCompare(b.brand))
    .map((b) => ({ brand: b.brand, fingerprint: b.fingerprint }));
  return sha256(canonicalJson({ version: PLAN_FORMAT_VERSION, brands: parts }));
}

/** Completes a brand plan: its summary and fingerprint. */
export function finishBrandPlan(brand: Omit<BrandPlan, 'fingerprint' | 'summary'>): BrandPlan {
  const withSummary = { ...brand, summary: summarize(brand.resources) };
  return { ...withSummary, fingerprint: brandFingerprint(withSummary) };
}

/** The whole plan from finished brand plans. */
export function assemblePlan(brands: BrandPlan[], generatedAt: Date): Plan {
  return {
    version: PLAN_FORMAT_VERSION,
    generatedAt: generatedAt.toISOString(),
    brands,
    summary: addSummaries(brands.map((b) => b.summary)),
    fingerprint: planFingerprint(brands),
  };
}

/** Recomputes every fingerprint of a plan read from disk: false when the file was edited after planning. */
export function verifyFingerprints(plan: Plan): boolean {
  return (
    plan.brands.every((brand) => brandFingerprint(brand) === brand.fingerprint) &&
    planFingerprint(plan.brands) === plan.fingerprint
  );
}
