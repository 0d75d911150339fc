/**
 * Bulk event create jobs (`POST /api/event-bulk-create-jobs`). Klaviyo answers 202 with no job to poll, so the
 * request itself is all-or-nothing: every invalid item (a malformed email or phone, no identifier, an empty
 * metric name, a bad time, an oversized string, a `unique_id` repeated for one profile and metric) is reported
 * as its own 400 error whose `source.pointer` names it, and nothing is recorded. Accepted events upsert their
 * profile, create metrics on first use and dedupe on (profile, metric, unique_id) against everything already
 * recorded, so a re-sent batch adds nothing. `backfill` events are stored marked as never triggering flows.
 */
import type { Handler, HandlerContext } from '../context.js';
import type { KlaviyoHttpError } from '../errors.js';
import { invalid, KlaviyoHttpErrors } from '../errors.js';
import { eventDatetime, metricNamed, recordEvent } from '../event-records.js';
import { emailKey, isE164, isEmail } from '../identifiers.js';
import { bodyAttributes, getPath, isObject, obj, str, type JsonObject } from '../json.js';
import { findProfileId, upsertProfile } from './profiles.js';

/** The spec's caps: 1,000 events per request in all, no string over 100 KB (the 5 MB body cap is the server's). */
export const BULK_EVENTS_MAX_EVENTS = 1000;
export const BULK_EVENTS_MAX_STRING_BYTES = 100 * 1024;
const EARLIEST_EVENT_MS = Date.UTC(1990, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;
const GROUPS = '/data/attributes/events-bulk-create/data';

interface Group {
  at: string;
  profile: JsonObject;
  events: JsonObject[];
  backfill: boolean;
}

function groupsOf(body: unknown): Group[] {
  const data = getPath(bodyAttributes(body), 'events-bulk-create.data');
  return (Array.isArray(data) ? data : []).map((entry, i) => {
    const a = obj(obj(entry).attributes);
    const events = getPath(a, 'events.data');
    return {
      at: `${GROUPS}/${i}/attributes`,
      profile: obj(getPath(a, 'profile.data')),
      events: (Array.isArray(events) ? events : []).map((e) => obj(obj(e).attributes)),
      backfill: a.backfill === true,
    };
  });
}

/** The first string longer than Klaviyo allows, as a JSON pointer below `at`. */
function oversizedString(value: unknown, at: string): string | undefined {
  if (typeof value === 'string')
    return Buffer.byteLength(value) > BULK_EVENTS_MAX_STRING_BYTES ? at : undefined;
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : isObject(value)
      ? Object.entries(value)
      : [];
  for (const [key, child] of entries) {
    const found = oversizedString(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found) return found;
  }
  return undefined;
}

function profileProblems(ctx: HandlerContext, group: Group): KlaviyoHttpError[] {
  const at = `${group.at}/profile/data`;
  const a = obj(group.profile.attributes);
  const id = str(group.profile.id);
  const problems: KlaviyoHttpError[] = [];
  if (a.email != null && !isEmail(a.email))
    problems.push(
      invalid(`Invalid email address: '${String(a.email)}'.`, { pointer: `${at}/attributes/email` }),
    );
  if (a.phone_number != null && !isE164(a.phone_number))
    problems.push(
      invalid(`Invalid phone number: '${String(a.phone_number)}' is not in E.164 format.`, {
        pointer: `${at}/attributes/phone_number`,
      }),
    );
  if (id !== undefined && !(id in ctx.account.profiles))
    problems.push(invalid(`The profile with id '${id}' does not exist.`, { pointer: `${at}/id` }));
  const identifiers = ['email', 'phone_number', 'external_id', 'anonymous_id', '_kx'];
  if (id === undefined && !identifiers.some((k) => str(a[k])))
    problems.push(
      invalid('A profile needs at least one identifier (id, email, phone_number, external_id).', {
        pointer: `${at}/attributes`,
      }),
    );
  const long = oversizedString(group.profile, at);
  if (long) problems.push(invalid('A string is longer than 100 KB.', { pointer: long }));
  return problems;
}

/** A stable name for the profile a group names, so repeats across groups of one request are seen. */
function profileKey(ctx: HandlerContext, group: Group): string {
  const a = obj(group.profile.attributes);
  const id = str(group.profile.id) ?? findProfileId(ctx.account, a);
  if (id) return `id:${id}`;
  const email = str(a.email);
  return email ? `email:${emailKey(email)}` : `other:${JSON.stringify([a.phone_number, a.external_id])}`;
}

function eventProblems(ctx: HandlerContext, event: JsonObject, at: string): KlaviyoHttpError[] {
  const problems: KlaviyoHttpError[] = [];
  const name = str(getPath(event, 'metric.data.attributes.name'));
  if (name === undefined || name.trim() === '' || name.length > 128)
    problems.push(
      invalid('The metric name is required and must be 1 to 128 characters.', {
        pointer: `${at}/metric/data/attributes/name`,
      }),
    );
  if (event.time != null) {
    const ms = Date.parse(String(event.time));
    if (Number.isNaN(ms) || ms < EARLIEST_EVENT_MS || ms > ctx.nowMs + YEAR_MS)
      problems.push(
        invalid('The event time must be after 1990 and at most a year ahead.', { pointer: `${at}/time` }),
      );
  }
  const long = oversizedString(event, at);
  if (long) problems.push(invalid('A string is longer than 100 KB.', { pointer: long }));
  return problems;
}

function validate(ctx: HandlerContext, groups: Group[]): void {
  const total = groups.reduce((n, g) => n + g.events.length, 0);
  if (total > BULK_EVENTS_MAX_EVENTS)
    throw invalid(`A bulk event job takes at most ${BULK_EVENTS_MAX_EVENTS} events; this one has ${total}.`, {
      pointer: GROUPS,
    });
  const problems: KlaviyoHttpError[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    problems.push(...profileProblems(ctx, group));
    const profile = profileKey(ctx, group);
    group.events.forEach((event, j) => {
      const at = `${group.at}/events/data/${j}/attributes`;
      const own = eventProblems(ctx, event, at);
      problems.push(...own);
      if (own.length > 0) return;
      const name = String(getPath(event, 'metric.data.attributes.name'));
      const uniqueId = str(event.unique_id) ?? eventDatetime(ctx, event.time);
      const key = JSON.stringify([profile, name, uniqueId]);
      if (seen.has(key))
        problems.push(
          invalid(
            `The unique_id '${uniqueId}' is repeated for one profile and metric in this request; no events were processed.`,
            { pointer: `${at}/unique_id` },
          ),
        );
      seen.add(key);
    });
  }
  if (problems.length > 0) throw new KlaviyoHttpErrors(problems);
}

export const bulkEventHandlers: Record<string, Handler> = {
  bulk_create_events: (req, ctx) => {
    const groups = groupsOf(req.body);
    validate(ctx, groups);
    for (const group of groups) {
      const { profile } = upsertProfile(
        ctx,
        obj(group.profile.attributes),
        str(group.profile.id),
        obj(group.profile.meta),
      );
      for (const event of group.events) {
        const metricAttributes = obj(getPath(event, 'metric.data.attributes'));
        const metric = metricNamed(ctx, String(metricAttributes.name), str(metricAttributes.service));
        const backfill = group.backfill || event.backfill === true;
        recordEvent(ctx, profile, { attributes: event, metric, backfill });
      }
    }
    return { status: 202 };
  },
};
