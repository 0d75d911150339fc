import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import { callOptions, firstMatch, seg, type CallOptions, type ResourceContext } from './context.js';
import type { Metric } from './types.js';

export class MetricsApi {
  constructor(private readonly ctx: ResourceContext) {}

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Metric, void, undefined> {
    return paginate<Metric>(this.ctx.transport, '/api/metrics', query, callOptions(options));
  }

  async get(id: string, options?: CallOptions): Promise<Metric> {
    const doc = await this.ctx.transport.request<components['schemas']['GetMetricResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/metrics/${seg(id)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  /**
   * The metric with this exact name. `get_metrics` has no name filter, so this lists metrics and matches locally;
   * `integrationName` (e.g. "Klaviyo", "Shopify") tells apart metrics of the same name from different sources.
   */
  findByName(
    name: string,
    opts: CallOptions & { integrationName?: string } = {},
  ): Promise<Metric | undefined> {
    return firstMatch(
      this.list(undefined, opts),
      (metric) =>
        metric.attributes.name === name &&
        (opts.integrationName === undefined ||
          (metric.attributes.integration as { name?: string } | null | undefined)?.name ===
            opts.integrationName),
    );
  }
}
