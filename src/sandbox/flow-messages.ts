/**
 * Flow messages and the template copy rule: a flow email keeps its own copy of the template it was given at
 * create / update time, so later edits of that template do not reach the flow until the action is updated.
 */
import type { HandlerContext } from './context.js';
import { invalid } from './errors.js';
import { subActions } from './flow-definition.js';
import { ids } from './ids.js';
import { isObject, obj, str, type JsonObject } from './json.js';
import type { AccountState } from './store.js';

const CHANNELS: Record<string, string> = {
  'send-email': 'email',
  'send-sms': 'sms',
  'send-mobile-push': 'push',
  'send-whatsapp': 'whatsapp',
  'send-webhook': 'webhook',
  'send-internal-alert': 'internal_alert',
};

interface SendNode {
  /** 'self' for the action itself, else the sub-action's id (A/B test main action and variations). */
  key: string;
  node: JsonObject;
  message: JsonObject;
  channel: string;
  pointer: string;
}

/** The message-carrying nodes of an action: itself, or the arms of an A/B test. */
export function sendNodes(action: JsonObject, pointer = ''): SendNode[] {
  const nodes = [{ node: action, pointer, key: 'self' }];
  for (const sub of subActions(action))
    nodes.push({ node: sub.node, pointer: `${pointer}${sub.pointer}`, key: String(sub.node.id) });
  return nodes.flatMap(({ node, pointer: at, key }) => {
    const channel = CHANNELS[String(node.type)];
    const message = obj(node.data).message;
    return channel && isObject(message) ? [{ key, node, message, channel, pointer: at }] : [];
  });
}

/** Message ids an action's definition holds, by node key. */
export function messageIdsByNode(action: JsonObject | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!action) return out;
  for (const n of sendNodes(action)) if (typeof n.message.id === 'string') out.set(n.key, n.message.id);
  return out;
}

function ownCopy(account: AccountState, messageId: string): string | undefined {
  return Object.values(account.templates).find((t) => t.ownerMessageId === messageId)?.id;
}

function dropCopies(account: AccountState, messageId: string): void {
  for (const t of Object.values(account.templates))
    if (t.ownerMessageId === messageId) delete account.templates[t.id];
}

/**
 * Gives every send node of `action` a message id (kept from `previous` where the node is the same), records
 * the flow messages, and swaps each email's `template_id` for the id of the message's private copy.
 * Call only after `checkReferences` passed; throws a 400 when an email names another flow's template copy.
 */
export function attachMessages(
  ctx: HandlerContext,
  flowId: string,
  action: JsonObject,
  pointer: string,
  previous?: JsonObject,
): void {
  const account = ctx.account;
  const actionId = String(action.id);
  const before = messageIdsByNode(previous);
  const kept = new Set<string>();
  for (const n of sendNodes(action, pointer)) {
    const messageId = before.get(n.key) ?? ids.ulid(ctx.nowMs);
    kept.add(messageId);
    n.message.id = messageId;
    const record = account.flowMessages[messageId];
    if (record) record.updated = ctx.now;
    else
      account.flowMessages[messageId] = {
        id: messageId,
        flowId,
        actionId,
        channel: n.channel,
        created: ctx.now,
        updated: ctx.now,
      };
    if (n.channel !== 'email') continue;
    const templateId = str(n.message.template_id);
    const current = ownCopy(account, messageId);
    if (templateId === undefined) {
      dropCopies(account, messageId);
      continue;
    }
    if (templateId === current) continue;
    const source = account.templates[templateId];
    if (!source || source.ownerMessageId)
      throw invalid(`The template with id '${templateId}' does not exist.`, {
        pointer: `${n.pointer}/data/message/template_id`,
      });
    dropCopies(account, messageId);
    let copyId = ids.short();
    while (copyId in account.templates) copyId = ids.short();
    account.templates[copyId] = {
      ...structuredClone(source),
      id: copyId,
      ownerMessageId: messageId,
      created: ctx.now,
      updated: ctx.now,
    };
    n.message.template_id = copyId;
  }
  for (const messageId of before.values()) if (!kept.has(messageId)) removeMessage(account, messageId);
}

export function removeMessage(account: AccountState, messageId: string): void {
  delete account.flowMessages[messageId];
  dropCopies(account, messageId);
}

export function removeActionMessages(account: AccountState, actionId: string): void {
  for (const m of Object.values(account.flowMessages))
    if (m.actionId === actionId) removeMessage(account, m.id);
}

/** The message object (`FlowEmail`, `FlowSms`, ...) with this id inside an action definition. */
export function findMessage(action: JsonObject, messageId: string): JsonObject | undefined {
  return sendNodes(action).find((n) => n.message.id === messageId)?.message;
}
