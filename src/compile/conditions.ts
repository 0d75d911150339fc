/**
 * The condition DSL (README "Conditions") -> Klaviyo condition groups, shared by segments, flow entry filters
 * and conditional splits. A top-level item is one group (ANDed with the others); `any:` lists the conditions
 * ORed inside the group.
 */
import type { Condition, NumericTest, PropertyTest } from '../project/model.js';
import type { YamlPath } from '../project/yaml-source.js';
import { pointer, type CompileContext } from './context.js';

/** Where the conditions are used: some condition types exist only in flows, some only at a flow's entry. */
export type ConditionUse = 'segment' | 'entry-filter' | 'split';

const DISCRIMINATORS = [
  'any',
  'consent',
  'metric',
  'profile',
  'member_of',
  'not_member_of',
  'region',
  'predictive',
  'not_in_flow',
  'raw',
] as const;
/** Keys that qualify a metric condition (`within` also qualifies `member_of` and `consent`). */
const METRIC_ONLY = ['count', 'sum', 'within', 'since', 'where'] as const;

/** Profile properties Klaviyo knows by name; anything else is a custom property, `properties['Name']`. */
const WELL_KNOWN_PROPERTIES = new Set([
  'email',
  'phone_number',
  'external_id',
  'first_name',
  'last_name',
  'organization',
  'title',
  'image',
  'locale',
  'created',
  'updated',
  'last_event_date',
  'address1',
  'address2',
  'city',
  'country',
  'region',
  'zip',
  'timezone',
  'latitude',
  'longitude',
]);

export function profilePropertyName(property: string): string {
  if (WELL_KNOWN_PROPERTIES.has(property) || property.startsWith('properties[')) return property;
  return `properties['${property.replace(/'/g, "\\'")}']`;
}

/** `[{conditions:[...]}, ...]` for a condition list written at `path`, emitted at JSON pointer `base`. */
export function compileConditionGroups(
  list: Condition[],
  path: YamlPath,
  base: string,
  use: ConditionUse,
  ctx: CompileContext,
): Array<{ conditions: unknown[] }> {
  return list.map((item, g) => {
    const groupPointer = pointer(base, g);
    ctx.map(groupPointer, [...path, g]);
    if (item.any !== undefined) {
      const extra = Object.keys(item).filter((k) => k !== 'any');
      if (extra.length > 0)
        ctx.report(
          [...path, g, extra[0]!],
          'condition-shape',
          `'${extra[0]}' cannot stand beside 'any:' in one item`,
          "move it into its own list item, or inside 'any:'",
        );
      return {
        conditions: item.any.map((condition, c) =>
          compileCondition(
            condition,
            [...path, g, 'any', c],
            pointer(groupPointer, 'conditions', c),
            use,
            ctx,
          ),
        ),
      };
    }
    return {
      conditions: [compileCondition(item, [...path, g], pointer(groupPointer, 'conditions', 0), use, ctx)],
    };
  });
}

