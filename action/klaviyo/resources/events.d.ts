import { type QueryOptions } from '../query.js';
import { type CallOptions, type ResourceContext } from './context.js';
import type { EventCreateBody, KlaviyoEvent } from './types.js';
export declare class EventsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /**
     * Records an event (202: accepted for processing). With `unique_id` set, Klaviyo keeps only the first event per
     * profile, metric and id, so the client retries it after an ambiguous failure; without one it does not.
     */
    create(body: EventCreateBody, options?: CallOptions): Promise<void>;
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<KlaviyoEvent, void, undefined>;
    /** A profile's events, newest first unless `query.sort` says otherwise. */
    listForProfile(profileId: string, query?: QueryOptions, options?: CallOptions): AsyncGenerator<KlaviyoEvent, void, undefined>;
}
