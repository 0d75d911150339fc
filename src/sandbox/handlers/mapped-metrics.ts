/**
 * Mapped metrics: the account's seven fixed slots (revenue, cancelled and refunded sales, ordered product,
 * started checkout, added to cart, viewed product), each pointing at a metric or at nothing. A new account has
 * them all unmapped until something maps them. A PATCH names the metric by id; one that does not exist is
 * refused at its pointer, as Klaviyo refuses any id that names nothing. The sandbox has no custom metrics, so a
 * custom-metric mapping names nothing either.
 */
import type { Handler, HandlerContext } from '../context.js';
import { listParam, relationship, selfLink, singleDocument, type Resource } from '../documents.js';
import { invalid } from '../errors.js';
import { bodyData, getPath, isObject } from '../json.js';
import type { AccountState, MappedMetricRecord } from '../store.js';
import { assertBodyId, pathId } from './common.js';
import { metricResource } from './events.js';

/** The slots, in the order Klaviyo lists them. */
export const MAPPED_METRIC_SLOTS = [
  'added_to_cart',
  'cancelled_sales',
  'ordered_product',
  'refunded_sales',
  'revenue',
  'started_checkout',
  'viewed_product',
] as const;

/** A slot's record; states saved before the sandbox modelled mapped metrics have none, so it starts unmapped. */
function slot(account: AccountState, id: string): MappedMetricRecord {
  if (!(MAPPED_METRIC_SLOTS as readonly string[]).includes(id))
    throw invalid(`'${id}' is not a valid choice; one of: ${MAPPED_METRIC_SLOTS.join(', ')}.`, {
      parameter: 'id',
    });
  account.mappedMetrics ??= {};
  return account.mappedMetrics[id] ?? { id, metricId: null, updated: account.created };
}

function mappedMetricResource(record: MappedMetricRecord, ctx: HandlerContext): Resource {
  const metric = record.metricId === null ? null : { type: 'metric', id: record.metricId };
  return {
    type: 'mapped-metric',
    id: record.id,
    attributes: { updated: record.updated },
    relationships: {
      metric: relationship(ctx.baseUrl, 'mapped-metrics', record.id, 'metric', metric),
      'custom-metric': relationship(ctx.baseUrl, 'mapped-metrics', record.id, 'custom-metric', null),
    },
    links: { self: selfLink(ctx.baseUrl, 'mapped-metrics', record.id) },
  };
}

function includedMetrics(
  ctx: HandlerContext,
  records: MappedMetricRecord[],
  url: URL,
): Resource[] | undefined {
  if (!listParam(url, 'include').includes('metric')) return undefined;
  return records
    .map((r) => (r.metricId === null ? undefined : ctx.account.metrics[r.metricId]))
    .filter((m) => m !== undefined)
    .map((m) => metricResource(m, ctx));
}

/** The metric id a PATCH body points the slot at (null unmaps it), checked against the account. */
function requestedMetric(ctx: HandlerContext, body: unknown): string | null {
  const relationships = bodyData(body).relationships;
  const custom = getPath(relationships, 'custom-metric.data');
  if (isObject(custom))
    throw invalid(`The custom metric with id '${String(custom.id)}' does not exist.`, {
      pointer: '/data/relationships/custom-metric/data/id',
    });
  const metric = getPath(relationships, 'metric.data');
  if (metric === undefined)
    throw invalid('A mapped metric update needs relationships.metric (or custom-metric).', {
      pointer: '/data/relationships',
    });
  if (metric === null || (isObject(metric) && metric.id === null)) return null;
  const id = String((metric as { id?: unknown }).id);
  if (!(id in ctx.account.metrics))
    throw invalid(`The metric with id '${id}' does not exist.`, {
      pointer: '/data/relationships/metric/data/id',
    });
  return id;
}

export const mappedMetricHandlers: Record<string, Handler> = {
  get_mapped_metrics: (req, ctx) => {
    const records = MAPPED_METRIC_SLOTS.map((id) => slot(ctx.account, id));
    const included = includedMetrics(ctx, records, req.url);
    return {
      status: 200,
      body: {
        data: records.map((r) => mappedMetricResource(r, ctx)),
        links: { self: req.url.toString(), next: null, prev: null },
        ...(included ? { included } : {}),
      },
    };
  },

  get_mapped_metric: (req, ctx) => {
    const record = slot(ctx.account, pathId(req));
    return {
      status: 200,
      body: singleDocument(req, mappedMetricResource(record, ctx), includedMetrics(ctx, [record], req.url)),
    };
  },

  update_mapped_metric: (req, ctx) => {
    assertBodyId(req);
    const record = slot(ctx.account, pathId(req));
    const metricId = requestedMetric(ctx, req.body);
    const next: MappedMetricRecord = { id: record.id, metricId, updated: ctx.now };
    ctx.account.mappedMetrics = { ...ctx.account.mappedMetrics, [record.id]: next };
    return { status: 200, body: singleDocument(req, mappedMetricResource(next, ctx)) };
  },
};
