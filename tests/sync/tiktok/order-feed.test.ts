import { afterEach, describe, expect, it } from 'vitest';
import type { TikTokOrder } from '../../../src/sync/tiktok/api-types.js';
import { TikTokShopRateLimitError } from '../../../src/sync/tiktok/errors.js';
import { TikTokOrderFeed } from '../../../src/sync/tiktok/order-feed.js';
import { DAY, DAY0, shopUnderTest, tiktokOrder, type ShopUnderTest } from './tiktok-fixtures.js';

let under: ShopUnderTest | undefined;
afterEach(async () => {
  await under?.shop.close();
  under = undefined;
});

/** Seven orders over three days, two of them updated in the same second, plus two outside the range. */
function threeDaysOfOrders(): TikTokOrder[] {
  return [
    tiktokOrder('before', DAY0 - 1),
    tiktokOrder('a', DAY0 + 10),
    tiktokOrder('b', DAY0 + 500),
    tiktokOrder('c', DAY0 + 501),
    tiktokOrder('d', DAY0 + DAY + 5),
    tiktokOrder('e', DAY0 + DAY + 5),
    tiktokOrder('f', DAY0 + 2 * DAY + 100),
    tiktokOrder('g', DAY0 + 3 * DAY - 1),
    tiktokOrder('after', DAY0 + 3 * DAY),
  ];
}

async function drain(feed: AsyncIterable<TikTokOrder>, limit = Infinity): Promise<string[]> {
  const ids: string[] = [];
  for await (const order of feed) {
    ids.push(order.id);
    if (ids.length >= limit) break;
  }
  return ids;
}

describe('TikTokOrderFeed', () => {
  it('walks every page of every update_time window, oldest update first, and nothing outside the range', async () => {
    under = await shopUnderTest(threeDaysOfOrders());
    const feed = new TikTokOrderFeed({
      client: under.client(),
      since: DAY0,
      until: DAY0 + 3 * DAY,
      pageSize: 2,
    });
    expect(await drain(feed)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(feed.progress).toEqual({ windows: 3, pages: 4, orders: 7 });
    const asked = under.shop.requests.map((r) => [
      r.body.update_time_ge,
      r.body.update_time_lt,
      r.query.page_token ? 'next' : 'first',
    ]);
    expect(asked).toEqual([
      [DAY0, DAY0 + DAY, 'first'],
      [DAY0, DAY0 + DAY, 'next'],
      [DAY0 + DAY, DAY0 + 2 * DAY, 'first'],
      [DAY0 + 2 * DAY, DAY0 + 3 * DAY, 'first'],
    ]);
    expect(feed.cursor).toBe(DAY0 + 3 * DAY - 1);
  });

  it('ends the last window at `until`, not a whole window later', async () => {
    under = await shopUnderTest(threeDaysOfOrders());
    const until = DAY0 + DAY + 6;
    const feed = new TikTokOrderFeed({ client: under.client(), since: DAY0, until });
    expect(await drain(feed)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(under.shop.requests.at(-1)!.body).toEqual({ update_time_ge: DAY0 + DAY, update_time_lt: until });
  });

  it('resumes from the cursor of an interrupted run without missing an order', async () => {
    under = await shopUnderTest(threeDaysOfOrders());
    const range = { since: DAY0, until: DAY0 + 3 * DAY, pageSize: 2 };
    const first = new TikTokOrderFeed({ client: under.client(), ...range });
    // Interrupted after 'd': 'e' shares d's update_time and has not been handed out.
    expect(await drain(first, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(first.cursor).toBe(DAY0 + DAY + 5);
    const second = new TikTokOrderFeed({ client: under.client(), ...range, since: first.cursor });
    // 'd' comes again (same second, inclusive cursor); downstream writes are keyed by order id.
    expect(await drain(second)).toEqual(['d', 'e', 'f', 'g']);
    expect(second.cursor).toBe(DAY0 + 3 * DAY - 1);
  });

  it('keeps the cursor at `since` when nothing changed, so the next run does not skip ahead', async () => {
    under = await shopUnderTest([]);
    const feed = new TikTokOrderFeed({ client: under.client(), since: DAY0, until: DAY0 + 2 * DAY });
    expect(await drain(feed)).toEqual([]);
    expect(feed.cursor).toBe(DAY0);
  });

  it('rides out a rate limit in the middle of a window, and stops when it does not end', async () => {
    under = await shopUnderTest(threeDaysOfOrders());
    const client = under.client({ maxRetries: 2 });
    const feed = new TikTokOrderFeed({ client, since: DAY0, until: DAY0 + 3 * DAY, pageSize: 2 });
    const ids: string[] = [];
    for await (const order of feed) {
      ids.push(order.id);
      if (order.id === 'a') under.shop.failNext(2, { kind: 'rate-limit', retryAfterSeconds: 1 });
    }
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);

    under.shop.failNext(3, { kind: 'rate-limit' });
    const stuck = new TikTokOrderFeed({ client, since: DAY0, until: DAY0 + 3 * DAY });
    await expect(drain(stuck)).rejects.toBeInstanceOf(TikTokShopRateLimitError);
    expect(stuck.cursor).toBe(DAY0);
  });

  it('refuses a range or page size it cannot honour, before calling TikTok', async () => {
    under = await shopUnderTest([]);
    const client = under.client();
    expect(() => new TikTokOrderFeed({ client, since: DAY0 + 1, until: DAY0 })).toThrow(
      /since .* is after until/,
    );
    expect(() => new TikTokOrderFeed({ client, since: DAY0, until: DAY0 + 1, pageSize: 101 })).toThrow(
      /pageSize/,
    );
    expect(() => new TikTokOrderFeed({ client, since: DAY0 * 1000 + 0.5, until: DAY0 })).toThrow(
      /Unix seconds/,
    );
    expect(under.shop.requests).toHaveLength(0);
  });

  it('stops with an error when TikTok hands out the same page token twice', async () => {
    const looping = {
      searchOrders: () => Promise.resolve({ orders: [], nextPageToken: 'again', totalCount: undefined }),
    };
    const feed = new TikTokOrderFeed({ client: looping, since: DAY0, until: DAY0 + DAY });
    await expect(drain(feed)).rejects.toThrow(/same page token twice/);
  });
});
