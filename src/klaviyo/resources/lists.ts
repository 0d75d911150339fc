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

export class ListsApi {
  constructor(private readonly ctx: ResourceContext) {}

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

  /** The list with this name, created (with `attributes`) when missing; an ambiguous create is reconciled by name. */
  async getOrCreate(
    name: string,
    attributes: Omit<ListCreateBody['data']['attributes'], 'name'> = {},
    options?: CallOptions,
  ): Promise<{ list: KlaviyoList; created: boolean }> {
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

  /** Adds profiles to a list (no consent change), 1,000 per request. */
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
