/**
 * Drift: where Klaviyo no longer matches the repository, usually because someone edited in the Klaviyo UI.
 * A view of the plan from the other side: a planned update or replace is a managed object that differs (per
 * field: what Klaviyo has, what the repository says), a planned create is a managed object missing from
 * Klaviyo (deleted by hand, or never applied). Objects only in Klaviyo are listed but are not drift: the
 * deletion policy keeps them on purpose.
 */
import type { FieldChange, JsonValue, Plan, PlanProblem, ResourceKind, ResourcePlan } from './plan.js';

export interface DriftField {
  path: string;
  klaviyo?: JsonValue;
  repository?: JsonValue;
  cause?: string;
}

export type DriftState = 'differs' | 'missing' | 'duplicate' | 'not-in-code';

export interface DriftItem {
  kind: ResourceKind;
  key: string;
  name: string;
  id?: string;
  state: DriftState;
  fields: DriftField[];
  /** What apply would do about it. */
  fix: 'update' | 'replace' | 'create' | 'archive' | 'delete' | 'none';
}

export interface BrandDrift {
  brand: string;
  accountId: string;
  items: DriftItem[];
  problems: PlanProblem[];
}

export interface DriftReport {
  version: 1;
  /** True when any managed object differs, is missing, or is duplicated. */
  drifted: boolean;
  brands: BrandDrift[];
}

function field(change: FieldChange, prefix = ''): DriftField {
  return {
    path: `${prefix}${change.path}`,
    ...(change.before !== undefined ? { klaviyo: change.before } : {}),
    ...(change.after !== undefined ? { repository: change.after } : {}),
    ...(change.cause !== undefined ? { cause: change.cause } : {}),
  };
}

function itemOf(resource: ResourcePlan): DriftItem | undefined {
  const base = {
    kind: resource.kind,
    key: resource.key,
    name: resource.name,
    ...(resource.id !== undefined ? { id: resource.id } : {}),
  };
  const a = resource.action;
  switch (a.type) {
    case 'noop':
      return undefined;
    case 'create':
      return { ...base, state: 'missing', fields: [], fix: 'create' };
    case 'update':
      return {
        ...base,
        state: 'differs',
        fields: [
          ...a.changes.map((c) => field(c)),
          ...a.steps.flatMap((s) => s.changes.map((c) => field(c, `steps.${s.step}.`))),
        ],
        fix: 'update',
      };
    case 'replace':
      return {
        ...base,
        state: 'differs',
        fields: [
          ...a.changes.map((c) => field(c)),
          ...a.steps.map((s) => ({
            path: `steps.${s.step}`,
            ...(s.change === 'added' ? { repository: s.actionType } : {}),
            ...(s.change === 'removed' ? { klaviyo: s.label ?? s.actionType } : {}),
            ...(s.change === 'retyped' ? { klaviyo: s.previousType ?? '', repository: s.actionType } : {}),
            cause: s.change,
          })),
        ],
        fix: 'replace',
      };
    case 'delete':
      return { ...base, state: 'not-in-code', fields: [], fix: 'delete' };
    case 'orphan':
      if (a.reason === 'superseded') return { ...base, state: 'duplicate', fields: [], fix: 'archive' };
      return { ...base, state: 'not-in-code', fields: [], fix: a.policy === 'archive' ? 'archive' : 'none' };
  }
}

export function driftFromPlan(plan: Plan): DriftReport {
  const brands = plan.brands.map((brand) => ({
    brand: brand.brand,
    accountId: brand.accountId,
    items: brand.resources.map(itemOf).filter((item): item is DriftItem => item !== undefined),
    problems: brand.problems,
  }));
  const drifted = brands.some((b) => b.items.some((i) => i.state !== 'not-in-code'));
  return { version: 1, drifted, brands };
}
