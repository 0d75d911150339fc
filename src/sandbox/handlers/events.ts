/** Events and metrics: an event upserts its profile, creates its metric on first use, dedupes on unique_id. */
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
import { metricNamed, recordEvent } from '../event-records.js';
import { bodyAttributes, getPath, obj, str } from '../json.js';
import type { EventRecord, MetricRecord } from '../store.js';
import { found, pathId } from './common.js';
import { profileResource, upsertProfile } from './profiles.js';

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
    recordEvent(ctx, profile, { attributes: a, metric, backfill: false });
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
