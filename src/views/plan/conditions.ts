/**
 * Klaviyo condition groups in plain English, for people reviewing a plan: groups are ANDed, the conditions of
 * a group ORed. "Placed Order at least 3 times in the last 365 days AND is in list newsletter".
 * Anything not recognised prints as its type and JSON: a plan never hides a condition.
 */
import { isRecord } from '../../engine/normalize.js';

const OPERATORS: Record<string, string> = {
  equals: 'is',
  'not-equals': 'is not',
  'greater-than': 'more than',
  'greater-than-or-equal': 'at least',
  'less-than': 'less than',
  'less-than-or-equal': 'at most',
  contains: 'contains',
  'not-contains': 'does not contain',
  'starts-with': 'starts with',
  'not-starts-with': 'does not start with',
  'ends-with': 'ends with',
  'not-ends-with': 'does not end with',
  in: 'is one of',
  'not-in': 'is not one of',
  'is-set': 'is set',
  'not-set': 'is not set',
  regex: 'matches',
  nregex: 'does not match',
  before: 'before',
  after: 'after',
};

const DIMENSIONS: Record<string, string> = {
  predicted_clv: 'predicted CLV',
  historic_clv: 'historic CLV',
  total_clv: 'total CLV',
  churn_probability: 'churn probability',
  average_order_value: 'average order value',
  average_days_between_orders: 'average days between orders',
  predicted_number_of_orders: 'predicted number of orders',
  historic_number_of_orders: 'historic number of orders',
  expected_date_of_next_purchase: 'expected date of next purchase',
  predicted_gender: 'predicted gender',
};

const REGIONS: Record<string, string> = {
  united_states: 'the United States',
  european_union: 'the European Union',
};

/** `@list:newsletter` -> `list newsletter`, `@metric:Placed Order` -> `Placed Order`; ids stay ids. */
export function refName(value: unknown): string {
  const text = String(value);
  const match = /^@(metric|list|segment|template):(.+)$/.exec(text);
  if (!match) return text;
  return match[1] === 'metric' ? match[2]! : `${match[1]} ${match[2]}`;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return String(value);
}

function plural(n: unknown, unit: string): string {
  const base = unit.replace(/s$/, '');
  return `${String(n)} ${base}${n === 1 ? '' : 's'}`;
}

/** A filter object (`{type, operator, value}`) as words, after its subject. */
export function describeFilter(filter: unknown): string {
  if (!isRecord(filter)) return literal(filter);
  const op = String(filter.operator ?? '');
  if (op === 'between') return `between ${literal(filter.start)} and ${literal(filter.end)}`;
  if (op === 'is-set' || op === 'not-set') return OPERATORS[op]!;
  const words = OPERATORS[op] ?? op;
  return 'value' in filter ? `${words} ${literal(filter.value)}` : words;
}

export function describeTimeframe(timeframe: unknown): string {
  if (!isRecord(timeframe)) return '';
  const op = String(timeframe.operator ?? '');
  switch (op) {
    case 'in-the-last':
      return `in the last ${plural(timeframe.quantity, String(timeframe.unit ?? 'day'))}`;
    case 'in-the-next':
      return `in the next ${plural(timeframe.quantity, String(timeframe.unit ?? 'day'))}`;
    case 'at-least':
      return `at least ${plural(timeframe.quantity, String(timeframe.unit ?? 'day'))} ago`;
    case 'alltime':
      return 'over all time';
    case 'flow-start':
      return 'since starting this flow';
    case 'before':
    case 'after':
      return `${op} ${String(timeframe.date ?? '')}`;
    case 'between-static':
      return `between ${String(timeframe.start)} and ${String(timeframe.end)}`;
    default:
      return op ? op.replace(/-/g, ' ') : '';
  }
}

function count(filter: unknown): string {
  if (!isRecord(filter)) return '';
  const op = String(filter.operator ?? '');
  if (op === 'between') return `between ${String(filter.start)} and ${String(filter.end)} times`;
  const n = filter.value;
  if (op === 'equals' && n === 0) return 'zero times';
  return `${OPERATORS[op] ?? op} ${String(n)} ${n === 1 ? 'time' : 'times'}`;
}

