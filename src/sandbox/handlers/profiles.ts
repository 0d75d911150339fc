/** Profiles: create (409 on a duplicate identifier), upsert via profile-import, read, update. */
import type { Handler, HandlerContext, SandboxRequest } from '../context.js';
import {
  listDocument,
  listParam,
  relationship,
  selfLink,
  singleDocument,
  type Resource,
} from '../documents.js';
import { KlaviyoHttpError, notFound } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, bodyData, clone, isObject, obj, str, type JsonObject } from '../json.js';
import {
  identifiersOf,
  PROFILE_IDENTIFIERS,
  profileIdBy,
  reindexProfile,
  type ProfileIdentifier,
} from '../indexes.js';
import { parseFilter, type FilterExpr } from '../filter.js';
import type { AccountState, ProfileRecord } from '../store.js';
import { assertBodyId, found, pathId } from './common.js';

const PLAIN_ATTRIBUTES = [
  'email',
  'phone_number',
  'external_id',
  'first_name',
  'last_name',
  'organization',
  'locale',
  'title',
  'image',
] as const;

function defaultSubscriptions(): JsonObject {
  return {
    email: {
      marketing: { can_receive_email_marketing: false, consent: 'NEVER_SUBSCRIBED', suppression: [] },
    },
    sms: { marketing: { can_receive_sms_marketing: false, consent: 'NEVER_SUBSCRIBED' } },
  };
}

export function profileResource(p: ProfileRecord, ctx: HandlerContext, additional: string[] = []): Resource {
  const a = p.attributes;
  const attributes: JsonObject = {};
  for (const key of PLAIN_ATTRIBUTES) attributes[key] = a[key] ?? null;
  Object.assign(attributes, {
    created: p.created,
    updated: p.updated,
    last_event_date: a.last_event_date ?? null,
    location: a.location ?? {},
    properties: a.properties ?? {},
  });
  if (additional.includes('subscriptions'))
    attributes.subscriptions = a.subscriptions ?? defaultSubscriptions();
  if (additional.includes('predictive_analytics')) attributes.predictive_analytics = null;
  return {
    type: 'profile',
    id: p.id,
    attributes,
    relationships: {
      lists: relationship(ctx.baseUrl, 'profiles', p.id, 'lists', undefined),
      segments: relationship(ctx.baseUrl, 'profiles', p.id, 'segments', undefined),
    },
    links: { self: selfLink(ctx.baseUrl, 'profiles', p.id) },
  };
}

/** A page of the given profiles, filterable by the identifiers Klaviyo allows. */
export function profileListDocument(
  req: SandboxRequest,
  ctx: HandlerContext,
  profileIds: string[],
): JsonObject {
  const additional = listParam(req.url, 'additional-fields[profile]');
  const resources = profileIds.flatMap((id) => {
    const p = ctx.account.profiles[id];
    return p ? [profileResource(p, ctx, additional)] : [];
  });
  return listDocument(req, resources, {
    fieldOf: (r, name) => (name === 'id' || name === 'profile_id' ? r.id : r.attributes[name]),
  });
}

/**
 * The profiles a list request can match: when the filter names profiles by id, email, phone number or external
 * id (`equals` or `any`, at the top level), only those, from the index; else every profile. The full filter is
 * still applied to them, so this only saves building documents for profiles it would drop (a sync's consent
 * read asks for 100 emails at a time among hundreds of thousands of profiles).
 */
function candidateProfileIds(req: SandboxRequest, account: AccountState): string[] {
  const text = req.url.searchParams.get('filter');
  let exprs: FilterExpr[] = [];
  try {
    exprs = text ? parseFilter(text) : [];
  } catch {
    return Object.keys(account.profiles); // listDocument answers the malformed filter
  }
  for (const e of exprs) {
    if (!('field' in e) || (e.op !== 'equals' && e.op !== 'any')) continue;
    const values = (Array.isArray(e.value) ? e.value : [e.value]).filter(
      (v): v is string => typeof v === 'string',
    );
    if (e.field === 'id') return values.filter((id) => account.profiles[id] !== undefined);
    if ((PROFILE_IDENTIFIERS as readonly string[]).includes(e.field))
      return values.flatMap((v) => profileIdBy(account, e.field as ProfileIdentifier, v) ?? []);
  }
  return Object.keys(account.profiles);
}

