/**
 * Flow definitions on create: `temporary_id`s become real ids, every link is rewritten, actions get their
 * default status. Plus the graph helpers update and delete need (links, sub-actions of A/B tests).
 */
import { invalid } from './errors.js';
import { ids } from './ids.js';
import { clone, isObject, obj, str, type JsonObject } from './json.js';

/** Action types whose `data` carries a send status (`draft` by default). */
const TYPES_WITH_STATUS = new Set([
  'send-email',
  'send-sms',
  'send-mobile-push',
  'send-whatsapp',
  'send-webhook',
  'send-internal-alert',
  'update-profile',
  'list-update',
  'ab-test',
  'content-experiment',
  'internal-service',
]);

export const FLOW_STATUSES = ['draft', 'manual', 'live'] as const;

export function hasStatus(action: JsonObject): boolean {
  return TYPES_WITH_STATUS.has(String(action.type));
}

const TRIGGER_TYPES: Record<string, string> = {
  list: 'Added to List',
  segment: 'Added to List',
  metric: 'Metric',
  date: 'Date Based',
  'price-drop': 'Price Drop',
  'low-inventory': 'Low Inventory',
};

export function triggerTypeOf(triggers: unknown[]): string {
  const first = triggers[0];
  return (isObject(first) && TRIGGER_TYPES[String(first.type)]) || 'Unconfigured';
}

/** Every place an action points at another: `links.*` and the branches of a multi-branch split. */
export function linkSlots(action: JsonObject): Array<{ holder: JsonObject; key: string; pointer: string }> {
  const slots: Array<{ holder: JsonObject; key: string; pointer: string }> = [];
  if (isObject(action.links))
    for (const key of Object.keys(action.links))
      slots.push({ holder: action.links, key, pointer: `/links/${key}` });
  const branches = obj(action.data).branches;
  if (Array.isArray(branches))
    branches.forEach((branch, i) => {
      if (isObject(branch) && isObject(branch.links))
        slots.push({ holder: branch.links, key: 'next', pointer: `/data/branches/${i}/links/next` });
    });
  return slots;
}

/** The nested actions of an A/B test or content experiment (each a send action of its own). */
export function subActions(action: JsonObject): Array<{ node: JsonObject; pointer: string }> {
  const data = obj(action.data);
  const nodes: Array<{ node: JsonObject; pointer: string }> = [];
  if (isObject(data.main_action)) nodes.push({ node: data.main_action, pointer: '/data/main_action' });
  const variations = obj(data.current_experiment).variations;
  if (Array.isArray(variations))
    variations.forEach((v, i) => {
      if (isObject(v)) nodes.push({ node: v, pointer: `/data/current_experiment/variations/${i}` });
    });
  return nodes;
}

export interface MaterializedFlow {
  entryActionId: string | null;
  /** Top-level actions with real ids, in body order. */
  actions: JsonObject[];
}

/**
 * Turns a create body's definition into actions with real ids. Throws a 400 pointing into the body for a
 * missing or duplicate temporary id, an `id` (not allowed on create) or a link to no action.
 */
export function materializeDefinition(
  definition: JsonObject,
  pointer: string,
  nowMs: number,
): MaterializedFlow {
  const triggers = Array.isArray(definition.triggers) ? definition.triggers : [];
  if (triggers.length > 1)
    throw invalid('Only one trigger is supported.', { pointer: `${pointer}/triggers` });
  const actions = (Array.isArray(definition.actions) ? definition.actions : []).map((a) => clone(obj(a)));
  const realIds = new Map<string, string>();
  actions.forEach((action, i) => {
    const at = `${pointer}/actions/${i}`;
    if (action.id != null)
      throw invalid("'id' is not allowed on create; use 'temporary_id'.", { pointer: `${at}/id` });
    const temporaryId = action.temporary_id;
    if (typeof temporaryId !== 'string' && typeof temporaryId !== 'number')
      throw invalid("'temporary_id' is required for every action on create.", { pointer: at });
    const key = String(temporaryId);
    if (realIds.has(key))
      throw invalid(`The temporary_id '${key}' is used by more than one action.`, {
        pointer: `${at}/temporary_id`,
      });
    realIds.set(key, ids.ulid(nowMs));
  });
  actions.forEach((action, i) => {
    const at = `${pointer}/actions/${i}`;
    for (const slot of linkSlots(action)) {
      const target = slot.holder[slot.key];
      if (target === null || target === undefined) continue;
      const real = realIds.get(String(target));
      if (!real)
        throw invalid(`The link '${String(target)}' names no action of this flow.`, {
          pointer: `${at}${slot.pointer}`,
        });
      slot.holder[slot.key] = real;
    }
    action.id = realIds.get(String(action.temporary_id))!;
    delete action.temporary_id;
    if (hasStatus(action)) {
      const data = obj(action.data);
      data.status ??= 'draft';
      action.data = data;
    }
    for (const { node, pointer: sub } of subActions(action)) {
      if (node.id != null) throw invalid("'id' is not allowed on create.", { pointer: `${at}${sub}/id` });
      delete node.temporary_id;
      node.id = ids.ulid(nowMs);
    }
    assertNoMessageIds(action, at);
  });
  const entry = definition.entry_action_id;
  let entryActionId: string | null = null;
  if (entry !== null && entry !== undefined) {
    const real = realIds.get(String(entry));
    if (!real)
      throw invalid(`The entry_action_id '${String(entry)}' names no action of this flow.`, {
        pointer: `${pointer}/entry_action_id`,
      });
    entryActionId = real;
  } else if (actions.length > 0)
    throw invalid("'entry_action_id' is required when the flow has actions.", {
      pointer: `${pointer}/entry_action_id`,
    });
  return { entryActionId, actions };
}

function assertNoMessageIds(action: JsonObject, at: string): void {
  const nodes = [{ node: action, pointer: '' }, ...subActions(action)];
  for (const { node, pointer } of nodes) {
    const message = obj(node.data).message;
    if (isObject(message) && message.id != null)
      throw invalid("'id' is not allowed on create.", { pointer: `${at}${pointer}/data/message/id` });
  }
}

/** Links of an action in a comparable form: null and absent mean the same. */
export function normalizedLinks(action: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of linkSlots(action)) {
    const target = str(slot.holder[slot.key]);
    if (target !== undefined) out[slot.pointer] = target;
  }
  return out;
}
