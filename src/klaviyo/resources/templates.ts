import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import {
  type CallOptions,
  callOptions,
  type CreateOptions,
  deleteAt,
  findNamed,
  reconcileDocument,
  resolveReconcile,
  type ResourceContext,
  seg,
} from './context.js';
import type { RenderedTemplate, Template, TemplateCreateBody, TemplateUpdateAttributes } from './types.js';

type S = components['schemas'];

export class TemplatesApi {
  constructor(private readonly ctx: ResourceContext) {}

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Template, void, undefined> {
    return paginate<Template>(this.ctx.transport, '/api/templates', query, callOptions(options));
  }

  async get(id: string, query?: QueryOptions, options?: CallOptions): Promise<Template> {
    const doc = await this.ctx.transport.request<S['GetTemplateDndResponse']>({
      method: 'GET',
      path: `/api/templates/${seg(id)}`,
      ...(query ? { query } : {}),
      ...callOptions(options),
    });
    return doc.data;
  }

  findByName(name: string, options?: CallOptions): Promise<Template | undefined> {
    return findNamed((query) => this.list(query, options), name);
  }

  /** Creates a template (an account can create at most 1,000 through the API). */
  async create(body: TemplateCreateBody, options: CreateOptions<Template> = {}): Promise<Template> {
    const reconcile = resolveReconcile(options.reconcile, () =>
      this.findByName(body.data.attributes.name, options),
    );
    const doc = await this.ctx.transport.request<S['PostTemplateDndResponse']>({
      method: 'POST',
      path: '/api/templates',
      body,
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  async update(id: string, attributes: TemplateUpdateAttributes, options?: CallOptions): Promise<Template> {
    const doc = await this.ctx.transport.request<S['PatchTemplateDndResponse']>({
      method: 'PATCH',
      path: `/api/templates/${seg(id)}`,
      body: { data: { type: 'template', id, attributes } } satisfies S['TemplateUpdateHtmlOrDndQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }

  delete(id: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/templates/${seg(id)}`, options);
  }

  /** Copies a template under a new name. A create: `'by-name'` reconciles on the new name. */
  async clone(id: string, name: string, options: CreateOptions<Template> = {}): Promise<Template> {
    const reconcile = resolveReconcile(options.reconcile, () => this.findByName(name, options));
    const doc = await this.ctx.transport.request<S['PostTemplateResponse']>({
      method: 'POST',
      path: '/api/template-clone',
      body: { data: { type: 'template', id, attributes: { name } } } satisfies S['TemplateCloneQuery'],
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Renders a stored template with a context (3/s, 60/m): html, text and amp. */
  async render(
    id: string,
    context: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<RenderedTemplate> {
    const doc = await this.ctx.transport.request<S['PostTemplateResponse']>({
      method: 'POST',
      path: '/api/template-render',
      body: { data: { type: 'template', id, attributes: { context } } } satisfies S['TemplateRenderQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }
}
