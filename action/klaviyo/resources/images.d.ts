import type { QueryOptions } from '../query.js';
import { type CallOptions, type ResourceContext } from './context.js';
import type { Image, ImageCreateBody } from './types.js';
export declare class ImagesApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /**
     * Imports an image from a URL or a `data:image/...` URI (3/s, 100/m, 100/day). Klaviyo suffixes duplicate
     * names, so names do not identify images: pass `reconcile` (e.g. a lookup by a name you made unique) to retry
     * ambiguous failures.
     */
    uploadFromUrl(body: ImageCreateBody, options?: CallOptions & {
        reconcile?: () => Promise<Image | undefined>;
    }): Promise<Image>;
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Image, void, undefined>;
    get(id: string, options?: CallOptions): Promise<Image>;
}