function propertyName(property: unknown): string {
  const text = String(property);
  const custom = /^properties\['(.+)'\]$/.exec(text);
  return custom ? custom[1]! : text;
}

export function describeCondition(condition: unknown): string {
  if (!isRecord(condition)) return literal(condition);
  const c = condition;
  switch (c.type) {
    case 'profile-metric': {
      const metric = refName(c.metric_id);
      const measured =
        c.measurement === 'sum'
          ? `total value of ${metric} ${describeFilter(c.measurement_filter)}`
          : `${metric} ${count(c.measurement_filter)}`;
      const filters = Array.isArray(c.metric_filters)
        ? c.metric_filters
            .filter(isRecord)
            .map((f) => `${String(f.property)} ${describeFilter(f.filter)}`)
            .join(' and ')
        : '';
      return [measured, describeTimeframe(c.timeframe_filter), filters ? `where ${filters}` : '']
        .filter(Boolean)
        .join(' ');
    }
    case 'profile-property':
      return `${propertyName(c.property)} ${describeFilter(c.filter)}`;
    case 'profile-group-membership': {
      const groups = Array.isArray(c.group_ids) ? c.group_ids.map(refName).join(' or ') : '';
      const when = c.timeframe_filter ? ` ${describeTimeframe(c.timeframe_filter)}` : '';
      return c.is_member === false ? `is not in ${groups}` : `is in ${groups}${when}`;
    }
    case 'profile-marketing-consent': {
      const consent = isRecord(c.consent) ? c.consent : {};
      const channel = String(consent.channel ?? 'email');
      const status = isRecord(consent.consent_status)
        ? String(consent.consent_status.subscription ?? '')
        : '';
      if (consent.can_receive_marketing === false) return `cannot receive ${channel} marketing`;
      const filters =
        isRecord(consent.consent_status) && Array.isArray(consent.consent_status.filters)
          ? consent.consent_status.filters
          : [];
      const dated = filters.find((f) => isRecord(f) && f.field === 'status_date');
      // "is subscribed to email marketing in the last 30 days": the consent's status date.
      const when = isRecord(dated) ? ` ${describeTimeframe(dated.filter)}` : '';
      return status && status !== 'any'
        ? `is ${status.replace(/_/g, ' ')} to ${channel} marketing${when}`
        : `can receive ${channel} marketing${when}`;
    }
    case 'profile-region':
      return `${c.in_region === false ? 'is not' : 'is'} in ${REGIONS[String(c.region)] ?? String(c.region)}`;
    case 'profile-predictive-analytics':
      return `${DIMENSIONS[String(c.dimension)] ?? String(c.dimension)} ${describeFilter(c.filter)}`;
    case 'profile-not-in-flow':
      return `has not been in this flow ${describeTimeframe(c.timeframe_filter) || 'ever'}`;
    case 'metric-property':
      return `${String(c.field ?? c.property ?? '')} ${describeFilter(c.filter)}`;
    case 'profile-postal-code-distance':
      return `lives ${describeFilter(c.filter)} ${String(c.unit ?? '')} from ${String(c.postal_code)} (${String(c.country_code)})`;
    default:
      return `${String(c.type)} ${JSON.stringify(c)}`;
  }
}

/** A `{condition_groups}` object (segment definition, entry filter, split) as one sentence. */
export function describeConditionGroups(definition: unknown): string {
  const groups =
    isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  if (groups.length === 0) return 'everyone';
  return groups
    .map((group) => {
      const conditions = isRecord(group) && Array.isArray(group.conditions) ? group.conditions : [];
      const parts = conditions.map(describeCondition);
      return parts.length > 1 && groups.length > 1 ? `(${parts.join(' OR ')})` : parts.join(' OR ');
    })
    .join(' AND ');
}
