/**
 * Bulk profile jobs. The work is done when the job is created; the job answers `queued` then, and `complete`
 * from the first read on, so a client's polling loop runs at least once.
 */
import type { Handler, HandlerContext } from '../context.js';
import { relationship, selfLink, singleDocument, type Resource } from '../documents.js';
import { invalid } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, bodyData, getPath, isObject, obj, str, type JsonObject } from '../json.js';
import type { JobRecord, JobType, ProfileRecord } from '../store.js';
import { found, freshId, pathId, union } from './common.js';
import { upsertProfile } from './profiles.js';

const COLLECTIONS: Record<JobType, string> = {
  'profile-bulk-import-job': 'profile-bulk-import-jobs',
  'profile-suppression-bulk-create-job': 'profile-suppression-bulk-create-jobs',
  'profile-subscription-bulk-create-job': 'profile-subscription-bulk-create-jobs',
  'profile-subscription-bulk-delete-job': 'profile-subscription-bulk-delete-jobs',
};

function jobResource(job: JobRecord, ctx: HandlerContext): Resource {
  const complete = job.reads > 0;
  const collection = COLLECTIONS[job.type];
  const attributes: JsonObject = {
    status: complete ? 'complete' : 'queued',
    created_at: job.created_at,
    total_count: job.total_count,
    completed_count: complete ? job.total_count : 0,
    completed_at: complete ? job.completed_at : null,
  };
  if (job.type === 'profile-bulk-import-job')
    Object.assign(attributes, { failed_count: 0, started_at: job.created_at, expires_at: null });
  else attributes.skipped_count = 0;
  return {
    type: job.type,
    id: job.id,
    attributes,
    relationships: {
      lists: relationship(
        ctx.baseUrl,
        collection,
        job.id,
        'lists',
        job.listIds.map((id) => ({ type: 'list', id })),
      ),
      ...(job.type === 'profile-bulk-import-job'
        ? { profiles: relationship(ctx.baseUrl, collection, job.id, 'profiles', undefined) }
        : {}),
    },
    links: { self: selfLink(ctx.baseUrl, collection, job.id) },
  };
}

function bodyProfiles(body: unknown): JsonObject[] {
  const data = getPath(bodyAttributes(body), 'profiles.data');
  return Array.isArray(data) ? data.filter(isObject) : [];
}

/** List ids named by `relationships.list` (one) or `relationships.lists` (many); each must exist. */
function namedLists(ctx: HandlerContext, body: unknown): string[] {
  const relationships = obj(bodyData(body).relationships);
  const named: Array<{ id: unknown; pointer: string }> = [];
  const one = getPath(relationships, 'list.data.id');
  if (one !== undefined) named.push({ id: one, pointer: '/data/relationships/list/data/id' });
  const many = getPath(relationships, 'lists.data');
  if (Array.isArray(many))
    many.forEach((item, i) =>
      named.push({ id: obj(item).id, pointer: `/data/relationships/lists/data/${i}/id` }),
    );
  return named.map(({ id, pointer }) => {
    if (typeof id !== 'string' || !(id in ctx.account.lists))
      throw invalid(`The list with id '${String(id)}' does not exist.`, { pointer });
    return id;
  });
}

function marketingOf(profile: ProfileRecord, channel: 'email' | 'sms'): JsonObject {
  const subscriptions = obj(profile.attributes.subscriptions);
  const channelState = obj(subscriptions[channel]);
  const marketing = obj(channelState.marketing);
  channelState.marketing = marketing;
  subscriptions[channel] = channelState;
  profile.attributes.subscriptions = subscriptions;
  return marketing;
}

function setConsent(profile: ProfileRecord, channel: 'email' | 'sms', value: string, now: string): void {
  const marketing = marketingOf(profile, channel);
  // Subscribing lifts a user suppression, as Klaviyo's bulk subscribe does.
  if (channel === 'email' && value === 'SUBSCRIBED') marketing.suppression = [];
  const suppressed = Array.isArray(marketing.suppression) && marketing.suppression.length > 0;
  Object.assign(marketing, {
    consent: value,
    consent_timestamp: now,
    last_updated: now,
    [`can_receive_${channel}_marketing`]: value === 'SUBSCRIBED' && !suppressed,
  });
}

function createJob(ctx: HandlerContext, type: JobType, profileIds: string[], listIds: string[]): JobRecord {
  const id = freshId(ctx.account.jobs, () => ids.ulid(ctx.nowMs));
  const job: JobRecord = {
    id,
    type,
    created_at: ctx.now,
    completed_at: ctx.now,
    total_count: profileIds.length,
    profileIds,
    listIds,
    reads: 0,
  };
  ctx.account.jobs[id] = job;
  return job;
}

