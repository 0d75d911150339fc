import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import {
  type CallOptions,
  callOptions,
  chunk,
  type CreateOptions,
  deleteAt,
  findNamed,
  reconcileDocument,
  resolveReconcile,
  type ResourceContext,
  seg,
} from './context.js';
import { normalizeEmail, type ProfilesApi } from './profiles.js';
import type {
  KlaviyoList,
  KlaviyoListDetails,
  ListCreateBody,
  ListMember,
  ListUpdateAttributes,
} from './types.js';

type S = components['schemas'];

/** Klaviyo accepts at most 1,000 profiles per list-membership request. */
const MEMBERS_PER_REQUEST = 1000;

/** What a membership change by email did, email by email. */
export interface MembershipByEmail {
  /** The profile ids added (or removed), once each, in the order of the emails given. */
  profileIds: string[];
  /** Emails (lower-cased) that had no profile and got one to be added: a bare profile, no consent given. */
  createdProfiles: string[];
  /** Emails (lower-cased) with no profile: left out of an add with `createMissing: false`, or not a member. */
  missing: string[];
}

export interface AddByEmailOptions extends CallOptions {
  /** Create a profile for an email that has none (default true), as Klaviyo's own list import does. */
  createMissing?: boolean;
}

type GetOrCreateResult = { list: KlaviyoList; created: boolean };

export class ListsApi {
  /** getOrCreate calls in flight by list name: a second call for the same name joins the first. */
  private readonly pendingByName = new Map<string, Promise<GetOrCreateResult>>();

  constructor(
    private readonly ctx: ResourceContext,
    private readonly profiles: ProfilesApi,
  ) {}

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<KlaviyoList, void, undefined> {
    return paginate<KlaviyoList>(this.ctx.transport, '/api/lists', query, callOptions(options));
  }

