import type { Condition, LoadedFlow, NumericTest, PropertyTest } from '../model.js';
import { guaranteedConditions } from './conditions.js';
import type { FlowRule, RuleFinding } from './rule.js';

/** What starts a flow, as a comparable string. */
export function triggerSignature(flow: LoadedFlow): string | undefined {
  const t = flow.value.trigger;
  if (t.metric !== undefined) return `metric '${t.metric}'`;
  if (t.list !== undefined) return `list '${t.list}'`;
  if (t.segment !== undefined) return `segment '${t.segment}'`;
  if (t.date !== undefined) return `date property '${t.date.property}'`;
  return undefined;
}

/**
 * Two flows that start on the same trigger both send to everyone who passes both sets of filters. They are
 * fine only when their audiences cannot overlap: some condition of one contradicts a condition of the other
 * (Gold vs Silver tier, member vs not member, $value above vs at most 100, ...). Draft flows send nothing.
 */
export const flowDuplicateTrigger: FlowRule = {
  id: 'flow-duplicate-trigger',
  defaultSeverity: 'warning',
  description: 'Two sending flows on the same trigger with overlapping filters send duplicates.',
  checkBrand(_project, brand) {
    const findings: RuleFinding[] = [];
    const sending = [...brand.flows.values()].filter(
      (f) => f.valid && (f.value.status ?? 'draft') !== 'draft',
    );
    sending.forEach((flow, i) => {
      const signature = triggerSignature(flow);
      if (signature === undefined) return;
      for (const earlier of sending.slice(0, i)) {
        if (triggerSignature(earlier) !== signature) continue;
        if (audiencesDisjoint(earlier, flow)) continue;
        findings.push({
          path: ['trigger'],
          at: flow.at,
          message: `flows '${earlier.key}' and '${flow.key}' both start on ${signature} with overlapping filters: a profile can get both (${earlier.file})`,
          fix: "add an entry filter that excludes the other flow's audience, or merge the two flows with a split",
        });
        return;
      }
    });
    return findings;
  },
};

interface Audience {
  conditions: Condition[];
  event: PropertyTest[];
}

function audienceOf(flow: LoadedFlow): Audience {
  return {
    conditions: guaranteedConditions(flow.value.entry_filters),
    event: flow.value.trigger.where ?? [],
  };
}

export function audiencesDisjoint(a: LoadedFlow, b: LoadedFlow): boolean {
  const x = audienceOf(a);
  const y = audienceOf(b);
  for (const p of x.event)
    for (const q of y.event) if (p.property === q.property && propertyTestsDisjoint(p, q)) return true;
  for (const p of x.conditions) for (const q of y.conditions) if (conditionsDisjoint(p, q)) return true;
  return false;
}

function conditionsDisjoint(a: Condition, b: Condition): boolean {
  if (a.profile && b.profile)
    return a.profile.property === b.profile.property && propertyTestsDisjoint(a.profile, b.profile);
  const groupKey = (c: Condition['member_of']): string | undefined =>
    c === undefined ? undefined : 'list' in c ? `list:${c.list}` : `segment:${c.segment}`;
  if (a.member_of && b.not_member_of) return groupKey(a.member_of) === groupKey(b.not_member_of);
  if (a.not_member_of && b.member_of) return groupKey(a.not_member_of) === groupKey(b.member_of);
  if (a.region && b.region) {
    const inA = a.region.in ?? a.region.not_in;
    const inB = b.region.in ?? b.region.not_in;
    return inA === inB && (a.region.in === undefined) !== (b.region.in === undefined);
  }
  if (a.metric !== undefined && a.metric === b.metric) {
    const sameWindow =
      JSON.stringify(a.within ?? 'alltime') === JSON.stringify(b.within ?? 'alltime') && a.since === b.since;
    const sameMeasure =
      (a.sum !== undefined) === (b.sum !== undefined) && JSON.stringify(a.where) === JSON.stringify(b.where);
    if (sameWindow && sameMeasure)
      return intervalsDisjoint(
        interval(a.sum ?? a.count ?? { at_least: 1 }),
        interval(b.sum ?? b.count ?? { at_least: 1 }),
      );
  }
  return false;
}

function propertyTestsDisjoint(a: PropertyTest, b: PropertyTest): boolean {
  if (a.is_set !== undefined && b.is_set !== undefined) return a.is_set !== b.is_set;
  if (a.is_set === false || b.is_set === false) {
    // "not set" contradicts any test that requires a value
    const other = a.is_set === false ? b : a;
    return other.is_set === undefined;
  }
  const valuesA = discreteValues(a);
  const valuesB = discreteValues(b);
  if (valuesA && valuesB) return !valuesA.some((v) => valuesB.includes(v));
  if (a.equals !== undefined && b.not_equals !== undefined) return a.equals === b.not_equals;
  if (b.equals !== undefined && a.not_equals !== undefined) return b.equals === a.not_equals;
  const ia = numericInterval(a);
  const ib = numericInterval(b);
  return ia !== undefined && ib !== undefined && intervalsDisjoint(ia, ib);
}

function discreteValues(test: PropertyTest): Array<string | number | boolean> | undefined {
  if (test.equals !== undefined) return [test.equals];
  if (test.in !== undefined) return test.in;
  return undefined;
}

interface Interval {
  low: number;
  lowOpen: boolean;
  high: number;
  highOpen: boolean;
}

function numericInterval(test: PropertyTest): Interval | undefined {
  const numeric: NumericTest = {};
  for (const k of ['more_than', 'at_least', 'less_than', 'at_most'] as const)
    if (test[k] !== undefined) numeric[k] = test[k];
  if (typeof test.equals === 'number') numeric.equals = test.equals;
  if (test.between) numeric.between = test.between;
  return Object.keys(numeric).length === 0 ? undefined : interval(numeric);
}

function interval(test: NumericTest): Interval {
  const all: Interval = { low: -Infinity, lowOpen: true, high: Infinity, highOpen: true };
  if (test.equals !== undefined)
    return { low: test.equals, lowOpen: false, high: test.equals, highOpen: false };
  if (test.between) return { low: test.between[0], lowOpen: false, high: test.between[1], highOpen: false };
  if (test.more_than !== undefined) return { ...all, low: test.more_than, lowOpen: true };
  if (test.at_least !== undefined) return { ...all, low: test.at_least, lowOpen: false };
  if (test.less_than !== undefined) return { ...all, high: test.less_than, highOpen: true };
  if (test.at_most !== undefined) return { ...all, high: test.at_most, highOpen: false };
  return all;
}

function intervalsDisjoint(a: Interval, b: Interval): boolean {
  const below = (x: Interval, y: Interval): boolean =>
    x.high < y.low || (x.high === y.low && (x.highOpen || y.lowOpen));
  return below(a, b) || below(b, a);
}
