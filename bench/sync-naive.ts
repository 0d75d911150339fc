/**
 * The naive way to load orders into Klaviyo, as Klaviyo's own plugins and Segment's destination do it: one
 * `create_event` request per event. Same source reader and same event bodies as the sync, through the same
 * client (which paces `create_event` by its own tier), so the only difference is the endpoint.
 */
import { KlaviyoClient } from '../src/klaviyo/index.js';
import { eventsFromOrder, bulkEventEntry } from '../src/sync/order-events.js';
import { readShopifyOrders } from '../src/sync/shopify-orders-csv.js';
import type { EventCreateBody } from '../src/klaviyo/index.js';

export interface NaiveRun {
  events: number;
  ms: number;
  /** True when the time budget ran out before the file did. */
  cut: boolean;
}

export async function sendOneByOne(options: {
  baseUrl: string;
  apiKey: string;
  ordersCsv: string;
  now: Date;
  liveWindowHours: number;
  budgetMs: number;
}): Promise<NaiveRun> {
  const client = new KlaviyoClient({ apiKey: options.apiKey, baseUrl: options.baseUrl });
  const started = performance.now();
  const deadline = started + options.budgetMs;
  let events = 0;
  let cut = false;
  const inFlight = new Set<Promise<void>>();
  reading: for await (const item of readShopifyOrders({
    source: 'shopify-orders',
    path: options.ordersCsv,
  })) {
    if (item.kind !== 'record') continue;
    const order = item.record;
    const orderEvents = eventsFromOrder(order, {
      now: options.now,
      liveWindowHours: options.liveWindowHours,
    });
    const entry = bulkEventEntry(order, orderEvents);
    if (!entry) continue;
    for (const event of entry.attributes.events.data) {
      if (performance.now() >= deadline) {
        cut = true;
        break reading;
      }
      const body = {
        data: {
          type: 'event',
          attributes: { ...event.attributes, profile: entry.attributes.profile },
        },
      } as unknown as EventCreateBody;
      const sent = client.events.create(body).then(() => {
        events += 1;
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      // The client queues by its rate windows; keep the queue short so the budget is honoured.
      if (inFlight.size >= 64) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  return { events, ms: performance.now() - started, cut };
}