/** The id of the profile an identifier set names (by email, then phone number, then external id). */
export function findProfileId(account: AccountState, attributes: JsonObject): string | undefined {
  for (const key of PROFILE_IDENTIFIERS) {
    const value = attributes[key];
    if (typeof value !== 'string') continue;
    const id = profileIdBy(account, key, value);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The profile an identifier set names (by email, then phone number, then external id). */
export function findProfile(account: AccountState, attributes: JsonObject): ProfileRecord | undefined {
  const id = findProfileId(account, attributes);
  return id === undefined ? undefined : account.profiles[id];
}

function clashingProfile(
  account: AccountState,
  attributes: JsonObject,
  self?: string,
): ProfileRecord | undefined {
  for (const key of PROFILE_IDENTIFIERS) {
    const value = attributes[key];
    const id = typeof value === 'string' ? profileIdBy(account, key, value) : undefined;
    if (id !== undefined && id !== self) return account.profiles[id];
  }
  return undefined;
}

/** Applies attributes and keeps the identifier index in step with the change. */
function applyIndexed(
  account: AccountState,
  p: ProfileRecord,
  attributes: JsonObject,
  meta?: JsonObject,
): void {
  const before = identifiersOf(p);
  applyProfileAttributes(p, attributes, meta);
  reindexProfile(account, p, before);
}

function duplicate(existing: ProfileRecord): never {
  throw new KlaviyoHttpError(
    409,
    'duplicate_profile',
    'Conflict.',
    'A profile already exists with one of these identifiers.',
    { pointer: '/data/attributes' },
    { duplicate_profile_id: existing.id },
  );
}

/** Applies profile attributes: `null` clears, omitted leaves as is, location and properties merge. */
export function applyProfileAttributes(p: ProfileRecord, attributes: JsonObject, meta?: JsonObject): void {
  const a = p.attributes;
  for (const key of PLAIN_ATTRIBUTES) {
    if (!(key in attributes)) continue;
    if (attributes[key] === null) delete a[key];
    else a[key] = attributes[key];
  }
  if (isObject(attributes.location)) a.location = { ...obj(a.location), ...attributes.location };
  if (isObject(attributes.properties))
    a.properties = { ...obj(a.properties), ...clone(attributes.properties) };
  const patch = obj(meta?.patch_properties);
  const properties = obj(a.properties);
  for (const [key, value] of Object.entries(obj(patch.append))) {
    const current = properties[key];
    properties[key] = [...(Array.isArray(current) ? current : current === undefined ? [] : [current]), value];
  }
  for (const [key, value] of Object.entries(obj(patch.unappend))) {
    const current = properties[key];
    if (Array.isArray(current)) properties[key] = current.filter((item) => item !== value);
  }
  const unset = patch.unset;
  for (const key of Array.isArray(unset) ? unset : typeof unset === 'string' ? [unset] : [])
    delete properties[String(key)];
  a.properties = properties;
}

export function createProfileRecord(
  ctx: HandlerContext,
  attributes: JsonObject,
  meta?: JsonObject,
): ProfileRecord {
  const id = ids.ulid(ctx.nowMs);
  const p: ProfileRecord = { id, attributes: {}, created: ctx.now, updated: ctx.now };
  ctx.account.profiles[id] = p;
  applyIndexed(ctx.account, p, attributes, meta);
  return p;
}

/** Finds the profile by id or identifiers and updates it, or creates it. */
export function upsertProfile(
  ctx: HandlerContext,
  attributes: JsonObject,
  id?: string,
  meta?: JsonObject,
): { profile: ProfileRecord; created: boolean } {
  const existing = id !== undefined ? ctx.account.profiles[id] : findProfile(ctx.account, attributes);
  if (id !== undefined && !existing) throw notFound('profile', id);
  if (existing) {
    applyIndexed(ctx.account, existing, attributes, meta);
    existing.updated = ctx.now;
    return { profile: existing, created: false };
  }
  return { profile: createProfileRecord(ctx, attributes, meta), created: true };
}

export const profileHandlers: Record<string, Handler> = {
  get_profiles: (req, ctx) => ({
    status: 200,
    body: profileListDocument(req, ctx, candidateProfileIds(req, ctx.account)),
  }),

  get_profile: (req, ctx) => {
    const p = found(ctx.account.profiles, pathId(req), 'profile');
    return {
      status: 200,
      body: singleDocument(req, profileResource(p, ctx, listParam(req.url, 'additional-fields[profile]'))),
    };
  },

  create_profile: (req, ctx) => {
    const attributes = bodyAttributes(req.body);
    const existing = clashingProfile(ctx.account, attributes);
    if (existing) duplicate(existing);
    const p = createProfileRecord(ctx, attributes, obj(bodyData(req.body).meta));
    return { status: 201, body: singleDocument(req, profileResource(p, ctx)) };
  },

  create_or_update_profile: (req, ctx) => {
    const data = bodyData(req.body);
    const { profile, created } = upsertProfile(ctx, bodyAttributes(req.body), str(data.id), obj(data.meta));
    return { status: created ? 201 : 200, body: singleDocument(req, profileResource(profile, ctx)) };
  },

  update_profile: (req, ctx) => {
    assertBodyId(req);
    const p = found(ctx.account.profiles, pathId(req), 'profile');
    const attributes = bodyAttributes(req.body);
    const clash = clashingProfile(ctx.account, attributes, p.id);
    if (clash) duplicate(clash);
    applyIndexed(ctx.account, p, attributes, obj(bodyData(req.body).meta));
    p.updated = ctx.now;
    return { status: 200, body: singleDocument(req, profileResource(p, ctx)) };
  },
};
