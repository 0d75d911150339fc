/**
 * Profile bulk import jobs as a sync meets them: the request is checked against the spec first (a bad shape is
 * a 400 for the whole request); then each profile is imported on its own, and one with a malformed identifier
 * becomes an import error with its `original_payload` instead of failing the others. Profiles are upserted by
 * id, email, phone number or external id. Counts, imported profiles and errors show once the job is complete.
 */
import type { Handler, HandlerContext } from '../context.js';
import { listDocument, type Resource } from '../documents.js';
import { isE164, isEmail } from '../identifiers.js';
import { clone, obj, str, type JsonObject } from '../json.js';
import type { JobFailure } from '../store.js';
import {
  addToLists,
  bodyProfiles,
  createJob,
  jobDocument,
  jobStatus,
  namedLists,
  readJob,
} from './bulk-jobs.js';
import { profileListDocument, upsertProfile } from './profiles.js';

const IMPORT = 'profile-bulk-import-job';

function failure(detail: string, pointer: string, payload: JsonObject): JobFailure {
  return { code: 'invalid', title: 'Invalid input.', detail, pointer, original_payload: clone(payload) };
}

/** Why Klaviyo would refuse this profile of an import, or undefined when it imports. */
function importProblem(ctx: HandlerContext, profile: JsonObject, at: string): JobFailure | undefined {
  const a = obj(profile.attributes);
  const id = str(profile.id);
  if (a.email != null && !isEmail(a.email))
    return failure(`Invalid email address: '${String(a.email)}'.`, `${at}/attributes/email`, profile);
  if (a.phone_number != null && !isE164(a.phone_number))
    return failure(
      `Invalid phone number: '${String(a.phone_number)}' is not in E.164 format (+15005550006).`,
      `${at}/attributes/phone_number`,
      profile,
    );
  if (id !== undefined && !(id in ctx.account.profiles))
    return failure(`A profile with id ${id} does not exist.`, `${at}/id`, profile);
  if (id === undefined && !['email', 'phone_number', 'external_id', '_kx'].some((k) => str(a[k])))
    return failure(
      'A profile needs at least one identifier: email, phone_number or external_id.',
      `${at}/attributes`,
      profile,
    );
  return undefined;
}

function importErrorResource(ctx: HandlerContext, jobId: string, n: number, f: JobFailure): Resource {
  return {
    type: 'import-error',
    id: `${jobId}-${n}`,
    attributes: {
      code: f.code,
      title: f.title,
      detail: f.detail,
      source: { pointer: f.pointer },
      original_payload: f.original_payload,
    },
    links: { self: `${ctx.baseUrl}/api/profile-bulk-import-jobs/${jobId}/import-errors/` },
  };
}

export const profileImportJobHandlers: Record<string, Handler> = {
  bulk_import_profiles: (req, ctx) => {
    const listIds = namedLists(ctx, req.body);
    const failures: JobFailure[] = [];
    const profileIds: string[] = [];
    bodyProfiles(req.body).forEach((p, i) => {
      const problem = importProblem(ctx, p, `/data/attributes/profiles/data/${i}`);
      if (problem) failures.push(problem);
      else profileIds.push(upsertProfile(ctx, obj(p.attributes), str(p.id), obj(p.meta)).profile.id);
    });
    addToLists(ctx, listIds, profileIds);
    const job = createJob(ctx, IMPORT, profileIds, listIds, failures);
    return { status: 202, body: jobDocument(req, job, ctx) };
  },

  get_errors_for_bulk_import_profiles_job: (req, ctx) => {
    const job = readJob(req, ctx, IMPORT, 'id');
    const failures = jobStatus(job, ctx.nowMs) === 'complete' ? (job.failures ?? []) : [];
    const resources = failures.map((f, n) => importErrorResource(ctx, job.id, n, f));
    return { status: 200, body: listDocument(req, resources) };
  },

  get_profiles_for_bulk_import_profiles_job: (req, ctx) => {
    const job = readJob(req, ctx, IMPORT, 'id');
    const done = jobStatus(job, ctx.nowMs) === 'complete';
    return { status: 200, body: profileListDocument(req, ctx, done ? job.profileIds : []) };
  },
};
