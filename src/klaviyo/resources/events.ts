import { paginate } from '../pagination.js';
import { filter, mergeQuery, type QueryOptions } from '../query.js';
import { callOptions, type CallOptions, type ResourceContext } from './context.js';
import type { EventCreateBody, KlaviyoEvent } from './types.js';

export class EventsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /**
   * Records an event (202: accepted for processing). With `unique_id` set, Klaviyo keeps only the first event per
   * profile, metric and id, so the client retries it after an ambiguous failure; without one it does not.
   */
  async create(body: EventCreateBody, options?: CallOptions): Promise<void> {
    await this.ctx.transport.request<undefined>({
      method: 'POST',
      path: '/api/events',
      body,
      ...callOptions(options),
    });
  }

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<KlaviyoEvent, void, undefined> {
    return paginate<KlaviyoEvent>(this.ctx.transport, '/api/events', query, callOptions(options));
  }

  /** A profile's events, newest first unless `query.sort` says otherwise. */
  listForProfile(
    profileId: string,
    query?: QueryOptions,
    options?: CallOptions,
  ): AsyncGenerator<KlaviyoEvent, void, undefined> {
    const base: QueryOptions = { filter: filter.equals('profile_id', profileId), sort: '-datetime' };
    return this.list(mergeQuery(base, query), options);
  }
}
