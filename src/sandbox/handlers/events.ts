/** Events and metrics: an event upserts its profile, creates its metric on first use, dedupes on unique_id. */
import { randomUUID } from 'node:crypto';
import type { Handler, HandlerContext } from '../context.js';
import {
  listDocument,
  listParam,
  relationship,
  selfLink,
  singleDocument,
  type Resource,
} from '../documents.js';
import { invalid } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, clone, getPath, obj, str } from '../json.js';
import type { EventRecord, MetricRecord } from '../store.js';
import { found, freshId, pathId } from './common.js';
import { profileResource, upsertProfile } from './profiles.js';

const API_INTEGRATION = { object: 'integration', id: 'api', key: 'api', name: 'API', category: 'API' };

export function metricResource(m: MetricRecord, ctx: HandlerContext): Resource {
  return {
    type: 'metric',
    id: m.id,
    attributes: { name: m.name, created: m.created, updated: m.updated, integration: m.integration },
    relationships: {
      'flow-triggers': relationship(ctx.baseUrl, 'metrics', m.id, 'flow-triggers', undefined),
    },
    links: { self: selfLink(ctx.baseUrl, 'metrics', m.id) },
  };
}

function eventResource(e: EventRecord, ctx: HandlerContext): Resource {
  return {
    type: 'event',
    id: e.id,
    attributes: {
      timestamp: e.timestamp,
      event_properties: e.properties,
      datetime: e.datetime,
      uuid: e.uuid,
    },
    relationships: {
      profile: relationship(ctx.baseUrl, 'events', e.id, 'profile', { type: 'profile', id: e.profileId }),
      metric: relationship(ctx.baseUrl, 'events', e.id, 'metric', { type: 'metric', id: e.metricId }),
    },
    links: { self: selfLink(ctx.baseUrl, 'events', e.id) },
  };
}

function metricNamed(ctx: HandlerContext, name: string, service: string | undefined): MetricRecord {
  const existing = Object.values(ctx.account.metrics).find((m) => m.name === name);
  if (existing) return existing;
  const id = freshId(ctx.account.metrics, ids.short);
  const integration = service ? { ...API_INTEGRATION, name: service, key: service } : API_INTEGRATION;
  const metric: MetricRecord = { id, name, integration, created: ctx.now, updated: ctx.now };
  ctx.account.metrics[id] = metric;
  return metric;
}

export const eventHandlers: Record<string, Handler> = {
  get_metrics: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.metrics).map((m) => metricResource(m, ctx)),
      { fixedPageSize: 200 },
    ),
  }),

  get_metric: (req, ctx) => ({
    status: 200,
    body: singleDocument(req, metricResource(found(ctx.account.metrics, pathId(req), 'metric'), ctx)),
  }),

  create_event: (req, ctx) => {
    const a = bodyAttributes(req.body);
    const metricAttributes = obj(getPath(a, 'metric.data.attributes'));
    const profileData = obj(getPath(a, 'profile.data'));
    const profileId = str(profileData.id);
    if (profileId !== undefined && !(profileId in ctx.account.profiles))
      throw invalid(`The profile with id '${profileId}' does not exist.`, {
        pointer: '/data/attributes/profile/data/id',
      });
    const { profile } = upsertProfile(ctx, obj(profileData.attributes), profileId);
    const metric = metricNamed(ctx, String(metricAttributes.name), str(metricAttributes.service));
    const time = str(a.time) ?? ctx.now;
    const ms = Date.parse(time);
    const datetime = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
    const uniqueId = str(a.unique_id) ?? datetime;
    const dedupeKey = `${profile.id}|${metric.id}|${uniqueId}`;
    if (Object.values(ctx.account.events).some((e) => e.dedupeKey === dedupeKey)) return { status: 202 };
    const id = freshId(ctx.account.events, () => ids.ulid(ctx.nowMs));
    const properties = clone(obj(a.properties));
    if (typeof a.value === 'number') properties.$value = a.value;
    ctx.account.events[id] = {
      id,
      profileId: profile.id,
      metricId: metric.id,
      datetime,
      timestamp: Math.floor(ms / 1000),
      properties,
      uuid: randomUUID(),
      dedupeKey,
    };
    profile.attributes.last_event_date = datetime;
    return { status: 202 };
  },

  get_events: (req, ctx) => {
    const all = Object.values(ctx.account.events).map((e) => eventResource(e, ctx));
    return {
      status: 200,
      body: listDocument(req, all, {
        fieldOf: (r, name) => {
          const e = ctx.account.events[r.id];
          if (name === 'id') return r.id;
          if (name === 'metric_id') return e?.metricId;
          if (name === 'profile_id') return e?.profileId;
          return r.attributes[name];
        },
        includer: (page, include) =>
          page.flatMap((r) => {
            const e = ctx.account.events[r.id];
            const out: Resource[] = [];
            const metric = ctx.account.metrics[e?.metricId ?? ''];
            const profile = ctx.account.profiles[e?.profileId ?? ''];
            if (include.includes('metric') && metric) out.push(metricResource(metric, ctx));
            if (include.includes('profile') && profile) out.push(profileResource(profile, ctx));
            return out;
          }),
      }),
    };
  },

  get_event: (req, ctx) => {
    const e = found(ctx.account.events, pathId(req), 'event');
    const include = listParam(req.url, 'include');
    const metric = ctx.account.metrics[e.metricId];
    return {
      status: 200,
      body: singleDocument(
        req,
        eventResource(e, ctx),
        include.includes('metric') && metric ? [metricResource(metric, ctx)] : undefined,
      ),
    };
  },
};
