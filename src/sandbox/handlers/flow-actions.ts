/** Flow actions and flow messages: read, update one action in place (links and type fixed), delete. */
import type { Handler, HandlerContext, SandboxRequest } from '../context.js';
import {
  identifierDocument,
  listDocument,
  listParam,
  relationship,
  selfLink,
  singleDocument,
  type Resource,
} from '../documents.js';
import { invalid, KlaviyoHttpError } from '../errors.js';
import { linkSlots, normalizedLinks, subActions } from '../flow-definition.js';
import { attachMessages, findMessage, removeActionMessages } from '../flow-messages.js';
import { ids } from '../ids.js';
import { bodyAttributes, clone, deepEqual, isObject, obj, str, type JsonObject } from '../json.js';
import { checkReferences } from '../references.js';
import type { FlowActionRecord, FlowMessageRecord } from '../store.js';
import { assertBodyId, found, pathId } from './common.js';
import { flowResource } from './flows.js';
import { templateResource } from './templates.js';

export function flowActionResource(action: FlowActionRecord, ctx: HandlerContext): Resource {
  const messages = Object.values(ctx.account.flowMessages).filter((m) => m.actionId === action.id);
  return {
    type: 'flow-action',
    id: action.id,
    attributes: { created: action.created, updated: action.updated, definition: clone(action.definition) },
    relationships: {
      flow: relationship(ctx.baseUrl, 'flow-actions', action.id, 'flow', { type: 'flow', id: action.flowId }),
      'flow-messages': relationship(
        ctx.baseUrl,
        'flow-actions',
        action.id,
        'flow-messages',
        messages.map((m) => ({ type: 'flow-message', id: m.id })),
      ),
    },
    links: { self: selfLink(ctx.baseUrl, 'flow-actions', action.id) },
  };
}

function messageDefinition(m: FlowMessageRecord, ctx: HandlerContext): JsonObject {
  const action = ctx.account.flowActions[m.actionId];
  return (action && findMessage(action.definition, m.id)) ?? {};
}

function messageTemplateId(m: FlowMessageRecord, ctx: HandlerContext): string | undefined {
  return Object.values(ctx.account.templates).find((t) => t.ownerMessageId === m.id)?.id;
}

export function flowMessageResource(m: FlowMessageRecord, ctx: HandlerContext): Resource {
  const templateId = messageTemplateId(m, ctx);
  return {
    type: 'flow-message',
    id: m.id,
    attributes: {
      channel: m.channel,
      created: m.created,
      updated: m.updated,
      definition: clone(messageDefinition(m, ctx)),
    },
    relationships: {
      'flow-action': relationship(ctx.baseUrl, 'flow-messages', m.id, 'flow-action', {
        type: 'flow-action',
        id: m.actionId,
      }),
      template: relationship(
        ctx.baseUrl,
        'flow-messages',
        m.id,
        'template',
        templateId ? { type: 'template', id: templateId } : null,
      ),
    },
    links: { self: selfLink(ctx.baseUrl, 'flow-messages', m.id) },
  };
}

const actionType = (definition: JsonObject): string =>
  String(definition.type).toUpperCase().replace(/-/g, '_');

function messagesOf(ctx: HandlerContext, actionId: string): FlowMessageRecord[] {
  return Object.values(ctx.account.flowMessages).filter((m) => m.actionId === actionId);
}

function withIncluded(
  req: SandboxRequest,
  resource: Resource,
  make: (include: string[]) => Resource[],
): JsonObject {
  const include = listParam(req.url, 'include');
  return singleDocument(req, resource, include.length ? make(include) : undefined);
}

/** Rewires whatever pointed at a deleted action to where it led (its `next`), or to nothing. */
function unlink(ctx: HandlerContext, flowId: string, deleted: FlowActionRecord): void {
  const flow = ctx.account.flows[flowId];
  if (!flow) return;
  const links = obj(deleted.definition.links);
  const successor = Object.keys(links).length === 1 ? (str(links.next) ?? null) : null;
  flow.actionIds = flow.actionIds.filter((id) => id !== deleted.id);
  if (flow.entry_action_id === deleted.id) flow.entry_action_id = successor;
  for (const id of flow.actionIds) {
    const action = ctx.account.flowActions[id];
    if (!action) continue;
    for (const slot of linkSlots(action.definition))
      if (slot.holder[slot.key] === deleted.id) {
        slot.holder[slot.key] = successor;
        action.updated = ctx.now;
      }
  }
  flow.updated = ctx.now;
}

