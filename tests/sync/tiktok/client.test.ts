import { afterEach, describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/sync/tiktok/signing.js';
import {
  TikTokShopAuthError,
  TikTokShopRateLimitError,
  TikTokShopServerError,
} from '../../../src/sync/tiktok/errors.js';
import { ORDER_SEARCH_PATH } from '../fake-tiktok-shop.js';
import { CREDENTIALS, DAY, DAY0, shopUnderTest, tiktokOrder, type ShopUnderTest } from './tiktok-fixtures.js';

const WINDOW = { updateTimeGe: DAY0, updateTimeLt: DAY0 + DAY, pageSize: 50 };
let under: ShopUnderTest | undefined;

afterEach(async () => {
  await under?.shop.close();
  under = undefined;
});

/** A signed order search sent by hand, so single parts can be broken. */
async function rawSearch(
  t: ShopUnderTest,
  edit: (query: Record<string, string>, headers: Record<string, string>) => void = () => undefined,
  timestampSkewSeconds = 0,
): Promise<{ status: number; code: number; message: string }> {
  const body = JSON.stringify({ update_time_ge: DAY0, update_time_lt: DAY0 + DAY });
  const query: Record<string, string> = {
    app_key: CREDENTIALS.appKey,
    timestamp: String(Math.floor(t.clock.now() / 1000) + timestampSkewSeconds),
    shop_cipher: CREDENTIALS.shopCipher,
    page_size: '10',
  };
  query.sign = signRequest({ appSecret: CREDENTIALS.appSecret, path: ORDER_SEARCH_PATH, query, body });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-tts-access-token': CREDENTIALS.accessToken,
  };
  edit(query, headers);
  const res = await fetch(`${t.shop.url}${ORDER_SEARCH_PATH}?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    headers,
    body,
  });
  const json = (await res.json()) as { code: number; message: string };
  return { status: res.status, code: json.code, message: json.message };
}

describe('the fake TikTok Shop checks every request like TikTok', () => {
  it('accepts a correctly signed request', async () => {
    under = await shopUnderTest([tiktokOrder('1001', DAY0 + 60)]);
    expect(await rawSearch(under)).toMatchObject({ status: 200, code: 0 });
  });

  it('refuses a signature that does not cover what was sent (106001)', async () => {
    under = await shopUnderTest([]);
    const tampered = await rawSearch(under, (query) => {
      query.page_size = '100';
    });
    expect(tampered).toMatchObject({ status: 401, code: 106001 });
    const wrong = await rawSearch(under, (query) => {
      query.sign = query.sign!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    });
    expect(wrong).toMatchObject({ status: 401, code: 106001 });
  });

  it('refuses a missing signature, a missing or stale timestamp and a wrong token', async () => {
    under = await shopUnderTest([]);
    const noSign = await rawSearch(under, (q) => delete q.sign);
    expect(noSign).toMatchObject({ code: 36009004, message: expect.stringContaining('signature') });
    const noTime = await rawSearch(under, (q) => delete q.timestamp);
    expect(noTime).toMatchObject({ code: 36009004, message: expect.stringContaining('timestamp') });
    expect(await rawSearch(under, undefined, -290)).toMatchObject({ code: 0 });
    const stale = await rawSearch(under, undefined, -301);
    expect(stale).toMatchObject({ code: 36009004, message: expect.stringContaining('timestamp') });
    const badToken = await rawSearch(under, (_q, h) => (h['x-tts-access-token'] = 'TTP_someone_else'));
    expect(badToken).toMatchObject({
      status: 401,
      code: 36009004,
      message: expect.stringContaining('x-tts-access-token'),
    });
  });
});

describe('TikTokShopClient.searchOrders', () => {
  it('sends a signed search with the token in a header, never in the URL', async () => {
    under = await shopUnderTest([tiktokOrder('1001', DAY0 + 60), tiktokOrder('1002', DAY0 + DAY + 60)]);
    const page = await under.client().searchOrders(WINDOW);
    expect(page.orders.map((o) => o.id)).toEqual(['1001']);
    expect(page.nextPageToken).toBeUndefined();
    const [request] = under.shop.requests;
    expect(request).toMatchObject({ code: 0, body: { update_time_ge: DAY0, update_time_lt: DAY0 + DAY } });
    expect(request!.query).toMatchObject({
      app_key: CREDENTIALS.appKey,
      shop_cipher: CREDENTIALS.shopCipher,
      page_size: '50',
    });
    expect(request!.headers['x-tts-access-token']).toBe(CREDENTIALS.accessToken);
    expect(JSON.stringify(request!.query)).not.toContain(CREDENTIALS.accessToken);
    expect(request!.query).not.toHaveProperty('page_token');
  });

  it('reports a wrong app secret as a signature problem, once, without retrying or leaking secrets', async () => {
    under = await shopUnderTest([]);
    const client = under.client({ credentials: { ...CREDENTIALS, appSecret: 'not-the-secret' } });
    const error = await client.searchOrders(WINDOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({
      problem: 'signature',
      code: 106001,
      httpStatus: 401,
      path: ORDER_SEARCH_PATH,
    });
    expect(under.shop.requests).toHaveLength(1);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain('not-the-secret');
    expect(text).not.toContain(CREDENTIALS.accessToken);
  });

  it('tells an expired token, an unknown token and a skewed clock apart', async () => {
    under = await shopUnderTest([]);
    const expired = await under
      .client({ credentials: { ...CREDENTIALS, accessToken: 'TTP_expired' } })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(expired).toMatchObject({ name: 'TikTokShopAuthError', problem: 'access-token', code: 105002 });
    const unknown = await under
      .client({ credentials: { ...CREDENTIALS, accessToken: 'TTP_unknown' } })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'TikTokShopAuthError', problem: 'access-token', code: 36009004 });
    const skewed = { now: () => under!.clock.now() - 600_000, sleep: () => Promise.resolve() };
    const stale = await under
      .client({ clock: skewed })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ name: 'TikTokShopAuthError', problem: 'timestamp' });
  });

  it('waits out rate limits (Retry-After first) and succeeds', async () => {
    under = await shopUnderTest([tiktokOrder('1001', DAY0 + 60)]);
    under.shop.failNext(2, { kind: 'rate-limit', retryAfterSeconds: 7 });
    const page = await under.client().searchOrders(WINDOW);
    expect(page.orders).toHaveLength(1);
    expect(under.shop.requests.map((r) => r.code)).toEqual([36009002, 36009002, 0]);
    expect(under.clock.sleeps.filter((ms) => ms === 7_000)).toHaveLength(2);
  });

  it('gives up on a rate limit that does not end, after the allowed retries', async () => {
    under = await shopUnderTest([]);
    under.shop.failNext(100, { kind: 'rate-limit' });
    const error = await under
      .client({ maxRetries: 3 })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokShopRateLimitError);
    expect((error as Error).message).toContain('gave up after 4 attempts');
    expect(under.shop.requests).toHaveLength(4);
  });

  it('retries 5xx and then gives up with a server error', async () => {
    under = await shopUnderTest([tiktokOrder('1001', DAY0 + 60)]);
    under.shop.failNext(1, { kind: 'server' });
    expect((await under.client().searchOrders(WINDOW)).orders).toHaveLength(1);
    under.shop.failNext(10, { kind: 'server' });
    const error = await under
      .client({ maxRetries: 2 })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokShopServerError);
    expect(error).toMatchObject({ code: 36009003, httpStatus: 500 });
  });

  it('retries a network failure a bounded number of times', async () => {
    under = await shopUnderTest([]);
    let calls = 0;
    const failing: typeof fetch = () => {
      calls++;
      return Promise.reject(new TypeError('fetch failed'));
    };
    const error = await under
      .client({ fetch: failing, maxRetries: 2 })
      .searchOrders(WINDOW)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokShopServerError);
    expect((error as Error).message).toContain('network failure');
    expect(calls).toBe(3);
  });

  it('paces requests to the configured rate', async () => {
    under = await shopUnderTest([]);
    const client = under.client({ requestsPerSecond: 2 });
    const start = under.clock.now();
    for (let i = 0; i < 3; i++) await client.searchOrders(WINDOW);
    expect(under.clock.now() - start).toBe(1_000);
  });
});
