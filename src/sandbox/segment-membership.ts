/**
 * Who is in a segment, computed when asked (profile_count, the segment's profiles) from the account as it is:
 * condition groups are ANDed, the conditions inside a group ORed, as Klaviyo evaluates them. Metric conditions
 * read only their metric's events, through the event index, once per condition and not once per profile.
 *
 * Modelled: profile-metric (count or sum of `$value`, timeframes alltime / in-the-last / before / after /
 * between-static, metric filters on event properties), profile-property, profile-marketing-consent (email and
 * SMS; push is never reachable here), profile-group-membership (lists and segments), profile-region (by the
 * location's country). Not modelled: the time a profile joined a list (a membership timeframe is ignored),
 * predictive analytics (the sandbox computes none, so such a condition holds for nobody), and every other
 * condition type, which is refused with 501 naming it rather than counted wrong.
 */
import { KlaviyoHttpError } from './errors.js';
import { eventIndex } from './indexes.js';
import { getPath, isObject, obj, str, type JsonObject } from './json.js';
import type { AccountState, ProfileRecord } from './store.js';
import { rawAccount } from './write-journal.js';

type Test = (profile: ProfileRecord) => boolean;

const UNIT_MS: Record<string, number> = {
  hour: 3600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

const EU = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'
    .split(' ')
    .concat(
      'Austria Belgium Bulgaria Croatia Cyprus Czechia Denmark Estonia Finland France Germany Greece Hungary Ireland Italy Latvia Lithuania Luxembourg Malta Netherlands Poland Portugal Romania Slovakia Slovenia Spain Sweden'.split(
        ' ',
      ),
    ),
);
const US = new Set(['US', 'USA', 'United States', 'United States of America']);

function notModelled(what: string): KlaviyoHttpError {
  return new KlaviyoHttpError(
    501,
    'not_implemented',
    'Not implemented.',
    `The local sandbox cannot compute segment membership for ${what}.`,
  );
}

/** Whether a time (ms) falls in a date filter, relative to now. */
function inTimeframe(filter: JsonObject, ms: number, nowMs: number): boolean {
  const operator = str(filter.operator);
  switch (operator) {
    case undefined:
    case 'alltime':
      return true;
    case 'in-the-last': {
      const unit = UNIT_MS[String(filter.unit)];
      if (unit === undefined) throw notModelled(`the time unit '${String(filter.unit)}'`);
      return ms >= nowMs - Number(filter.quantity) * unit && ms <= nowMs;
    }
    case 'before':
      return ms < Date.parse(String(filter.date));
    case 'after':
      return ms > Date.parse(String(filter.date));
    case 'between-static':
      return ms >= Date.parse(String(filter.start)) && ms <= Date.parse(String(filter.end));
    default:
      throw notModelled(`the date filter '${operator}'`);
  }
}

function numeric(filter: JsonObject, actual: unknown): boolean {
  if (typeof actual !== 'number') return false;
  const value = Number(filter.value);
  switch (filter.operator) {
    case 'equals':
      return actual === value;
    case 'not-equals':
      return actual !== value;
    case 'greater-than':
      return actual > value;
    case 'greater-than-or-equal':
      return actual >= value;
    case 'less-than':
      return actual < value;
    case 'less-than-or-equal':
      return actual <= value;
    case 'between':
      return actual >= Number(filter.start) && actual <= Number(filter.end);
    default:
      throw notModelled(`the numeric operator '${String(filter.operator)}'`);
  }
}

/** Evaluates a property filter (string, numeric, boolean, existence, date) against one value. */
export function filterHolds(filter: JsonObject, actual: unknown, nowMs: number): boolean {
  const value = filter.value;
  switch (filter.type) {
    case 'existence':
      return (actual !== undefined && actual !== null && actual !== '') === (filter.operator === 'is-set');
    case 'numeric':
      return numeric(filter, actual);
    case 'boolean':
      return actual === value;
    case 'date': {
      const ms = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
      return !Number.isNaN(ms) && inTimeframe(filter, ms, nowMs);
    }
    case 'string':
    case 'string-in': {
      const text =
        typeof actual === 'string' ? actual : typeof actual === 'number' ? String(actual) : undefined;
      const list = Array.isArray(value) ? value.map(String) : [String(value)];
      switch (filter.operator) {
        case 'equals':
          return text === value;
        case 'not-equals':
          return text !== value;
        case 'contains':
          return text !== undefined && text.includes(String(value));
        case 'not-contains':
          return text === undefined || !text.includes(String(value));
        case 'starts-with':
          return text !== undefined && text.startsWith(String(value));
        case 'ends-with':
          return text !== undefined && text.endsWith(String(value));
        case 'in':
          return text !== undefined && list.includes(text);
        case 'not-in':
          return text === undefined || !list.includes(text);
        default:
          throw notModelled(`the string operator '${String(filter.operator)}'`);
      }
    }
    default:
      throw notModelled(`the filter type '${String(filter.type)}'`);
  }
}