function compileCondition(
  condition: Condition,
  path: YamlPath,
  at: string,
  use: ConditionUse,
  ctx: CompileContext,
): unknown {
  ctx.map(at, path);
  const kinds = DISCRIMINATORS.filter((k) => condition[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.report(
      path,
      'condition-shape',
      kinds.length === 0
        ? 'a condition needs one of: consent, metric, profile, member_of, not_member_of, region, predictive, not_in_flow, raw'
        : `one condition per item: found ${kinds.join(' and ')}`,
      kinds.length === 0
        ? undefined
        : 'split them into separate list items (all must hold) or put them under any:',
    );
    return {};
  }
  const kind = kinds[0]!;
  if (kind !== 'metric') {
    const stray = METRIC_ONLY.find(
      (k) => condition[k] !== undefined && !(k === 'within' && (kind === 'member_of' || kind === 'consent')),
    );
    if (stray)
      ctx.report(
        [...path, stray],
        'condition-shape',
        `'${stray}' belongs to a metric condition`,
        "add 'metric: <name>' or remove it",
      );
  }
  switch (kind) {
    case 'any':
      ctx.report(
        [...path, 'any'],
        'condition-shape',
        "'any:' cannot be nested inside 'any:'",
        'Klaviyo groups are one level deep: flatten the list',
      );
      return {};
    case 'consent':
      return consentCondition(condition.consent!, condition.within);
    case 'metric':
      return metricCondition(condition, path, at, use, ctx);
    case 'profile':
      return {
        type: 'profile-property',
        property: profilePropertyName(condition.profile!.property),
        filter: propertyFilter(condition.profile!, [...path, 'profile'], 'profile', ctx),
      };
    case 'member_of':
    case 'not_member_of': {
      const ref = condition[kind]!;
      const refKind = 'list' in ref ? 'list' : 'segment';
      const key = 'list' in ref ? ref.list : ref.segment;
      const membership: Record<string, unknown> = {
        type: 'profile-group-membership',
        is_member: kind === 'member_of',
        group_ids: [ctx.ref(refKind, key, pointer(at, 'group_ids', 0), [...path, kind, refKind])],
      };
      // `within` on member_of: joined the list or segment in the last N days.
      if (condition.within !== undefined && condition.within !== 'alltime') {
        membership.timeframe_filter = {
          type: 'date',
          operator: 'in-the-last',
          unit: condition.within.unit,
          quantity: condition.within.last,
        };
      }
      return membership;
    }
    case 'region': {
      const region = condition.region!;
      return {
        type: 'profile-region',
        in_region: region.in !== undefined,
        region: region.in ?? region.not_in,
      };
    }
    case 'predictive': {
      const { dimension, ...test } = condition.predictive!;
      return {
        type: 'profile-predictive-analytics',
        dimension,
        filter: numericFilter(test, [...path, 'predictive'], ctx, false),
      };
    }
    case 'not_in_flow': {
      if (use !== 'entry-filter') {
        ctx.report(
          [...path, 'not_in_flow'],
          'condition-context',
          "'not_in_flow' only works in a flow's entry_filters",
        );
        return {};
      }
      const value = condition.not_in_flow!;
      return {
        type: 'profile-not-in-flow',
        timeframe_filter:
          value === 'alltime'
            ? { type: 'date', operator: 'alltime' }
            : { type: 'date', operator: 'in-the-last', unit: value.within.unit, quantity: value.within.last },
      };
    }
    case 'raw':
      return { ...condition.raw! };
  }
}

/**
 * `within` beside `consent`: the consent's status date lies in the window ("subscribed in the last 30 days"),
 * Klaviyo's `status_date` filter, which every channel's "can receive marketing" status takes.
 */
function consentCondition(consent: NonNullable<Condition['consent']>, within: Condition['within']): unknown {
  const filters: unknown[] = [];
  if (consent.channel === 'email' && consent.double_opt_in)
    filters.push({ field: 'is_double_opt_in', filter: { type: 'boolean', operator: 'equals', value: true } });
  if (within !== undefined && within !== 'alltime')
    filters.push({
      field: 'status_date',
      filter: { type: 'date', operator: 'in-the-last', unit: within.unit, quantity: within.last },
    });
  return {
    type: 'profile-marketing-consent',
    consent: {
      channel: consent.channel,
      can_receive_marketing: true,
      consent_status: {
        subscription: consent.channel === 'push' ? 'any' : 'subscribed',
        filters: filters.length > 0 ? filters : null,
      },
    },
  };
}

function metricCondition(
  condition: Condition,
  path: YamlPath,
  at: string,
  use: ConditionUse,
  ctx: CompileContext,
): unknown {
  const metricId = ctx.ref('metric', condition.metric!, pointer(at, 'metric_id'), [...path, 'metric']);
  if (condition.count !== undefined && condition.sum !== undefined)
    ctx.report([...path, 'sum'], 'condition-shape', "use either 'count' or 'sum', not both");
  const measurement = condition.sum !== undefined ? 'sum' : 'count';
  const test: NumericTest = condition.sum ?? condition.count ?? { at_least: 1 };
  if (condition.within !== undefined && condition.since !== undefined)
    ctx.report([...path, 'since'], 'condition-shape', "use either 'within' or 'since', not both");
  let timeframe: unknown = { type: 'date', operator: 'alltime' };
  if (condition.since === 'flow_start') {
    if (use === 'segment')
      ctx.report(
        [...path, 'since'],
        'condition-context',
        "'since: flow_start' only works in flows",
        "use 'within:' in a segment",
      );
    timeframe = { type: 'date', operator: 'flow-start' };
  } else if (condition.within !== undefined && condition.within !== 'alltime') {
    timeframe = {
      type: 'date',
      operator: 'in-the-last',
      unit: condition.within.unit,
      quantity: condition.within.last,
    };
  }
  return {
    type: 'profile-metric',
    metric_id: metricId,
    measurement,
    measurement_filter: numericFilter(test, [...path, measurement], ctx, false),
    timeframe_filter: timeframe,
    metric_filters: condition.where
      ? condition.where.map((test, i) => ({
          property: test.property,
          filter: propertyFilter(test, [...path, 'where', i], 'metric-filter', ctx),
        }))
      : null,
  };
}

const NUMERIC_OPERATORS: Record<string, string> = {
  equals: 'equals',
  not_equals: 'not-equals',
  more_than: 'greater-than',
  at_least: 'greater-than-or-equal',
  less_than: 'less-than',
  at_most: 'less-than-or-equal',
};

const STRING_OPERATORS: Record<string, string> = {
  equals: 'equals',
  not_equals: 'not-equals',
  contains: 'contains',
  not_contains: 'not-contains',
  starts_with: 'starts-with',
  ends_with: 'ends-with',
};

function numericFilter(
  test: NumericTest,
  path: YamlPath,
  ctx: CompileContext,
  rangeAllowed: boolean,
): unknown {
  if (test.between !== undefined) {
    if (!rangeAllowed) {
      ctx.report(
        [...path, 'between'],
        'condition-shape',
        "Klaviyo has no 'between' here",
        "use 'at_least' and 'at_most' in two conditions",
      );
      return { type: 'numeric', operator: 'greater-than-or-equal', value: test.between[0] };
    }
    return { type: 'numeric', operator: 'between', start: test.between[0], end: test.between[1] };
  }
  const [name, value] = Object.entries(test).find(([k]) => k in NUMERIC_OPERATORS) ?? ['at_least', 1];
  return { type: 'numeric', operator: NUMERIC_OPERATORS[name], value };
}

/** Where a property test is used decides which Klaviyo filter types exist there. */
type PropertyUse = 'profile' | 'metric-filter' | 'trigger';

export function propertyFilter(
  test: PropertyTest,
  path: YamlPath,
  use: PropertyUse,
  ctx: CompileContext,
): unknown {
  const entry = Object.entries(test).find(([k]) => k !== 'property');
  if (!entry) return { type: 'existence', operator: 'is-set' };
  const [name, value] = entry;
  if (name === 'is_set') return { type: 'existence', operator: value ? 'is-set' : 'not-set' };
  if (name === 'in' || name === 'not_in')
    return { type: 'string', operator: name === 'in' ? 'in' : 'not-in', value };
  if (name === 'between')
    return numericFilter({ between: value as [number, number] }, path, ctx, use === 'trigger');
  if (typeof value === 'boolean') {
    if (name !== 'equals')
      ctx.report(
        [...path, name],
        'condition-shape',
        `'${name}' does not apply to true/false`,
        "use 'equals'",
      );
    return { type: 'boolean', operator: 'equals', value };
  }
  if (typeof value === 'number') {
    if (!(name in NUMERIC_OPERATORS)) {
      ctx.report(
        [...path, name],
        'condition-shape',
        `'${name}' compares text; ${value} is a number`,
        `quote it: '${value}'`,
      );
      return { type: 'string', operator: STRING_OPERATORS[name] ?? 'equals', value: String(value) };
    }
    return { type: 'numeric', operator: NUMERIC_OPERATORS[name], value };
  }
  if (!(name in STRING_OPERATORS)) {
    ctx.report(
      [...path, name],
      'condition-shape',
      `'${name}' compares numbers; ${JSON.stringify(value)} is text`,
    );
    return { type: 'string', operator: 'equals', value: String(value) };
  }
  return { type: 'string', operator: STRING_OPERATORS[name], value };
}

/** `trigger.where` / `trigger_split.where`: each test is one group of event-property conditions on the metric. */
export function compileTriggerFilter(
  tests: PropertyTest[],
  metricName: string,
  path: YamlPath,
  base: string,
  ctx: CompileContext,
): { condition_groups: Array<{ conditions: unknown[] }> } {
  return {
    condition_groups: tests.map((test, i) => {
      const at = pointer(base, 'condition_groups', i, 'conditions', 0);
      ctx.map(at, [...path, i]);
      return {
        conditions: [
          {
            type: 'metric-property',
            metric_id: ctx.ref('metric', metricName, pointer(at, 'metric_id'), [...path, i], false),
            field: test.property,
            filter: propertyFilter(test, [...path, i], 'trigger', ctx),
          },
        ],
      };
    }),
  };
}