export const flowActionHandlers: Record<string, Handler> = {
  get_actions_for_flow: (req, ctx) => {
    const flow = found(ctx.account.flows, pathId(req), 'flow');
    const actions = flow.actionIds.flatMap((id) => {
      const a = ctx.account.flowActions[id];
      return a ? [flowActionResource(a, ctx)] : [];
    });
    return {
      status: 200,
      body: listDocument(req, actions, {
        fieldOf: (r, name) => {
          const definition = obj(r.attributes.definition);
          if (name === 'id') return r.id;
          if (name === 'action_type') return actionType(definition);
          if (name === 'status') return obj(definition.data).status;
          return r.attributes[name];
        },
      }),
    };
  },

  get_action_ids_for_flow: (req, ctx) => {
    const flow = found(ctx.account.flows, pathId(req), 'flow');
    return {
      status: 200,
      body: identifierDocument(
        req,
        flow.actionIds.map((id) => ({ type: 'flow-action', id })),
      ),
    };
  },

  get_flow_action: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    return {
      status: 200,
      body: withIncluded(req, flowActionResource(action, ctx), (include) => [
        ...(include.includes('flow') && ctx.account.flows[action.flowId]
          ? [flowResource(ctx.account.flows[action.flowId]!, ctx)]
          : []),
        ...(include.includes('flow-messages')
          ? messagesOf(ctx, action.id).map((m) => flowMessageResource(m, ctx))
          : []),
      ]),
    };
  },

  get_flow_for_flow_action: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    const flow = found(ctx.account.flows, action.flowId, 'flow');
    return { status: 200, body: singleDocument(req, flowResource(flow, ctx)) };
  },

  get_flow_id_for_flow_action: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    return {
      status: 200,
      body: { data: { type: 'flow', id: action.flowId }, links: { self: req.url.toString() } },
    };
  },

  update_flow_action: (req, ctx) => {
    assertBodyId(req);
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    const pointer = '/data/attributes/definition';
    const definition = clone(obj(bodyAttributes(req.body).definition));
    if (definition.id != null && definition.id !== action.id)
      throw invalid('The definition id must be the id of the action being updated.', {
        pointer: `${pointer}/id`,
      });
    if (definition.type !== action.definition.type)
      throw invalid(
        `A flow action's type cannot change (it is '${String(action.definition.type)}'); create a new flow instead.`,
        { pointer: `${pointer}/type` },
      );
    if ('links' in definition && !deepEqual(normalizedLinks(definition), normalizedLinks(action.definition)))
      throw invalid("A flow action's links cannot change; create a new flow to rewire its actions.", {
        pointer: `${pointer}/links`,
      });
    checkReferences(ctx.account, definition, pointer);
    definition.id = action.id;
    delete definition.temporary_id;
    definition.links = clone(action.definition.links);
    const oldBranches = obj(action.definition.data).branches;
    const newData = obj(definition.data);
    if (Array.isArray(oldBranches) && Array.isArray(newData.branches))
      newData.branches.forEach((branch, i) => {
        const old = oldBranches[i];
        if (isObject(branch) && isObject(old)) branch.links = clone(old.links);
      });
    for (const { node } of subActions(definition)) {
      delete node.temporary_id;
      if (typeof node.id !== 'string') node.id = ids.ulid(ctx.nowMs);
    }
    attachMessages(ctx, action.flowId, definition, pointer, action.definition);
    action.definition = definition;
    action.updated = ctx.now;
    const flow = ctx.account.flows[action.flowId];
    if (flow) flow.updated = ctx.now;
    return { status: 200, body: singleDocument(req, flowActionResource(action, ctx)) };
  },

  delete_flow_action: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    removeActionMessages(ctx.account, action.id);
    delete ctx.account.flowActions[action.id];
    unlink(ctx, action.flowId, action);
    return { status: 204 };
  },

  get_flow_action_messages: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    return {
      status: 200,
      body: listDocument(
        req,
        messagesOf(ctx, action.id).map((m) => flowMessageResource(m, ctx)),
      ),
    };
  },

  get_message_ids_for_flow_action: (req, ctx) => {
    const action = found(ctx.account.flowActions, pathId(req), 'flow-action');
    return {
      status: 200,
      body: identifierDocument(
        req,
        messagesOf(ctx, action.id).map((m) => ({ type: 'flow-message', id: m.id })),
      ),
    };
  },

  get_flow_message: (req, ctx) => {
    const m = found(ctx.account.flowMessages, pathId(req), 'flow-message');
    return {
      status: 200,
      body: withIncluded(req, flowMessageResource(m, ctx), (include) => {
        const out: Resource[] = [];
        const action = ctx.account.flowActions[m.actionId];
        if (include.includes('flow-action') && action) out.push(flowActionResource(action, ctx));
        const template = ctx.account.templates[messageTemplateId(m, ctx) ?? ''];
        if (include.includes('template') && template) out.push(templateResource(template, ctx, false));
        return out;
      }),
    };
  },

  get_action_for_flow_message: (req, ctx) => {
    const m = found(ctx.account.flowMessages, pathId(req), 'flow-message');
    const action = found(ctx.account.flowActions, m.actionId, 'flow-action');
    return { status: 200, body: singleDocument(req, flowActionResource(action, ctx)) };
  },

  get_action_id_for_flow_message: (req, ctx) => {
    const m = found(ctx.account.flowMessages, pathId(req), 'flow-message');
    return {
      status: 200,
      body: { data: { type: 'flow-action', id: m.actionId }, links: { self: req.url.toString() } },
    };
  },

  get_template_for_flow_message: (req, ctx) => {
    const m = found(ctx.account.flowMessages, pathId(req), 'flow-message');
    const template = ctx.account.templates[messageTemplateId(m, ctx) ?? ''];
    if (!template)
      throw new KlaviyoHttpError(404, 'not_found', 'Not found.', `The flow message ${m.id} has no template.`);
    return { status: 200, body: singleDocument(req, templateResource(template, ctx, false)) };
  },

  get_template_id_for_flow_message: (req, ctx) => {
    const m = found(ctx.account.flowMessages, pathId(req), 'flow-message');
    const templateId = messageTemplateId(m, ctx);
    return {
      status: 200,
      body: {
        data: templateId ? { type: 'template', id: templateId } : null,
        links: { self: req.url.toString() },
      },
    };
  },
};
