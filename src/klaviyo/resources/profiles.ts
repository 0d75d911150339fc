import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import { filter, mergeQuery, type QueryOptions } from '../query.js';
import { KlaviyoError } from '../transport/errors.js';
import { callOptions, seg, type CallOptions, type ResourceContext } from './context.js';
import type { Profile, ProfileListItem, ProfileUpsertBody } from './types.js';

type S = components['schemas'];

export class ProfilesApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** Creates or updates a profile matched by its identifiers (`POST /api/profile-import`); safe to retry. */
  async upsert(body: ProfileUpsertBody, options?: CallOptions): Promise<Profile> {
    const doc = await this.ctx.transport.request<S['PostProfileResponse']>({
      method: 'POST',
      path: '/api/profile-import',
      body,
      ...callOptions(options),
    });
    const { id } = doc.data;
    if (typeof id !== 'string' || id === '') {
      throw new KlaviyoError('POST /api/profile-import answered without a profile id', {
        operationId: 'create_or_update_profile',
        method: 'POST',
        path: '/api/profile-import',
      });
    }
    return { ...doc.data, id };
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
