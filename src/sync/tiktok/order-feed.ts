import type { TikTokOrder } from './api-types.js';
import { MAX_PAGE_SIZE, ORDER_SEARCH_PATH, type TikTokOrderSearch } from './client.js';
import { TikTokShopResponseError } from './errors.js';

/**
 * Every order updated in `[since, until)`, window by window on `update_time` (not `create_time`: an order reaches
 * COMPLETED long after it was created, and windowing on creation would miss it), page by page within a window,
 * oldest update first. The cursor is the latest `update_time` handed out, so the next run starts from it.
 */

export interface OrderFeedOptions {
  client: TikTokOrderSearch;
  /** Unix seconds, inclusive: the previous run's cursor, or the start of the backfill. */
  since: number;
  /** Unix seconds, exclusive: usually "now" when the run started. */
  until: number;
  /** Width of one `update_time` window. Default one day. */
  windowSeconds?: number;
  /** Orders per page, 1 to 100. Default 50. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface OrderFeedProgress {
  windows: number;
  pages: number;
  orders: number;
}

export const DEFAULT_WINDOW_SECONDS = 86_400;
export const DEFAULT_PAGE_SIZE = 50;

export class TikTokOrderFeed implements AsyncIterable<TikTokOrder> {
  private readonly options: Required<Omit<OrderFeedOptions, 'signal'>> & { signal: AbortSignal | undefined };
  private latestUpdateTime: number;
  private readonly counts: OrderFeedProgress = { windows: 0, pages: 0, orders: 0 };

  constructor(options: OrderFeedOptions) {
    const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    for (const [name, value] of [
      ['since', options.since],
      ['until', options.until],
    ] as const) {
      if (!Number.isInteger(value) || value < 0)
        throw new RangeError(`${name} must be Unix seconds, got ${value}`);
    }
    if (options.since > options.until) {
      throw new RangeError(`since (${options.since}) is after until (${options.until})`);
    }
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
    }
    this.options = { ...options, windowSeconds, pageSize, signal: options.signal };
    this.latestUpdateTime = options.since;
  }

  /**
   * Where the next run should start (`since`): the latest `update_time` among the orders handed out so far, or
   * `since` before any. Inclusive on purpose: orders sharing that second are fetched again rather than skipped,
   * which is safe because every write downstream is keyed by order id. Save it only after the orders handed out
   * are durably handled.
   */
  get cursor(): number {
    return this.latestUpdateTime;
  }

  get progress(): OrderFeedProgress {
    return { ...this.counts };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TikTokOrder> {
    const { client, since, until, windowSeconds, pageSize, signal } = this.options;
    for (let start = since; start < until; start += windowSeconds) {
      const end = Math.min(until, start + windowSeconds);
      this.counts.windows++;
      let pageToken: string | undefined;
      const seenTokens = new Set<string>();
      do {
        const page = await client.searchOrders({
          updateTimeGe: start,
          updateTimeLt: end,
          pageSize,
          pageToken,
          signal,
        });
        this.counts.pages++;
        for (const order of page.orders) {
          this.counts.orders++;
          if (order.update_time > this.latestUpdateTime) this.latestUpdateTime = order.update_time;
          yield order;
        }
        pageToken = page.nextPageToken;
        // A token seen twice would loop forever; stop loudly instead.
        if (pageToken !== undefined) {
          if (seenTokens.has(pageToken)) {
            throw new TikTokShopResponseError(
              `TikTok Shop ${ORDER_SEARCH_PATH} returned the same page token twice in window [${start}, ${end})`,
              { code: 0, httpStatus: 200, requestId: undefined, path: ORDER_SEARCH_PATH },
            );
          }
          seenTokens.add(pageToken);
        }
      } while (pageToken !== undefined);
    }
  }
}
