/**
 * Normal forms for comparing a desired body with what Klaviyo returns.
 *
 * Both sides go through the same functions, so a value equal to a default vanishes from both:
 * - `null`, `undefined`, empty arrays and empty objects are dropped (Klaviyo writes `null` for every unset
 *   optional field; `{condition_groups: []}` and no filter mean the same).
 * - Ids of objects we know become placeholders (`@list:newsletter`, `@metric:Placed Order`), so a comparison
 *   does not depend on ids that only exist in one account; unknown ids stay as they are.
 * - Flow actions lose what Klaviyo assigns or materialises (see FLOW_ACTION_DEFAULTS and dropAssigned).
 * Keys come out sorted (canonicalJson in plan.ts relies on nothing here, but renderers print sorted bodies).
 */
import type { JsonValue } from './plan.js';

export type Json = JsonValue;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Drops null/undefined members, empty arrays and empty objects (recursively); sorts object keys. */
export function compact(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => compact(item) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (isRecord(value)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      const member = compact(value[key]);
      if (member !== undefined) out[key] = member;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Ids <-> placeholders

/** Keys whose string values (or arrays of strings) hold ids of lists, segments, metrics or templates. */
const ID_KEYS = new Set(['metric_id', 'group_ids', 'template_id', 'list_id', 'segment_id', 'trigger_id']);
/** Trigger types whose `id` names an object we can map. */
const TRIGGER_ID_TYPES = new Set(['list', 'segment', 'metric']);

/** Replaces known ids with their placeholder (`@list:newsletter`), at id-bearing keys only. */
export function idsToPlaceholders(value: unknown, index: ReadonlyMap<string, string>): unknown {
  const swap = (v: unknown): unknown => (typeof v === 'string' ? (index.get(v) ?? v) : v);
  const walk = (node: unknown, parentKey: string | undefined): unknown => {
    if (Array.isArray(node)) {
      return node.map((item) =>
        parentKey !== undefined && ID_KEYS.has(parentKey) ? swap(item) : walk(item, undefined),
      );
    }
    if (!isRecord(node)) return parentKey !== undefined && ID_KEYS.has(parentKey) ? swap(node) : node;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(node)) out[key] = walk(member, key);
    return out;
  };
  return walk(value, undefined);
}

/** A flow's triggers with their `id` mapped (a list trigger's id is a list id, and so on). */
export function triggersToPlaceholders(triggers: unknown, index: ReadonlyMap<string, string>): unknown {
  if (!Array.isArray(triggers)) return triggers;
  return triggers.map((trigger) => {
    const mapped = idsToPlaceholders(trigger, index);
    if (isRecord(mapped) && typeof mapped.id === 'string' && TRIGGER_ID_TYPES.has(String(mapped.type))) {
      return { ...mapped, id: index.get(mapped.id) ?? mapped.id };
    }
    return mapped;
  });
}

/** Every placeholder string in a body, for dependency ordering and resolution. */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string' && /^@(metric|list|segment|template):/.test(node)) found.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (isRecord(node)) Object.values(node).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}

// ---------------------------------------------------------------------------------------------------------
// Flow actions

/**
 * Values Klaviyo fills in when a field is not sent (revision 2026-07-15, FlowDefinition schemas and §3.6 of
 * the research notes). Equal to the default on either side means "not set".
 */
export const FLOW_ACTION_DEFAULTS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  'send-email': {
    'message.smart_sending_enabled': true,
    'message.transactional': false,
    'message.add_tracking_params': false,
  },
  'send-sms': {
    'message.smart_sending_enabled': true,
    'message.transactional': false,
    'message.add_tracking_params': false,
    'message.shorten_links': true,
    'message.add_org_prefix': true,
    'message.add_info_link': true,
    'message.add_opt_out_language': false,
    'message.sms_quiet_hours_enabled': true,
    'message.include_contact_card': false,
  },
  'send-mobile-push': { 'message.smart_sending_enabled': true },
  'time-delay': { unit: 'days', timezone: 'profile' },
  'countdown-delay': { timezone: 'profile' },
  'target-date': { timezone: 'profile' },
};

