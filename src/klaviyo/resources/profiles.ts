import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import { PROFILE_LOOKUP_MAX_VALUES } from '../bulk/limits.js';
import { filter, mergeQuery, type QueryOptions } from '../query.js';
import { KlaviyoError } from '../transport/errors.js';
import {
  callOptions,
  chunk,
  reconcileDocument,
  seg,
  type CallOptions,
  type CreateOptions,
  type ResourceContext,
} from './context.js';
import type { Profile, ProfileCreateBody, ProfileListItem, ProfileUpsertBody } from './types.js';

type S = components['schemas'];

export class ProfilesApi {
  constructor(private readonly ctx: ResourceContext) {}

  /**
   * Creates or updates the profile matched by its identifiers (`POST /api/profile-import`: email, phone number,
   * external id); safe to retry. Consent is not changed: use `consent.subscribe`.
   */
  async upsert(body: ProfileUpsertBody, options?: CallOptions): Promise<Profile> {
    const doc = await this.ctx.transport.request<S['PostProfileResponse']>({
      method: 'POST',
      path: '/api/profile-import',
      body,
      ...callOptions(options),
    });
    return withId(doc.data, 'create_or_update_profile', '/api/profile-import');
  }

  /**
   * Creates a profile (`POST /api/profiles`). A profile that already has one of its identifiers fails with
   * `KlaviyoConflictError` whose `duplicateId` is the existing profile; `upsert` is the call that never conflicts.
   */
  async create(body: ProfileCreateBody, options: CreateOptions<Profile> = {}): Promise<Profile> {
    const reconcile = options.reconcile === 'by-name' ? undefined : options.reconcile;
    const doc = await this.ctx.transport.request<S['PostProfileResponse']>({
      method: 'POST',
      path: '/api/profiles',
      body,
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return withId(doc.data, 'create_profile', '/api/profiles');
  }

  async get(id: string, query?: QueryOptions, options?: CallOptions): Promise<ProfileListItem> {
    const doc = await this.ctx.transport.request<S['GetProfileResponsePluralConversationsCompoundDocument']>({
      method: 'GET',
      path: `/api/profiles/${seg(id)}`,
      ...(query ? { query } : {}),
      ...callOptions(options),
    });
    return doc.data;
  }

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<ProfileListItem, void, undefined> {
    return paginate<ProfileListItem>(this.ctx.transport, '/api/profiles', query, callOptions(options));
  }

  findByEmail(email: string, options?: CallOptions): Promise<ProfileListItem | undefined> {
    return this.findOne('email', email, options);
  }

  findByPhone(phoneNumber: string, options?: CallOptions): Promise<ProfileListItem | undefined> {
    return this.findOne('phone_number', phoneNumber, options);
  }

  findByExternalId(externalId: string, options?: CallOptions): Promise<ProfileListItem | undefined> {
    return this.findOne('external_id', externalId, options);
  }

  /**
   * The profile ids of these emails, keyed by lower-cased trimmed email (Klaviyo stores emails lower-cased, so
   * `Ada@Example.com` finds `ada@example.com`); emails without a profile are absent. 100 emails per request.
   */
  async idsByEmail(emails: readonly string[], options?: CallOptions): Promise<Map<string, string>> {
    const wanted = [...new Set(emails.map(normalizeEmail))];
    const ids = new Map<string, string>();
    for (const part of chunk(wanted, PROFILE_LOOKUP_MAX_VALUES)) {
      const query: QueryOptions = {
        filter: filter.any('email', part),
        fields: { profile: ['email'] },
        pageSize: PROFILE_LOOKUP_MAX_VALUES,
      };
      for await (const profile of this.list(query, options)) {
        const email = profile.attributes.email;
        if (typeof email === 'string' && typeof profile.id === 'string')
          ids.set(normalizeEmail(email), profile.id);
      }
    }
    return ids;
  }

  private async findOne(
    field: string,
    value: string,
    options?: CallOptions,
  ): Promise<ProfileListItem | undefined> {
    const query = mergeQuery({ filter: filter.equals(field, value) }, { pageSize: 1 });
    for await (const profile of paginate<ProfileListItem>(this.ctx.transport, '/api/profiles', query, {
      ...callOptions(options),
      maxPages: 1,
    })) {
      return profile;
    }
    return undefined;
  }
}

/** The form Klaviyo keeps an email in, and the key of `idsByEmail`. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The spec marks a written profile's id nullable; a profile without one is a server fault, not a profile. */
function withId(data: S['PostProfileResponse']['data'], operationId: string, path: string): Profile {
  const { id } = data;
  if (typeof id !== 'string' || id === '')
    throw new KlaviyoError(`POST ${path} answered without a profile id`, {
      operationId,
      method: 'POST',
      path,
    });
  return { ...data, id };
}
