import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import {
  type CallOptions,
  callOptions,
  type CreateOptions,
  deleteAt,
  resolveReconcile,
  findNamed,
  reconcileDocument,
  type ResourceContext,
  seg,
} from './context.js';
import type {
  Flow,
  FlowAction,
  FlowActionDefinition,
  FlowCreateBody,
  FlowDetails,
  FlowMessage,
  FlowMessageDetails,
  FlowMessageTemplate,
  FlowStatus,
  UpdatedFlowAction,
} from './types.js';

type S = components['schemas'];

const WITH_DEFINITION: QueryOptions = { additionalFields: { flow: ['definition'] } };

export class FlowsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** Flows without definitions (the list endpoint cannot return them); 50 per page. */
  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Flow, void, undefined> {
    return paginate<Flow>(this.ctx.transport, '/api/flows', query, callOptions(options));
  }

  /** One flow, with its full definition (real action ids) unless `definition: false`. */
  async get(id: string, opts: CallOptions & { definition?: boolean } = {}): Promise<FlowDetails> {
    const doc = await this.ctx.transport.request<S['GetFlowV2ResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/flows/${seg(id)}`,
      ...(opts.definition === false ? {} : { query: WITH_DEFINITION }),
      ...callOptions(opts),
    });
    return doc.data;
  }

  findByName(name: string, options?: CallOptions): Promise<Flow | undefined> {
    return findNamed((query) => this.list(query, options), name);
  }

  /**
   * Creates a flow from a full definition (`temporary_id`s) and returns it with its created definition and real
   * ids. 1/s, 15/m and 100 per day. `'by-name'` reconciles an ambiguous create by the flow's name.
   */
  async create(body: FlowCreateBody, options: CreateOptions<Flow> = {}): Promise<Flow> {
    const reconcile = resolveReconcile(options.reconcile, async () => {
      const found = await this.findByName(body.data.attributes.name, options);
      return found ? await this.get(found.id, callOptions(options)) : undefined;
    });
    const doc = await this.ctx.transport.request<S['PostFlowV2Response']>({
      method: 'POST',
      path: '/api/flows',
      query: WITH_DEFINITION,
      body,
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Sets the status of a flow and all its actions: `draft`, `manual` or `live`. */
  async updateStatus(id: string, status: FlowStatus, options?: CallOptions): Promise<Flow> {
    const doc = await this.ctx.transport.request<S['PatchFlowResponse']>({
      method: 'PATCH',
      path: `/api/flows/${seg(id)}`,
      body: { data: { type: 'flow', id, attributes: { status } } } satisfies S['FlowUpdateQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }

  delete(id: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/flows/${seg(id)}`, options);
  }

  listActions(
    flowId: string,
    query?: QueryOptions,
    options?: CallOptions,
  ): AsyncGenerator<FlowAction, void, undefined> {
    return paginate<FlowAction>(
      this.ctx.transport,
      `/api/flows/${seg(flowId)}/flow-actions`,
      query,
      callOptions(options),
    );
  }

  async getAction(actionId: string, options?: CallOptions): Promise<FlowAction> {
    const doc = await this.ctx.transport.request<S['GetFlowActionEncodedResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/flow-actions/${seg(actionId)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Replaces one action's definition in place (the definition carries the action's real id). */
  async updateAction(
    actionId: string,
    definition: FlowActionDefinition,
    options?: CallOptions,
  ): Promise<UpdatedFlowAction> {
    const doc = await this.ctx.transport.request<S['PatchFlowActionEncodedResponse']>({
      method: 'PATCH',
      path: `/api/flow-actions/${seg(actionId)}`,
      body: {
        data: { type: 'flow-action', id: actionId, attributes: { definition } },
      } satisfies S['FlowActionUpdateQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }

  deleteAction(actionId: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/flow-actions/${seg(actionId)}`, options);
  }

  listActionMessages(
    actionId: string,
    query?: QueryOptions,
    options?: CallOptions,
  ): AsyncGenerator<FlowMessage, void, undefined> {
    return paginate<FlowMessage>(
      this.ctx.transport,
      `/api/flow-actions/${seg(actionId)}/flow-messages`,
      query,
      callOptions(options),
    );
  }

  async getMessage(messageId: string, options?: CallOptions): Promise<FlowMessageDetails> {
    const doc = await this.ctx.transport.request<S['GetFlowMessageEncodedResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/flow-messages/${seg(messageId)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  /** The copy of a template a flow email holds; undefined when the message has none. */
  async getMessageTemplate(
    messageId: string,
    options?: CallOptions,
  ): Promise<FlowMessageTemplate | undefined> {
    const doc = await this.ctx.transport.request<S['GetTemplateResponse']>({
      method: 'GET',
      path: `/api/flow-messages/${seg(messageId)}/template`,
      ...callOptions(options),
    });
    return doc.data ?? undefined;
  }
}
