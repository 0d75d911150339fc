import type { QueryOptions } from '../query.js';
import { type CallOptions, type CreateOptions, type ResourceContext } from './context.js';
import type { RenderedTemplate, Template, TemplateCreateBody, TemplateUpdateAttributes } from './types.js';
export declare class TemplatesApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Template, void, undefined>;
    get(id: string, query?: QueryOptions, options?: CallOptions): Promise<Template>;
    findByName(name: string, options?: CallOptions): Promise<Template | undefined>;
    /** Creates a template (an account can create at most 1,000 through the API). */
    create(body: TemplateCreateBody, options?: CreateOptions<Template>): Promise<Template>;
    update(id: string, attributes: TemplateUpdateAttributes, options?: CallOptions): Promise<Template>;
    delete(id: string, options?: CallOptions): Promise<void>;
    /** Copies a template under a new name. A create: `'by-name'` reconciles on the new name. */
    clone(id: string, name: string, options?: CreateOptions<Template>): Promise<Template>;
    /** Renders a stored template with a context (3/s, 60/m): html, text and amp. */
    render(id: string, context: Record<string, unknown>, options?: CallOptions): Promise<RenderedTemplate>;
}
