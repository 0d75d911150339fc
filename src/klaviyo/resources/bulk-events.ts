import type { BulkEventBody } from '../bulk/event-batches.js';
import { callOptions, type CallOptions, type ResourceContext } from './context.js';

/** Bulk event create jobs. */
export class BulkEventsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /**
   * Sends up to 1,000 events grouped by profile (build the body with `BulkEventBatcher`). Klaviyo answers 202 with
   * no job to poll: the answer is the last word. A 400 refuses the whole body and names the bad items (read them
   * with `bulkItemErrorsOf`). When every event has a `unique_id` the client resends after a timeout or 5xx, as
   * Klaviyo keeps only the first event per profile, metric and id.
   */
  async create(body: BulkEventBody, options?: CallOptions): Promise<void> {
    await this.ctx.transport.request<undefined>({
      method: 'POST',
      path: '/api/event-bulk-create-jobs',
      body,
      ...callOptions(options),
    });
  }
}