function addToLists(ctx: HandlerContext, listIds: string[], profileIds: string[]): void {
  for (const listId of listIds) {
    const list = ctx.account.lists[listId];
    if (list) list.profileIds = union(list.profileIds, profileIds);
  }
}

function getJob(type: JobType, param: string): Handler {
  return (req, ctx) => {
    const job = found(ctx.account.jobs, pathId(req, param), type);
    if (job.type !== type) throw invalid(`No ${type} with id ${job.id}.`, { parameter: param });
    job.reads += 1;
    return { status: 200, body: singleDocument(req, jobResource(job, ctx)) };
  };
}

export const bulkJobHandlers: Record<string, Handler> = {
  bulk_import_profiles: (req, ctx) => {
    const listIds = namedLists(ctx, req.body);
    const profileIds = bodyProfiles(req.body).map(
      (p) => upsertProfile(ctx, obj(p.attributes), str(p.id)).profile.id,
    );
    addToLists(ctx, listIds, profileIds);
    const job = createJob(ctx, 'profile-bulk-import-job', profileIds, listIds);
    return { status: 202, body: singleDocument(req, jobResource(job, ctx)) };
  },

  get_bulk_import_profiles_job: getJob('profile-bulk-import-job', 'job_id'),

  bulk_subscribe_profiles: (req, ctx) => {
    const listIds = namedLists(ctx, req.body);
    const profileIds = bodyProfiles(req.body).map((p) => {
      const attributes = obj(p.attributes);
      const { subscriptions, ...identity } = attributes;
      const { profile } = upsertProfile(ctx, identity, str(p.id));
      const wanted = obj(subscriptions);
      if (isObject(wanted.email)) setConsent(profile, 'email', 'SUBSCRIBED', ctx.now);
      if (isObject(wanted.sms)) setConsent(profile, 'sms', 'SUBSCRIBED', ctx.now);
      return profile.id;
    });
    addToLists(ctx, listIds, profileIds);
    createJob(ctx, 'profile-subscription-bulk-create-job', profileIds, listIds);
    return { status: 202 };
  },

  bulk_unsubscribe_profiles: (req, ctx) => {
    const listIds = namedLists(ctx, req.body);
    const profileIds = bodyProfiles(req.body).flatMap((p) => {
      const { subscriptions, ...identity } = obj(p.attributes);
      const { profile } = upsertProfile(ctx, identity, str(p.id));
      const wanted = obj(subscriptions);
      if (isObject(wanted.email) || !isObject(subscriptions))
        setConsent(profile, 'email', 'UNSUBSCRIBED', ctx.now);
      if (isObject(wanted.sms)) setConsent(profile, 'sms', 'UNSUBSCRIBED', ctx.now);
      return [profile.id];
    });
    createJob(ctx, 'profile-subscription-bulk-delete-job', profileIds, listIds);
    return { status: 202 };
  },

  bulk_suppress_profiles: (req, ctx) => {
    const relationships = obj(bodyData(req.body).relationships);
    const listId = str(getPath(relationships, 'list.data.id'));
    const segmentId = str(getPath(relationships, 'segment.data.id'));
    if (listId !== undefined && !(listId in ctx.account.lists))
      throw invalid(`The list with id '${listId}' does not exist.`, {
        pointer: '/data/relationships/list/data/id',
      });
    if (segmentId !== undefined && !(segmentId in ctx.account.segments))
      throw invalid(`The segment with id '${segmentId}' does not exist.`, {
        pointer: '/data/relationships/segment/data/id',
      });
    const named = bodyProfiles(req.body).map(
      (p) => upsertProfile(ctx, obj(p.attributes), str(p.id)).profile.id,
    );
    const members = listId ? (ctx.account.lists[listId]?.profileIds ?? []) : [];
    const profileIds = union(named, members);
    for (const id of profileIds) {
      const profile = ctx.account.profiles[id];
      if (!profile) continue;
      const marketing = marketingOf(profile, 'email');
      marketing.suppression = [{ reason: 'USER_SUPPRESSED', timestamp: ctx.now }];
      marketing.can_receive_email_marketing = false;
    }
    const job = createJob(ctx, 'profile-suppression-bulk-create-job', profileIds, listId ? [listId] : []);
    return { status: 202, body: singleDocument(req, jobResource(job, ctx)) };
  },

  get_bulk_suppress_profiles_job: getJob('profile-suppression-bulk-create-job', 'job_id'),
};
