/**
 * Mapped metrics: which metric Klaviyo counts as the account's revenue (and as cancelled and refunded sales,
 * ordered product, started checkout, added to cart, viewed product). Reporting, attribution and predictive CLV
 * read these slots. There are seven fixed slots, identified by their type: they are read and re-pointed, never
 * created or deleted. Re-pointing is capped at 30 a day per account (`update_mapped_metric`).
 */
import type { components } from '../generated/openapi.js';
import { callOptions, seg, type CallOptions, type ResourceContext } from './context.js';

type S = components['schemas'];

/** The mapping slots, as the spec's `id` enum of `/api/mapped-metrics/{id}` names them. */
export const MAPPED_METRIC_IDS = [
  'revenue',
  'cancelled_sales',
  'refunded_sales',
  'ordered_product',
  'started_checkout',
  'added_to_cart',
  'viewed_product',
] as const satisfies ReadonlyArray<S['MappedMetricResponseObjectResource']['id']>;

export type MappedMetricId = (typeof MAPPED_METRIC_IDS)[number];

export type MappedMetric = S['MappedMetricResponseObjectResource'];

/** What a slot points at: a metric, a custom metric, or nothing yet. */
export type MappedMetricTarget =
  { type: 'metric'; id: string } | { type: 'custom-metric'; id: string } | { type: 'none' };

/** The target a mapped metric resource names in its relationships. */
export function mappedMetricTarget(mapped: Pick<MappedMetric, 'relationships'>): MappedMetricTarget {
  const metric = mapped.relationships?.metric?.data;
  if (metric?.id) return { type: 'metric', id: metric.id };
  const custom = mapped.relationships?.['custom-metric']?.data;
  if (custom?.id) return { type: 'custom-metric', id: custom.id };
  return { type: 'none' };
}

export class MappedMetricsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** Every slot of the account (one request: the collection is never paged). */
  async list(options?: CallOptions): Promise<MappedMetric[]> {
    const doc = await this.ctx.transport.request<S['GetMappedMetricResponseCollectionCompoundDocument']>({
      method: 'GET',
      path: '/api/mapped-metrics',
      ...callOptions(options),
    });
    return doc.data;
  }

  async get(id: MappedMetricId, options?: CallOptions): Promise<MappedMetric> {
    const doc = await this.ctx.transport.request<S['GetMappedMetricResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/mapped-metrics/${seg(id)}`,
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Points the slot at a metric (by id). Counts against the daily cap of 30 re-mappings. */
  async update(id: MappedMetricId, metricId: string, options?: CallOptions): Promise<MappedMetric> {
    const doc = await this.ctx.transport.request<S['PatchMappedMetricResponse']>({
      method: 'PATCH',
      path: `/api/mapped-metrics/${seg(id)}`,
      body: {
        data: {
          type: 'mapped-metric',
          id,
          relationships: { metric: { data: { type: 'metric', id: metricId } } },
        },
      } satisfies S['MappedMetricPartialUpdateQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }
}
