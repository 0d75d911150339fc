import type { Condition } from '../model.js';
import { guaranteedConditions } from './conditions.js';
import type { FlowRule } from './rule.js';

/** Triggers of flows that chase a purchase: once the person orders, the reminders must stop. */
export const PURCHASE_INTENT_METRICS = new Set([
  'Started Checkout',
  'Checkout Started',
  'Added to Cart',
  'Viewed Product',
  'Active on Site',
]);

/** `metric: Placed Order, count: { equals: 0 } (or at_most: 0 / less_than: 1), since: flow_start` */
export function isNoOrderSinceFlowStart(condition: Condition): boolean {
  if (condition.metric !== 'Placed Order' || condition.since !== 'flow_start' || condition.sum !== undefined)
    return false;
  const count = condition.count;
  if (!count) return false;
  return count.equals === 0 || count.at_most === 0 || count.less_than === 1;
}

export const flowExitOnOrder: FlowRule = {
  id: 'flow-exit-on-order',
  defaultSeverity: 'error',
  description:
    'Cart, checkout and browse flows must stop for people who ordered since entering (an entry filter on Placed Order since flow_start).',
  check({ flow }) {
    const metric = flow.value.trigger.metric;
    if (metric === undefined || !PURCHASE_INTENT_METRICS.has(metric)) return [];
    if (guaranteedConditions(flow.value.entry_filters).some(isNoOrderSinceFlowStart)) return [];
    return [
      {
        path: ['trigger', 'metric'],
        message: `a '${metric}' flow keeps sending after the person has ordered`,
        fix: "add to entry_filters: '- { metric: Placed Order, count: { equals: 0 }, since: flow_start }'",
      },
    ];
  },
};
