/** Flows: created whole from a definition (in draft), then only status, single actions and deletion change. */
import type { Handler, HandlerContext, SandboxRequest } from '../context.js';
import {
  listDocument,
  listParam,
  relationship,
  selfLink,
  singleDocument,
  wantsAdditional,
  type Resource,
} from '../documents.js';
import { invalid } from '../errors.js';
import { FLOW_STATUSES, hasStatus, materializeDefinition, triggerTypeOf } from '../flow-definition.js';
import { attachMessages, removeActionMessages } from '../flow-messages.js';
import { ids } from '../ids.js';
import { bodyAttributes, clone, obj, type JsonObject } from '../json.js';
import { checkReferences } from '../references.js';
import type { FlowRecord } from '../store.js';
import { assertBodyId, found, freshId, pathId } from './common.js';
import { flowActionResource } from './flow-actions.js';
import { tagResource, tagsOf, untagEverywhere } from './tags.js';

export function flowDefinition(flow: FlowRecord, ctx: HandlerContext): JsonObject {
  return {
    triggers: clone(flow.triggers),
    profile_filter: clone(flow.profile_filter) ?? null,
    ...(flow.reentry_criteria !== undefined ? { reentry_criteria: clone(flow.reentry_criteria) } : {}),
    entry_action_id: flow.entry_action_id,
    actions: flow.actionIds.flatMap((id) => {
      const action = ctx.account.flowActions[id];
      return action ? [clone(action.definition)] : [];
    }),
  };
}

export function flowResource(flow: FlowRecord, ctx: HandlerContext, withDefinition = false): Resource {
  const tags = tagsOf(ctx.account, 'flows', flow.id).map((t) => ({ type: 'tag', id: t.id }));
  return {
    type: 'flow',
    id: flow.id,
    attributes: {
      name: flow.name,
      status: flow.status,
      archived: flow.archived,
      created: flow.created,
      updated: flow.updated,
      trigger_type: flow.trigger_type,
      ...(withDefinition ? { definition: flowDefinition(flow, ctx) } : {}),
    },
    relationships: {
      'flow-actions': relationship(
        ctx.baseUrl,
        'flows',
        flow.id,
        'flow-actions',
        flow.actionIds.map((id) => ({ type: 'flow-action', id })),
      ),
      tags: relationship(ctx.baseUrl, 'flows', flow.id, 'tags', tags),
    },
    links: { self: selfLink(ctx.baseUrl, 'flows', flow.id) },
  };
}

function included(ctx: HandlerContext, page: Resource[], include: string[]): Resource[] {
  return page.flatMap((r) => {
    const flow = ctx.account.flows[r.id];
    if (!flow) return [];
    const out: Resource[] = [];
    if (include.includes('flow-actions'))
      for (const id of flow.actionIds) {
        const action = ctx.account.flowActions[id];
        if (action) out.push(flowActionResource(action, ctx));
      }
    if (include.includes('tags'))
      out.push(...tagsOf(ctx.account, 'flows', flow.id).map((t) => tagResource(t, ctx)));
    return out;
  });
}

function single(req: SandboxRequest, ctx: HandlerContext, flow: FlowRecord): JsonObject {
  const resource = flowResource(flow, ctx, wantsAdditional(req.url, 'flow', 'definition'));
  const include = listParam(req.url, 'include');
  return singleDocument(req, resource, include.length ? included(ctx, [resource], include) : undefined);
}

export const flowHandlers: Record<string, Handler> = {
  get_flows: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.flows).map((f) => flowResource(f, ctx)),
      { includer: (page, include) => included(ctx, page, include) },
    ),
  }),

  get_flow: (req, ctx) => ({
    status: 200,
    body: single(req, ctx, found(ctx.account.flows, pathId(req), 'flow')),
  }),

  create_flow: (req, ctx) => {
    const a = bodyAttributes(req.body);
    const definition = obj(a.definition);
    const pointer = '/data/attributes/definition';
    checkReferences(ctx.account, definition, pointer);
    const { entryActionId, actions } = materializeDefinition(definition, pointer, ctx.nowMs);
    const id = freshId(ctx.account.flows, ids.short);
    const triggers = Array.isArray(definition.triggers) ? clone(definition.triggers) : [];
    const flow: FlowRecord = {
      id,
      name: String(a.name),
      status: 'draft', // Klaviyo creates every flow in draft, whatever the body says
      archived: false,
      trigger_type: triggerTypeOf(triggers),
      triggers,
      profile_filter: clone(definition.profile_filter) ?? null,
      ...(definition.reentry_criteria !== undefined
        ? { reentry_criteria: clone(definition.reentry_criteria) }
        : {}),
      entry_action_id: entryActionId,
      actionIds: actions.map((action) => String(action.id)),
      created: ctx.now,
      updated: ctx.now,
    };
    ctx.account.flows[id] = flow;
    actions.forEach((action, i) => {
      attachMessages(ctx, id, action, `${pointer}/actions/${i}`);
      const actionId = String(action.id);
      ctx.account.flowActions[actionId] = {
        id: actionId,
        flowId: id,
        definition: action,
        created: ctx.now,
        updated: ctx.now,
      };
    });
    return { status: 201, body: single(req, ctx, flow) };
  },

  update_flow: (req, ctx) => {
    assertBodyId(req);
    const flow = found(ctx.account.flows, pathId(req), 'flow');
    const status = String(bodyAttributes(req.body).status);
    if (!(FLOW_STATUSES as readonly string[]).includes(status))
      throw invalid(`'${status}' is not a valid flow status; use one of: ${FLOW_STATUSES.join(', ')}.`, {
        pointer: '/data/attributes/status',
      });
    flow.status = status;
    flow.updated = ctx.now;
    for (const actionId of flow.actionIds) {
      const action = ctx.account.flowActions[actionId];
      if (!action || !hasStatus(action.definition)) continue;
      action.definition.data = { ...obj(action.definition.data), status };
      action.updated = ctx.now;
    }
    return { status: 200, body: singleDocument(req, flowResource(flow, ctx)) };
  },

  delete_flow: (req, ctx) => {
    const flow = found(ctx.account.flows, pathId(req), 'flow');
    for (const actionId of flow.actionIds) {
      removeActionMessages(ctx.account, actionId);
      delete ctx.account.flowActions[actionId];
    }
    delete ctx.account.flows[flow.id];
    untagEverywhere(ctx.account, 'flows', flow.id);
    return { status: 204 };
  },
};
