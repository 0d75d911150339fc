/**
 * Bulk profile jobs: the job record every kind shares, its progress, and the unsubscribe and suppress jobs.
 * The work is done when the job is created; what a poll sees moves on with each read and with the sandbox
 * clock (queued, then processing, then complete), so a client's polling loop runs as it would against Klaviyo.
 * Imports live in ./profile-import-jobs.ts, subscribes in ./bulk-subscribe.ts.
 */
import { setConsent, marketingOf } from '../consent.js';
import type { Handler, HandlerContext } from '../context.js';
import { relationship, selfLink, singleDocument, type Resource } from '../documents.js';
import { invalid } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, bodyData, getPath, isObject, obj, str, type JsonObject } from '../json.js';
import type { JobRecord, JobType } from '../store.js';
import { found, freshId, pathId, union } from './common.js';
import { upsertProfile } from './profiles.js';

const COLLECTIONS: Record<JobType, string> = {
  'profile-bulk-import-job': 'profile-bulk-import-jobs',
  'profile-suppression-bulk-create-job': 'profile-suppression-bulk-create-jobs',
  'profile-subscription-bulk-create-job': 'profile-subscription-bulk-create-jobs',
  'profile-subscription-bulk-delete-job': 'profile-subscription-bulk-delete-jobs',
};

/** Sandbox time a job spends in each of queued and processing when nobody polls it. */
export const JOB_STEP_MS = 1000;

export type JobStatus = 'queued' | 'processing' | 'complete';

/** Where a job stands: one step per read or per JOB_STEP_MS since it was created, whichever is further. */
export function jobStatus(job: JobRecord, nowMs: number): JobStatus {
  const elapsedSteps = Math.floor((nowMs - Date.parse(job.created_at)) / JOB_STEP_MS);
  const steps = Math.max(job.reads, elapsedSteps);
  return steps <= 0 ? 'queued' : steps === 1 ? 'processing' : 'complete';
}

function jobResource(job: JobRecord, ctx: HandlerContext): Resource {
  const status = jobStatus(job, ctx.nowMs);
  const complete = status === 'complete';
  const failed = job.failures?.length ?? 0;
  const succeeded = job.total_count - failed;
  const collection = COLLECTIONS[job.type];
  const attributes: JsonObject = {
    status,
    created_at: job.created_at,
    total_count: job.total_count,
    completed_count: complete ? succeeded : status === 'processing' ? Math.floor(succeeded / 2) : 0,
    completed_at: complete ? job.completed_at : null,
  };
  if (job.type === 'profile-bulk-import-job')
    Object.assign(attributes, {
      failed_count: complete ? failed : 0,
      started_at: status === 'queued' ? null : job.created_at,
      expires_at: null,
    });
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
        ? {
            profiles: relationship(ctx.baseUrl, collection, job.id, 'profiles', undefined),
            'import-errors': relationship(ctx.baseUrl, collection, job.id, 'import-errors', undefined),
          }
        : {}),
    },
    links: { self: selfLink(ctx.baseUrl, collection, job.id) },
  };
}

export function jobDocument(req: Parameters<Handler>[0], job: JobRecord, ctx: HandlerContext): JsonObject {
  return singleDocument(req, jobResource(job, ctx));
}

export function bodyProfiles(body: unknown): JsonObject[] {
  const data = getPath(bodyAttributes(body), 'profiles.data');
  return Array.isArray(data) ? data.filter(isObject) : [];
}

/** List ids named by `relationships.list` (one) or `relationships.lists` (many); each must exist. */
export function namedLists(ctx: HandlerContext, body: unknown): string[] {
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

export function createJob(
  ctx: HandlerContext,
  type: JobType,
  profileIds: string[],
  listIds: string[],
  failures: JobRecord['failures'] = [],
): JobRecord {
  const id = freshId(ctx.account.jobs, () => ids.ulid(ctx.nowMs));
  const job: JobRecord = {
    id,
    type,
    created_at: ctx.now,
    completed_at: ctx.now,
    total_count: profileIds.length + failures.length,
    profileIds,
    listIds,
    reads: 0,
    ...(failures.length > 0 ? { failures } : {}),
  };
  ctx.account.jobs[id] = job;
  return job;
}

export function addToLists(ctx: HandlerContext, listIds: string[], profileIds: string[]): void {
  for (const listId of listIds) {
    const list = ctx.account.lists[listId];
    if (list) list.profileIds = union(list.profileIds, profileIds);
  }
}

/** The job of `type` named by the path; every read moves it one step on. */
export function readJob(req: Parameters<Handler>[0], ctx: HandlerContext, type: JobType, param: string) {
  const job = found(ctx.account.jobs, pathId(req, param), type);
  if (job.type !== type) throw invalid(`No ${type} with id ${job.id}.`, { parameter: param });
  return job;
}

function getJob(type: JobType, param: string): Handler {
  return (req, ctx) => {
    const job = readJob(req, ctx, type, param);
    job.reads += 1;
    return { status: 200, body: jobDocument(req, job, ctx) };
  };
}

export const bulkJobHandlers: Record<string, Handler> = {
  get_bulk_import_profiles_job: getJob('profile-bulk-import-job', 'job_id'),

  bulk_unsubscribe_profiles: (req, ctx) => {
    const listIds = namedLists(ctx, req.body);
    const profileIds = bodyProfiles(req.body).flatMap((p) => {
      const { subscriptions, ...identity } = obj(p.attributes);
      const { profile } = upsertProfile(ctx, identity, str(p.id));
      const wanted = obj(subscriptions);
      const change = { consent: 'UNSUBSCRIBED', at: ctx.now, now: ctx.now } as const;
      if (isObject(wanted.email) || !isObject(subscriptions)) setConsent(profile, 'email', change);
      if (isObject(wanted.sms)) setConsent(profile, 'sms', change);
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
    return { status: 202, body: jobDocument(req, job, ctx) };
  },

  get_bulk_suppress_profiles_job: getJob('profile-suppression-bulk-create-job', 'job_id'),
};
