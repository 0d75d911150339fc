import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import { callOptions, reconcileDocument, seg, type CallOptions, type ResourceContext } from './context.js';
import type { Image, ImageCreateBody } from './types.js';

type S = components['schemas'];

export class ImagesApi {
  constructor(private readonly ctx: ResourceContext) {}

  /**
   * Imports an image from a URL or a `data:image/...` URI (3/s, 100/m, 100/day). Klaviyo suffixes duplicate
   * names, so names do not identify images: pass `reconcile` (e.g. a lookup by a name you made unique) to retry
   * ambiguous failures.
   */
  async uploadFromUrl(
    body: ImageCreateBody,
    options: CallOptions & { reconcile?: () => Promise<Image | undefined> } = {},
  ): Promise<Image> {
    const doc = await this.ctx.transport.request<S['PostImageResponse']>({
      method: 'POST',
      path: '/api/images',
      body,
      ...reconcileDocument(options.reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Image, void, undefined> {
    return paginate<Image>(this.ctx.transport, '/api/images', query, callOptions(options));
  }

  async get(id: string, options?: CallOptions): Promise<Image> {
    const doc = await this.ctx.transport.request<S['GetImageResponse']>({
      method: 'GET',
      path: `/api/images/${seg(id)}`,
      ...callOptions(options),
    });
    return doc.data;
  }
}