/** Flow-level trigger defaults (ProfilePropertyDateTrigger). */
const TRIGGER_DEFAULTS: Readonly<Record<string, Json>> = {
  timedelta_unit_before_date: 'weeks',
  timezone: 'profile',
};

function dropDefaults(data: Record<string, unknown>, defaults: Readonly<Record<string, Json>>): void {
  for (const [path, value] of Object.entries(defaults)) {
    const keys = path.split('.');
    let holder: unknown = data;
    for (const key of keys.slice(0, -1)) holder = isRecord(holder) ? holder[key] : undefined;
    const last = keys[keys.length - 1]!;
    if (isRecord(holder) && deepEqual(holder[last], value)) delete holder[last];
  }
}

/** The sub-actions of an A/B test or content experiment: `data.main_action` and the experiment's variations. */
export function subActionsOf(data: Record<string, unknown>): Record<string, unknown>[] {
  const subs: Record<string, unknown>[] = [];
  if (isRecord(data.main_action)) subs.push(data.main_action);
  const experiment = data.current_experiment;
  if (isRecord(experiment) && Array.isArray(experiment.variations)) {
    for (const variation of experiment.variations) if (isRecord(variation)) subs.push(variation);
  }
  return subs;
}

/**
 * Removes what Klaviyo assigns and what the graph comparison handles on its own: ids, links (compared as
 * structure), message ids, branch ids and links, the per-action send status (the flow's status governs it:
 * `PATCH /api/flows/{id}` cascades), `experiment_status` (Klaviyo-owned).
 */
function dropAssigned(action: Record<string, unknown>): void {
  delete action.id;
  delete action.temporary_id;
  delete action.links;
  const data = action.data;
  if (!isRecord(data)) return;
  delete data.status;
  delete data.experiment_status;
  if (isRecord(data.message)) {
    delete data.message.id;
    // An empty subject, preview text or name is the same as none (Klaviyo answers either).
    for (const [key, value] of Object.entries(data.message)) if (value === '') delete data.message[key];
  }
  if (Array.isArray(data.branches)) {
    for (const branch of data.branches) {
      if (isRecord(branch)) {
        delete branch.links;
        delete branch.branch_id;
      }
    }
  }
  const type = String(action.type);
  const defaults = FLOW_ACTION_DEFAULTS[type];
  if (defaults) dropDefaults(data, defaults);
  for (const sub of subActionsOf(data)) dropAssigned(sub);
}

/**
 * A flow action in comparable form: placeholders for known ids, no assigned or default values, compacted.
 * `desiredHasMessageName`: Klaviyo names every message ("Email #1"); a desired action without a name does
 * not care about it.
 */
export function normalizeFlowAction(
  action: unknown,
  index: ReadonlyMap<string, string>,
  options: { dropMessageName?: boolean } = {},
): Json {
  const copy = structuredClone(idsToPlaceholders(action, index)) as Record<string, unknown>;
  dropAssigned(copy);
  if (options.dropMessageName) {
    const data = copy.data;
    if (isRecord(data)) {
      if (isRecord(data.message)) delete data.message.name;
      for (const sub of subActionsOf(data))
        if (isRecord(sub.data) && isRecord(sub.data.message)) delete sub.data.message.name;
    }
  }
  return compact(copy) ?? {};
}

/** True when any message of the action (itself or an A/B arm) has a name. */
export function hasMessageName(action: unknown): boolean {
  if (!isRecord(action) || !isRecord(action.data)) return false;
  const data = action.data;
  if (isRecord(data.message) && typeof data.message.name === 'string') return true;
  return subActionsOf(data).some((sub) => hasMessageName(sub));
}

export function normalizeTriggers(triggers: unknown, index: ReadonlyMap<string, string>): Json | undefined {
  const mapped = triggersToPlaceholders(triggers, index);
  if (Array.isArray(mapped)) {
    for (const trigger of mapped) if (isRecord(trigger)) dropDefaults(trigger, TRIGGER_DEFAULTS);
  }
  return compact(mapped);
}

/** A segment definition or flow profile filter in comparable form. */
export function normalizeConditions(value: unknown, index: ReadonlyMap<string, string>): Json | undefined {
  return compact(idsToPlaceholders(value, index));
}
