import type { QueryOptions } from '../query.js';
import { type CallOptions, type CreateOptions, type ResourceContext } from './context.js';
import type { Flow, FlowAction, FlowActionDefinition, FlowCreateBody, FlowDetails, FlowMessage, FlowMessageDetails, FlowMessageTemplate, FlowStatus, UpdatedFlowAction } from './types.js';
export declare class FlowsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /** Flows without definitions (the list endpoint cannot return them); 50 per page. */
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Flow, void, undefined>;
    /** One flow, with its full definition (real action ids) unless `definition: false`. */
    get(id: string, opts?: CallOptions & {
        definition?: boolean;
    }): Promise<FlowDetails>;
    findByName(name: string, options?: CallOptions): Promise<Flow | undefined>;
    /**
     * Creates a flow from a full definition (`temporary_id`s) and returns it with its created definition and real
     * ids. 1/s, 15/m and 100 per day. `'by-name'` reconciles an ambiguous create by the flow's name.
     */
    create(body: FlowCreateBody, options?: CreateOptions<Flow>): Promise<Flow>;
    /** Sets the status of a flow and all its actions: `draft`, `manual` or `live`. */
    updateStatus(id: string, status: FlowStatus, options?: CallOptions): Promise<Flow>;
    delete(id: string, options?: CallOptions): Promise<void>;
    listActions(flowId: string, query?: QueryOptions, options?: CallOptions): AsyncGenerator<FlowAction, void, undefined>;
    getAction(actionId: string, options?: CallOptions): Promise<FlowAction>;
    /** Replaces one action's definition in place (the definition carries the action's real id). */
    updateAction(actionId: string, definition: FlowActionDefinition, options?: CallOptions): Promise<UpdatedFlowAction>;
    deleteAction(actionId: string, options?: CallOptions): Promise<void>;
    listActionMessages(actionId: string, query?: QueryOptions, options?: CallOptions): AsyncGenerator<FlowMessage, void, undefined>;
    getMessage(messageId: string, options?: CallOptions): Promise<FlowMessageDetails>;
    /** The copy of a template a flow email holds; undefined when the message has none. */
    getMessageTemplate(messageId: string, options?: CallOptions): Promise<FlowMessageTemplate | undefined>;
}
