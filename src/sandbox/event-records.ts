/**
 * Recording an event the way Klaviyo does for both the single and the bulk endpoint: the metric is created on
 * first use by name, the time is kept to the second, and only the first event per (profile, metric, unique_id)
 * is kept (without a unique_id, the time to the second stands in for it).
 */
import { randomUUID } from 'node:crypto';
import type { HandlerContext } from './context.js';
import { freshId } from './handlers/common.js';
import { ids } from './ids.js';
import { clone, obj, str, type JsonObject } from './json.js';
import type { MetricRecord, ProfileRecord } from './store.js';

const API_INTEGRATION = { object: 'integration', id: 'api', key: 'api', name: 'API', category: 'API' };

export function metricNamed(ctx: HandlerContext, name: string, service: string | undefined): MetricRecord {
  const existing = Object.values(ctx.account.metrics).find((m) => m.name === name);
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

/** Every dedupe key of the account, for requests that record many events at once. */
export function recordedKeys(ctx: HandlerContext): Set<string> {
  return new Set(Object.values(ctx.account.events).map((e) => e.dedupeKey));
}

export interface EventInput {
  /** The event's `attributes` as sent: properties, time, value, unique_id. */
  attributes: JsonObject;
  metric: MetricRecord;
  backfill: boolean;
}

/** Records the event unless its key is already in `recorded`; returns whether it was recorded. */
export function recordEvent(
  ctx: HandlerContext,
  profile: ProfileRecord,
  input: EventInput,
  recorded: Set<string>,
): boolean {
  const a = input.attributes;
  const datetime = eventDatetime(ctx, a.time);
  const dedupeKey = dedupeKeyOf(profile.id, input.metric.id, str(a.unique_id) ?? datetime);
  if (recorded.has(dedupeKey)) return false;
  recorded.add(dedupeKey);
  const id = freshId(ctx.account.events, () => ids.ulid(ctx.nowMs));
  const properties = clone(obj(a.properties));
  if (typeof a.value === 'number') properties.$value = a.value;
  ctx.account.events[id] = {
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
  const last = str(profile.attributes.last_event_date);
  if (last === undefined || Date.parse(last) < Date.parse(datetime))
    profile.attributes.last_event_date = datetime;
  return true;
}
