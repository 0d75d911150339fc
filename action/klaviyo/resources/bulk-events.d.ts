import type { BulkEventBody } from '../bulk/event-batches.js';
import { type CallOptions, type ResourceContext } from './context.js';
/** Bulk event create jobs. */
export declare class BulkEventsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /**
     * Sends up to 1,000 events grouped by profile (build the body with `BulkEventBatcher`). Klaviyo answers 202 with
     * no job to poll: the answer is the last word. A 400 refuses the whole body and names the bad items (read them
     * with `bulkItemErrorsOf`). When every event has a `unique_id` the client resends after a timeout or 5xx, as
     * Klaviyo keeps only the first event per profile, metric and id.
     */
    create(body: BulkEventBody, options?: CallOptions): Promise<void>;
}