/** A profile property as a segment names it: `email`, a location field, or `properties['Name']`. */
function profileProperty(profile: ProfileRecord, property: string): unknown {
  const custom = /^properties\['(.*)'\]$/.exec(property);
  if (custom) return obj(profile.attributes.properties)[custom[1]!.replace(/\\'/g, "'")];
  if (property === 'created' || property === 'updated') return profile[property];
  if (property in profile.attributes) return profile.attributes[property];
  return obj(profile.attributes.location)[property];
}

function metricTest(account: AccountState, c: JsonObject, nowMs: number): Test {
  const metricId = String(c.metric_id);
  const timeframe = obj(c.timeframe_filter);
  const filters = Array.isArray(c.metric_filters) ? c.metric_filters.filter(isObject) : [];
  const sum = c.measurement === 'sum';
  const totals = new Map<string, number>();
  for (const id of eventIndex(account).byMetric.get(metricId) ?? []) {
    const event = account.events[id];
    if (!event || !inTimeframe(timeframe, event.timestamp * 1000, nowMs)) continue;
    const properties = event.properties;
    const passes = filters.every((f) => {
      const name = String(f.property);
      const actual = name in properties ? properties[name] : name === 'value' ? properties.$value : undefined;
      return filterHolds(obj(f.filter), actual, nowMs);
    });
    if (!passes) continue;
    const add = sum ? (typeof properties.$value === 'number' ? properties.$value : 0) : 1;
    totals.set(event.profileId, (totals.get(event.profileId) ?? 0) + add);
  }
  const measurement = obj(c.measurement_filter);
  return (profile) => numeric(measurement, totals.get(profile.id) ?? 0);
}

function consentTest(c: JsonObject): Test {
  const consent = obj(c.consent);
  const channel = String(consent.channel);
  const wantsReachable = consent.can_receive_marketing === true;
  const subscription = String(getPath(consent, 'consent_status.subscription') ?? 'any');
  const filters = getPath(consent, 'consent_status.filters');
  const extra = (Array.isArray(filters) ? filters : []).filter(isObject);
  return (profile) => {
    if (channel !== 'email' && channel !== 'sms') return !wantsReachable && subscription === 'any';
    const marketing = obj(getPath(profile.attributes, `subscriptions.${channel}.marketing`));
    const reachable = marketing[`can_receive_${channel}_marketing`] === true;
    const status = String(marketing.consent ?? 'NEVER_SUBSCRIBED').toLowerCase();
    if (reachable !== wantsReachable) return false;
    if (subscription !== 'any' && status !== subscription) return false;
    return extra.every((f) => {
      const field = String(f.field);
      const actual =
        field === 'is_double_opt_in'
          ? marketing.double_optin === true
          : field === 'method'
            ? String(marketing.method ?? '').toLowerCase()
            : field === 'custom_source'
              ? marketing.method_detail
              : field === 'status_date'
                ? marketing.consent_timestamp
                : undefined;
      if (actual === undefined) throw notModelled(`the consent filter '${field}'`);
      return filterHolds(obj(f.filter), actual, 0);
    });
  };
}

function conditionTest(account: AccountState, c: JsonObject, nowMs: number, seen: Set<string>): Test {
  switch (c.type) {
    case 'profile-metric':
      return metricTest(account, c, nowMs);
    case 'profile-property': {
      const property = String(c.property);
      const filter = obj(c.filter);
      return (profile) => filterHolds(filter, profileProperty(profile, property), nowMs);
    }
    case 'profile-marketing-consent':
      return consentTest(c);
    case 'profile-group-membership': {
      const members = new Set<string>();
      for (const id of Array.isArray(c.group_ids) ? c.group_ids.map(String) : []) {
        const list = account.lists[id];
        if (list) list.profileIds.forEach((p) => members.add(p));
        else if (account.segments[id] && !seen.has(id))
          segmentMembers(account, id, nowMs, seen).forEach((p) => members.add(p));
      }
      const isMember = c.is_member !== false;
      return (profile) => members.has(profile.id) === isMember;
    }
    case 'profile-region': {
      const region = c.region === 'european_union' ? EU : c.region === 'united_states' ? US : undefined;
      if (!region) throw notModelled(`the region '${String(c.region)}'`);
      const inRegion = c.in_region === true;
      return (profile) => region.has(String(obj(profile.attributes.location).country ?? '')) === inRegion;
    }
    case 'profile-predictive-analytics':
      return () => false; // the sandbox computes no predictive analytics: nobody qualifies
    default:
      throw notModelled(`the condition type '${String(c.type)}'`);
  }
}

/** The ids of the segment's members, in profile order. `seen` guards segments that name each other. */
export function segmentMembers(
  account: AccountState,
  segmentId: string,
  nowMs: number,
  seen = new Set<string>(),
): string[] {
  const raw = rawAccount(account);
  const segment = raw.segments[segmentId];
  if (!segment) return [];
  seen.add(segmentId);
  const groups = getPath(segment.definition, 'condition_groups');
  const tests = (Array.isArray(groups) ? groups : []).map((group) => {
    const conditions = obj(group).conditions;
    return (Array.isArray(conditions) ? conditions : []).map((c) => conditionTest(raw, obj(c), nowMs, seen));
  });
  if (tests.length === 0) return [];
  return Object.values(raw.profiles)
    .filter((profile) => tests.every((group) => group.some((test) => test(profile))))
    .map((profile) => profile.id);
}
