/**
 * Klaviyo property filters back to the repository's property tests (`{ property: $value, more_than: 20 }`):
 * the exact inverse of what compile writes, or undefined when the filter has no spelling in the format.
 */
import { profilePropertyName } from '../../compile/conditions.js';
import { isRecord } from '../normalize.js';

const NUMERIC: Record<string, string> = {
  equals: 'equals',
  'not-equals': 'not_equals',
  'greater-than': 'more_than',
  'greater-than-or-equal': 'at_least',
  'less-than': 'less_than',
  'less-than-or-equal': 'at_most',
};

const STRING: Record<string, string> = {
  equals: 'equals',
  'not-equals': 'not_equals',
  contains: 'contains',
  'not-contains': 'not_contains',
  'starts-with': 'starts_with',
  'ends-with': 'ends_with',
};

export type PropertyTest = Record<string, unknown> & { property: string };

export function propertyTest(property: string, filter: unknown): PropertyTest | undefined {
  if (!isRecord(filter)) return undefined;
  const { type, operator } = filter;
  const keys = Object.keys(filter).sort().join(',');
  if (type === 'existence' && keys === 'operator,type') {
    if (operator === 'is-set') return { property, is_set: true };
    if (operator === 'not-set') return { property, is_set: false };
    return undefined;
  }
  if (type === 'numeric' && operator === 'between' && keys === 'end,operator,start,type') {
    return typeof filter.start === 'number' && typeof filter.end === 'number'
      ? { property, between: [filter.start, filter.end] }
      : undefined;
  }
  if (keys !== 'operator,type,value') return undefined;
  const value = filter.value;
  if (type === 'string' && (operator === 'in' || operator === 'not-in') && Array.isArray(value)) {
    return { property, [operator === 'in' ? 'in' : 'not_in']: value };
  }
  if (type === 'boolean' && operator === 'equals' && typeof value === 'boolean')
    return { property, equals: value };
  if (type === 'numeric' && typeof value === 'number' && typeof operator === 'string' && NUMERIC[operator]) {
    return { property, [NUMERIC[operator]]: value };
  }
  if (type === 'string' && typeof value === 'string' && typeof operator === 'string' && STRING[operator]) {
    return { property, [STRING[operator]]: value };
  }
  return undefined;
}

/**
 * A metric trigger filter (or trigger split filter) as `where:` tests: one metric-property condition per group,
 * on the flow's trigger metric. Undefined when it has another shape.
 */
export function triggerWhere(filter: unknown, metricId: string): PropertyTest[] | undefined {
  if (!isRecord(filter) || !Array.isArray(filter.condition_groups)) return undefined;
  const tests: PropertyTest[] = [];
  for (const group of filter.condition_groups) {
    const conditions = isRecord(group) && Array.isArray(group.conditions) ? group.conditions : [];
    const condition = conditions[0];
    if (conditions.length !== 1 || !isRecord(condition)) return undefined;
    if (
      condition.type !== 'metric-property' ||
      condition.metric_id !== metricId ||
      typeof condition.field !== 'string'
    ) {
      return undefined;
    }
    const test = propertyTest(condition.field, condition.filter);
    if (!test) return undefined;
    tests.push(test);
  }
  return tests;
}

export interface ConditionNames {
  listKey(id: string): string | undefined;
  segmentKey(id: string): string | undefined;
  metricName(id: string): string | undefined;
  /** `since: flow_start` exists in flows only. */
  inFlow: boolean;
}

function window(timeframe: unknown): { last: unknown; unit: unknown } | undefined {
  if (!isRecord(timeframe) || timeframe.type !== 'date' || timeframe.operator !== 'in-the-last')
    return undefined;
  if (Object.keys(timeframe).sort().join(',') !== 'operator,quantity,type,unit') return undefined;
  return { last: timeframe.quantity, unit: timeframe.unit };
}

function isAlltime(timeframe: unknown): boolean {
  return (
    isRecord(timeframe) &&
    timeframe.type === 'date' &&
    timeframe.operator === 'alltime' &&
    Object.keys(timeframe).length === 2
  );
}

function numericTest(filter: unknown): Record<string, unknown> | undefined {
  const test = propertyTest('_', filter);
  if (
    !test ||
    isRecord(filter) === false ||
    (filter as Record<string, unknown>).type !== 'numeric' ||
    'between' in test
  )
    return undefined;
  const { property: _property, ...rest } = test;
  return rest;
}

function setKeys(record: Record<string, unknown>): string {
  return Object.keys(record)
    .filter((k) => record[k] !== null && record[k] !== undefined)
    .sort()
    .join(',');
}

const CONSENT: Record<string, unknown> = {
  email: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'subscribed' } },
  'email-double-opt-in': {
    channel: 'email',
    can_receive_marketing: true,
    consent_status: {
      subscription: 'subscribed',
      filters: [{ field: 'is_double_opt_in', filter: { type: 'boolean', operator: 'equals', value: true } }],
    },
  },
  sms: { channel: 'sms', can_receive_marketing: true, consent_status: { subscription: 'subscribed' } },
  push: { channel: 'push', can_receive_marketing: true, consent_status: { subscription: 'any' } },
};

function sameJson(a: unknown, b: unknown): boolean {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : isRecord(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== null && x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** The property name as the format writes it: a custom property by its bare name, when that compiles back. */
function propertyNameOf(klaviyoName: string): string {
  const custom = /^properties\['((?:[^'\\]|\\.)*)'\]$/.exec(klaviyoName);
  if (!custom) return klaviyoName;
  const bare = custom[1]!.replace(/\\(.)/g, '$1');
  return profilePropertyName(bare) === klaviyoName ? bare : klaviyoName;
}

