/**
 * Mapped metrics: each declared slot against what the account's slot points at. A slot pointing nowhere is a
 * `create`, one pointing at another metric an `update`, the same metric a `noop`; either write is one
 * `update_mapped_metric` (30 a day). Slots the repository does not declare are left alone.
 *
 * A metric the account does not have yet (a new account, before the store sync or integration sent its first
 * event) is not an error: the slot cannot point at it yet, so the plan says so and maps it once the metric exists.
 * The compared field is the metric's name, so the applied record tells a re-mapping in Klaviyo (a hand edit,
 * refused unless overwritten) from a change in metrics.yaml.
 */
import type { DesiredMappedMetric } from '../../compile/desired-state.js';
import type { PlanProblem, ResourcePlan } from '../plan.js';
import type { RemoteMappedMetric } from '../remote-model.js';
import type { DiffContext } from './context.js';
import { calls } from './cost.js';
import { change } from './fields.js';

/** What a remote slot points at, in the terms of the repository: a metric name, else a description. */
function remoteMetricName(remote: RemoteMappedMetric | undefined, ctx: DiffContext): string | undefined {
  const target = remote?.target;
  if (!target || target.type === 'none') return undefined;
  if (target.type === 'custom-metric') return `custom metric ${target.id}`;
  const placeholder = ctx.index.get(target.id);
  return placeholder?.startsWith('@metric:') ? placeholder.slice('@metric:'.length) : `metric ${target.id}`;
}

export function diffMappedMetrics(
  desired: readonly DesiredMappedMetric[],
  remote: readonly RemoteMappedMetric[],
  accountId: string,
  ctx: DiffContext,
): ResourcePlan[] {
  const resources: ResourcePlan[] = [];
  for (const want of desired) {
    const slot = remote.find((r) => r.id === want.key);
    if (ctx.ids[`metric:${want.metric}`] === undefined) {
      ctx.problems.push(waitingForMetric(want, accountId));
      continue;
    }
    const before = remoteMetricName(slot, ctx);
    ctx.comparisons.set(`mapped-metric:${want.key}`, {
      desired: { metric: want.metric },
      ...(slot ? { remote: before === undefined ? {} : { metric: before } } : {}),
    });
    const body = {
      kind: 'mapped-metric' as const,
      name: want.name,
      metric: want.metric,
      preventDestroy: false as const,
    };
    const action: ResourcePlan['action'] =
      before === undefined
        ? { type: 'create', desired: body }
        : before === want.metric
          ? { type: 'noop' }
          : { type: 'update', changes: [change('metric', before, want.metric)], steps: [], desired: body };
    resources.push({
      kind: 'mapped-metric',
      key: want.key,
      name: want.name,
      ...(slot
        ? {
            id: slot.id,
            remote: { id: slot.id, updated: slot.updated, name: want.name, identity: 'slot' as const },
          }
        : {}),
      source: want.source,
      action,
      effects: [],
      cost: action.type === 'noop' ? [] : calls(['update_mapped_metric', 1]),
    });
  }
  return resources;
}

function waitingForMetric(want: DesiredMappedMetric, accountId: string): PlanProblem {
  return {
    severity: 'warning',
    kind: 'mapped-metric',
    key: want.key,
    message:
      `mapped metric ${want.key} waits for metric '${want.metric}', which account ${accountId} does not have yet: ` +
      `it is mapped by the first apply after the store sync (or integration) creates ${want.metric}`,
  };
}
