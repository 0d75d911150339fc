/**
 * Points a mapped-metric slot at its metric: one `PATCH /api/mapped-metrics/{slot}`, the same call for a slot
 * that was unmapped (create) and one mapped elsewhere (update). Idempotent, so a retry after a lost answer is
 * safe. The metric's id comes from the plan's ids: a metric the account lacks never reaches a planned write.
 */
import type { MappedMetricId } from '../../klaviyo/index.js';
import type { BodyOf, ResourcePlan } from '../plan.js';
import { act, type ApplyContext, type ResourceResult } from './context.js';
import { call } from './objects.js';

export async function mapMetric(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'mapped-metric'>,
): Promise<void> {
  const metricId = ctx.ids.get(`metric:${body.metric}`);
  if (metricId === undefined)
    throw new Error(`mapped metric ${resource.key}: metric '${body.metric}' does not exist in the account`);
  const slot = resource.key as MappedMetricId;
  await act(ctx, result, 'update_mapped_metric', { id: slot }, () =>
    ctx.client.mappedMetrics.update(slot, metricId, call(ctx)),
  );
  result.id = slot;
}