  /** One list. `profileCount: true` adds the member count, at a much lower rate limit (1/s, 15/m). */
  async get(id: string, opts: CallOptions & { profileCount?: boolean } = {}): Promise<KlaviyoListDetails> {
    const doc = await this.ctx.transport.request<S['GetListRetrieveResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/lists/${seg(id)}`,
      ...(opts.profileCount ? { query: { additionalFields: { list: ['profile_count'] } } } : {}),
      ...callOptions(opts),
    });
    return doc.data;
  }

  findByName(name: string, options?: CallOptions): Promise<KlaviyoList | undefined> {
    return findNamed((query) => this.list(query, options), name);
  }

  async create(body: ListCreateBody, options: CreateOptions<KlaviyoList> = {}): Promise<KlaviyoList> {
    const reconcile = resolveReconcile(options.reconcile, () =>
      this.findByName(body.data.attributes.name, options),
    );
    const doc = await this.ctx.transport.request<S['PostListCreateResponse']>({
      method: 'POST',
      path: '/api/lists',
      body,
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  /**
   * The list with this name, created (with `attributes`) when missing; an ambiguous create is reconciled by name.
   * Klaviyo allows two lists with one name, so calls for the same name made while one is under way (in this
   * client) join it rather than race it: only the first reports `created: true`, and its `attributes` win.
   */
  getOrCreate(
    name: string,
    attributes: Omit<ListCreateBody['data']['attributes'], 'name'> = {},
    options?: CallOptions,
  ): Promise<GetOrCreateResult> {
    const pending = this.pendingByName.get(name);
    if (pending) return pending.then(({ list }) => ({ list, created: false }));
    const call = this.findOrCreate(name, attributes, options).finally(() => this.pendingByName.delete(name));
    this.pendingByName.set(name, call);
    return call;
  }

  private async findOrCreate(
    name: string,
    attributes: Omit<ListCreateBody['data']['attributes'], 'name'>,
    options: CallOptions | undefined,
  ): Promise<GetOrCreateResult> {
    const existing = await this.findByName(name, options);
    if (existing) return { list: existing, created: false };
    const list = await this.create(
      { data: { type: 'list', attributes: { ...attributes, name } } },
      { ...callOptions(options), reconcile: 'by-name' },
    );
    return { list, created: true };
  }

  async update(id: string, attributes: ListUpdateAttributes, options?: CallOptions): Promise<KlaviyoList> {
    const doc = await this.ctx.transport.request<S['PatchListPartialUpdateResponse']>({
      method: 'PATCH',
      path: `/api/lists/${seg(id)}`,
      body: { data: { type: 'list', id, attributes } } satisfies S['ListPartialUpdateQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }

  delete(id: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/lists/${seg(id)}`, options);
  }

  /** Adds profiles by id (no consent change), 1,000 per request; adding a member again is a no-op. */
  async addProfiles(listId: string, profileIds: readonly string[], options?: CallOptions): Promise<void> {
    for (const ids of chunk(profileIds, MEMBERS_PER_REQUEST)) {
      await this.ctx.transport.request<undefined>({
        method: 'POST',
        path: `/api/lists/${seg(listId)}/relationships/profiles`,
        body: { data: ids.map((id) => ({ type: 'profile', id })) } satisfies S['ListMembersAddQuery'],
        ...callOptions(options),
      });
    }
  }

  /** Removes profiles by id (no consent change), 1,000 per request. */
  async removeProfiles(listId: string, profileIds: readonly string[], options?: CallOptions): Promise<void> {
    for (const ids of chunk(profileIds, MEMBERS_PER_REQUEST)) {
      await this.ctx.transport.request<undefined>({
        method: 'DELETE',
        path: `/api/lists/${seg(listId)}/relationships/profiles`,
        body: { data: ids.map((id) => ({ type: 'profile', id })) } satisfies S['ListMembersDeleteQuery'],
        ...callOptions(options),
      });
    }
  }

  /**
   * Adds people by email: each email is resolved to its profile id (`profiles.idsByEmail`, case-insensitive);
   * an email without a profile gets one (`profiles.upsert`, no consent) unless `createMissing` is false. Consent
   * is not changed: to subscribe, use `consent.subscribe` with `listId`.
   */
  async addProfilesByEmail(
    listId: string,
    emails: readonly string[],
    options: AddByEmailOptions = {},
  ): Promise<MembershipByEmail> {
    const call = callOptions(options);
    const wanted = [...new Set(emails.map(normalizeEmail))];
    const ids = await this.profiles.idsByEmail(wanted, call);
    const absent = wanted.filter((email) => !ids.has(email));
    const createdProfiles: string[] = [];
    if (options.createMissing !== false) {
      const made = await Promise.all(
        absent.map((email) =>
          this.profiles.upsert({ data: { type: 'profile', attributes: { email } } }, call),
        ),
      );
      absent.forEach((email, i) => ids.set(email, made[i]!.id));
      createdProfiles.push(...absent);
    }
    const profileIds = uniqueIds(wanted, ids);
    await this.addProfiles(listId, profileIds, call);
    return { profileIds, createdProfiles, missing: wanted.filter((email) => !ids.has(email)) };
  }

  /** Removes people by email (resolved as in `addProfilesByEmail`); emails without a profile are `missing`. */
  async removeProfilesByEmail(
    listId: string,
    emails: readonly string[],
    options?: CallOptions,
  ): Promise<MembershipByEmail> {
    const wanted = [...new Set(emails.map(normalizeEmail))];
    const ids = await this.profiles.idsByEmail(wanted, options);
    const profileIds = uniqueIds(wanted, ids);
    await this.removeProfiles(listId, profileIds, options);
    return { profileIds, createdProfiles: [], missing: wanted.filter((email) => !ids.has(email)) };
  }

  /** The list's members, 100 per page (`query.pageSize` for fewer), following Klaviyo's cursors. */
  listProfiles(
    listId: string,
    query?: QueryOptions,
    options?: CallOptions,
  ): AsyncGenerator<ListMember, void, undefined> {
    return paginate<ListMember>(
      this.ctx.transport,
      `/api/lists/${seg(listId)}/profiles`,
      query,
      callOptions(options),
    );
  }
}

/** The ids of the resolved emails, in email order, each once (two emails can share a profile only by alias). */
function uniqueIds(emails: readonly string[], ids: ReadonlyMap<string, string>): string[] {
  return [...new Set(emails.flatMap((email) => (ids.has(email) ? [ids.get(email)!] : [])))];
}
