import type { QueryOptions } from '../query.js';
import { type CallOptions, type ResourceContext } from './context.js';
import type { Metric } from './types.js';
export declare class MetricsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Metric, void, undefined>;
    get(id: string, options?: CallOptions): Promise<Metric>;
    /**
     * The metric with this exact name. `get_metrics` has no name filter, so this lists metrics and matches locally;
     * `integrationName` (e.g. "Klaviyo", "Shopify") tells apart metrics of the same name from different sources.
     */
    findByName(name: string, opts?: CallOptions & {
        integrationName?: string;
    }): Promise<Metric | undefined>;
}
