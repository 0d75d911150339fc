/**
 * Flow triggers in words, with everything that decides when a flow sends: the list, segment or metric, and for
 * a date trigger the days before, the send time and the recurrence. A trigger change names the option that
 * changed ("days before: 2 -> 3"), not two copies of the trigger object.
 */
import { fieldChanges } from '../../engine/diff/fields.js';
import { isRecord, type Json } from '../../engine/normalize.js';
import { describeConditionGroups, refName } from './conditions.js';
import { conditionChanges } from './condition-diff.js';
import { valuePair } from './value-diff.js';

const RECURRENCE: Record<string, string> = {
  annually: 'every year',
  monthly: 'every month',
  weekly: 'every week',
  daily: 'every day',
  'one-time': 'once',
};

/** Date-trigger options by what a flow file calls them. */
const TRIGGER_OPTIONS: Record<string, string> = {
  date_profile_property: 'date property',
  timedelta_value_before_date: 'days before',
  timedelta_unit_before_date: 'unit of days before',
  trigger_time: 'send time',
  recurrence_frequency: 'recurrence',
  timezone: 'time zone',
  id: 'trigger',
  trigger_filter: 'trigger filter',
};

function time(value: unknown): string {
  return String(value).replace(/^(\d\d:\d\d):00$/, '$1');
}

export function describeTrigger(trigger: unknown): string {
  if (!isRecord(trigger)) return 'none';
  switch (trigger.type) {
    case 'list':
    case 'segment':
      return `added to ${refName(trigger.id)}`;
    case 'metric': {
      const filter = isRecord(trigger.trigger_filter)
        ? ` where ${describeConditionGroups(trigger.trigger_filter)}`
        : '';
      return `${refName(trigger.id)}${filter}`;
    }
    case 'date': {
      const property = String(
        trigger.date_profile_property ?? trigger.custom_object_label ?? 'a date property',
      );
      const before = Number(trigger.timedelta_value_before_date ?? 0);
      const unit = String(trigger.timedelta_unit_before_date ?? 'days').replace(/s$/, '');
      const when = before === 0 ? 'on the day' : `${before} ${unit}${before === 1 ? '' : 's'} before`;
      const at = trigger.trigger_time ? ` at ${time(trigger.trigger_time)}` : '';
      const tz = trigger.timezone && trigger.timezone !== 'profile' ? ` (${String(trigger.timezone)})` : '';
      const recurrence = trigger.recurrence_frequency
        ? `, ${RECURRENCE[String(trigger.recurrence_frequency)] ?? String(trigger.recurrence_frequency)}`
        : '';
      return `date of ${property}: ${when}${at}${tz}${recurrence}`;
    }
    default:
      return String(trigger.type);
  }
}

function optionValue(key: string, value: Json | undefined): Json | undefined {
  if (value === undefined) return value;
  if (key === 'trigger_time') return time(value);
  if (key === 'recurrence_frequency') return RECURRENCE[String(value)] ?? value;
  if (key === 'id') return refName(value);
  return value;
}

/** One line per changed trigger option: "trigger days before: 2 -> 3". */
export function triggerChanges(before: Json | undefined, after: Json | undefined): string[] {
  const was = Array.isArray(before) ? before : [];
  const now = Array.isArray(after) ? after : [];
  const sameKind =
    was.length === now.length &&
    was.every((t, i) => isRecord(t) && isRecord(now[i]) && t.type === (now[i] as Record<string, Json>).type);
  if (!sameKind) {
    return [
      `trigger: ${was.map(describeTrigger).join(', ') || 'none'} -> ${now.map(describeTrigger).join(', ') || 'none'}`,
    ];
  }
  const lines = fieldChanges(before, after, '').map((change) => {
    const key = change.path.split('.')[1] ?? change.path;
    const label = TRIGGER_OPTIONS[key] ?? key.replace(/_/g, ' ');
    if (key === 'trigger_filter') {
      const i = Number(change.path.split('.')[0]);
      const filter = (t: Json | undefined): Json | undefined => (isRecord(t) ? t.trigger_filter : undefined);
      return conditionChanges(filter(was[i]), filter(now[i]))
        .map((line) => `trigger filter ${line}`)
        .join('\n');
    }
    const [from, to] = valuePair(optionValue(key, change.before), optionValue(key, change.after));
    return `trigger ${label}: ${from} -> ${to}`;
  });
  // A changed trigger filter shows once, however many of its leaves changed.
  return [...new Set(lines.flatMap((line) => line.split('\n')))];
}
