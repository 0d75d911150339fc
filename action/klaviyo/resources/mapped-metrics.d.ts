/**
 * Mapped metrics: which metric Klaviyo counts as the account's revenue (and as cancelled and refunded sales,
 * ordered product, started checkout, added to cart, viewed product). Reporting, attribution and predictive CLV
 * read these slots. There are seven fixed slots, identified by their type: they are read and re-pointed, never
 * created or deleted. Re-pointing is capped at 30 a day per account (`update_mapped_metric`).
 */
import type { components } from '../generated/openapi.js';
import { type CallOptions, type ResourceContext } from './context.js';
type S = components['schemas'];
/** The mapping slots, as the spec's `id` enum of `/api/mapped-metrics/{id}` names them. */
export declare const MAPPED_METRIC_IDS: readonly ["revenue", "cancelled_sales", "refunded_sales", "ordered_product", "started_checkout", "added_to_cart", "viewed_product"];
export type MappedMetricId = (typeof MAPPED_METRIC_IDS)[number];
export type MappedMetric = S['MappedMetricResponseObjectResource'];
/** What a slot points at: a metric, a custom metric, or nothing yet. */
export type MappedMetricTarget = {
    type: 'metric';
    id: string;
} | {
    type: 'custom-metric';
    id: string;
} | {
    type: 'none';
};
/** The target a mapped metric resource names in its relationships. */
export declare function mappedMetricTarget(mapped: Pick<MappedMetric, 'relationships'>): MappedMetricTarget;
export declare class MappedMetricsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /** Every slot of the account (one request: the collection is never paged). */
    list(options?: CallOptions): Promise<MappedMetric[]>;
    get(id: MappedMetricId, options?: CallOptions): Promise<MappedMetric>;
    /** Points the slot at a metric (by id). Counts against the daily cap of 30 re-mappings. */
    update(id: MappedMetricId, metricId: string, options?: CallOptions): Promise<MappedMetric>;
}
export {};