/**
 * One Klaviyo condition in the format's words when the format has an exact spelling for it (the inverse of
 * compile's), else `raw:` with Klaviyo's own shape.
 */
export function conditionToFile(c: unknown, names: ConditionNames): Record<string, unknown> {
  const raw = { raw: c };
  if (!isRecord(c)) return raw;
  switch (c.type) {
    case 'profile-group-membership': {
      const ids = Array.isArray(c.group_ids) ? c.group_ids : [];
      const id = typeof ids[0] === 'string' ? ids[0] : undefined;
      if (ids.length !== 1 || !id || typeof c.is_member !== 'boolean') return raw;
      const list = names.listKey(id);
      const segment = list ? undefined : names.segmentKey(id);
      if (!list && !segment) return raw;
      const ref = list ? { list } : { segment };
      const within =
        c.timeframe_filter === undefined || c.timeframe_filter === null
          ? undefined
          : window(c.timeframe_filter);
      if (setKeys(c) !== (within ? 'group_ids,is_member,timeframe_filter,type' : 'group_ids,is_member,type'))
        return raw;
      return { [c.is_member ? 'member_of' : 'not_member_of']: ref, ...(within ? { within } : {}) };
    }
    case 'profile-metric': {
      const name = typeof c.metric_id === 'string' ? names.metricName(c.metric_id) : undefined;
      const test = numericTest(c.measurement_filter);
      if (!name || !test || (c.measurement !== 'count' && c.measurement !== 'sum')) return raw;
      const keys = setKeys(c);
      if (
        keys !== 'measurement,measurement_filter,metric_id,timeframe_filter,type' &&
        keys !== 'measurement,measurement_filter,metric_filters,metric_id,timeframe_filter,type'
      )
        return raw;
      const out: Record<string, unknown> = { metric: name, [c.measurement]: test };
      const within = window(c.timeframe_filter);
      if (within) out.within = within;
      else if (
        isRecord(c.timeframe_filter) &&
        c.timeframe_filter.operator === 'flow-start' &&
        Object.keys(c.timeframe_filter).length === 2 &&
        names.inFlow
      )
        out.since = 'flow_start';
      else if (!isAlltime(c.timeframe_filter)) return raw;
      if (Array.isArray(c.metric_filters) && c.metric_filters.length > 0) {
        const where: unknown[] = [];
        for (const f of c.metric_filters) {
          const t =
            isRecord(f) && typeof f.property === 'string' && Object.keys(f).length === 2
              ? propertyTest(f.property, f.filter)
              : undefined;
          if (!t || 'between' in t) return raw;
          where.push(t);
        }
        out.where = where;
      }
      return out;
    }
    case 'profile-property': {
      if (setKeys(c) !== 'filter,property,type' || typeof c.property !== 'string') return raw;
      const test = propertyTest(propertyNameOf(c.property), c.filter);
      return test && !('between' in test) ? { profile: test } : raw;
    }
    case 'profile-predictive-analytics': {
      const test = numericTest(c.filter);
      if (setKeys(c) !== 'dimension,filter,type' || typeof c.dimension !== 'string' || !test) return raw;
      return { predictive: { dimension: c.dimension, ...test } };
    }
    case 'profile-region':
      if (
        setKeys(c) !== 'in_region,region,type' ||
        (c.region !== 'united_states' && c.region !== 'european_union')
      )
        return raw;
      return { region: c.in_region === false ? { not_in: c.region } : { in: c.region } };
    case 'profile-marketing-consent': {
      if (setKeys(c) !== 'consent,type' || !isRecord(c.consent)) return raw;
      const channel = String(c.consent.channel);
      // A status date filter is `within:` beside the consent; it is always the last filter compile writes.
      const status = isRecord(c.consent.consent_status) ? c.consent.consent_status : {};
      const filters = Array.isArray(status.filters) ? status.filters : [];
      const last = filters[filters.length - 1];
      const dated = isRecord(last) && last.field === 'status_date' ? window(last.filter) : undefined;
      const rest = dated ? filters.slice(0, -1) : filters;
      const consent = {
        ...c.consent,
        consent_status: { ...status, filters: rest.length > 0 ? rest : null },
      };
      const within = dated ? { within: dated } : {};
      if (CONSENT[channel] && sameJson(consent, CONSENT[channel])) return { consent: { channel }, ...within };
      if (channel === 'email' && sameJson(consent, CONSENT['email-double-opt-in']))
        return { consent: { channel, double_opt_in: true }, ...within };
      return raw;
    }
    case 'profile-not-in-flow': {
      if (setKeys(c) !== 'timeframe_filter,type') return raw;
      if (isAlltime(c.timeframe_filter)) return { not_in_flow: 'alltime' };
      const within = window(c.timeframe_filter);
      return within ? { not_in_flow: { within } } : raw;
    }
    default:
      return raw;
  }
}

/** Condition groups as the format's condition list: a group of one is the condition, else `any:`. */
export function conditionList(groups: unknown, names: ConditionNames): unknown[] {
  const list = isRecord(groups) && Array.isArray(groups.condition_groups) ? groups.condition_groups : [];
  return list.map((group) => {
    const conditions = (isRecord(group) && Array.isArray(group.conditions) ? group.conditions : []).map((c) =>
      conditionToFile(c, names),
    );
    return conditions.length === 1 ? conditions[0] : { any: conditions };
  });
}
