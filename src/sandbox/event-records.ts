/**
 * Recording an event the way Klaviyo does for both the single and the bulk endpoint: the metric is created on
 * first use by name, the time is kept to the second, and only the first event per (profile, metric, unique_id)
 * is kept (without a unique_id, the time to the second stands in for it).
 */
import { randomUUID } from 'node:crypto';
import type { HandlerContext } from './context.js';
import { freshId } from './handlers/common.js';
import { ids } from './ids.js';
import { obj, str, type JsonObject } from './json.js';
import { eventIndex, indexEvent } from './indexes.js';
import type { EventRecord, MetricRecord, ProfileRecord } from './store.js';
import { rawAccount } from './write-journal.js';

const API_INTEGRATION = { object: 'integration', id: 'api', key: 'api', name: 'API', category: 'API' };

export function metricNamed(ctx: HandlerContext, name: string, service: string | undefined): MetricRecord {
  // Read-only scan of the plain store: the journal's view would copy every metric it reads.
  const existing = Object.values(rawAccount(ctx.account).metrics).find((m) => m.name === name);
  if (existing) return existing;
  const id = freshId(ctx.account.metrics, ids.short);
  const integration = service ? { ...API_INTEGRATION, name: service, key: service } : API_INTEGRATION;
  const metric: MetricRecord = { id, name, integration, created: ctx.now, updated: ctx.now };
  ctx.account.metrics[id] = metric;
  return metric;
}

/** Klaviyo's event datetime: the given time (or now) truncated to the second. */
export function eventDatetime(ctx: HandlerContext, time: unknown): string {
  const ms = Date.parse(str(time) ?? ctx.now);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/** The key Klaviyo dedupes events on. */
export function dedupeKeyOf(profileId: string, metricId: string, uniqueId: string): string {
  return `${profileId}|${metricId}|${uniqueId}`;
}

export interface EventInput {
  /** The event's `attributes` as sent: properties, time, value, unique_id. */
  attributes: JsonObject;
  metric: MetricRecord;
  backfill: boolean;
}

/** Records the event unless its dedupe key is already recorded; returns whether it was recorded. */
export function recordEvent(ctx: HandlerContext, profile: ProfileRecord, input: EventInput): boolean {
  const a = input.attributes;
  const datetime = eventDatetime(ctx, a.time);
  const dedupeKey = dedupeKeyOf(profile.id, input.metric.id, str(a.unique_id) ?? datetime);
  if (eventIndex(ctx.account).keys.has(dedupeKey)) return false;
  const id = freshId(ctx.account.events, () => ids.ulid(ctx.nowMs));
  // The body was parsed for this request alone: its properties are kept as they are, not copied.
  const properties = ctx.eventDetail === 'summary' ? {} : obj(a.properties);
  if (typeof a.value === 'number') properties.$value = a.value;
  const event: EventRecord = {
    id,
    profileId: profile.id,
    metricId: input.metric.id,
    datetime,
    timestamp: Date.parse(datetime) / 1000,
    properties,
    uuid: randomUUID(),
    dedupeKey,
    ...(input.backfill ? { backfill: true } : {}),
  };
  ctx.account.events[id] = event;
  indexEvent(ctx.account, event);
  const last = str(profile.attributes.last_event_date);
  if (last === undefined || Date.parse(last) < Date.parse(datetime))
    profile.attributes.last_event_date = datetime;
  return true;
}
