import type { Clock } from '../../../src/klaviyo/index.js';
import type { TikTokOrder } from '../../../src/sync/tiktok/api-types.js';
import { TikTokShopClient, type TikTokShopClientOptions } from '../../../src/sync/tiktok/client.js';
import { startFakeTikTokShop, type FakeTikTokShop } from '../fake-tiktok-shop.js';

export const CREDENTIALS = {
  appKey: '68xu9ks5p4i8',
  appSecret: 'e59af819cc-test-secret',
  accessToken: 'TTP_test_access_token_one',
  shopCipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
};

/** Unix seconds of 2026-08-01T00:00:00Z: the day the fixtures' orders start. */
export const DAY0 = Date.UTC(2026, 7, 1) / 1000;
export const DAY = 86_400;

/** Virtual time: sleeping advances it at once and is recorded, so retries and pacing cost nothing. */
export class SteppingClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** A TikTok order as the API serves it: relay email, masked name, phone and street, unmasked country. */
export function tiktokOrder(
  id: string,
  updateTime: number,
  overrides: Partial<TikTokOrder> = {},
): TikTokOrder {
  return {
    id,
    status: 'COMPLETED',
    create_time: updateTime - 3_600,
    update_time: updateTime,
    paid_time: updateTime - 3_500,
    user_id: `7494${id}`,
    buyer_email: `v${id}buyer@scs.tiktokw.us`,
    payment: {
      currency: 'USD',
      sub_total: '38.00',
      shipping_fee: '4.99',
      seller_discount: '3.00',
      platform_discount: '1.00',
      tax: '2.10',
      total_amount: '41.09',
    },
    recipient_address: {
      name: 'J*** D***',
      first_name: 'J***',
      last_name: 'D***',
      phone_number: '(+1)213*****47',
      full_address: '1** M*** St, Los Angeles, CA, 90***',
      address_line1: '1** M*** St',
      postal_code: '90***',
      region_code: 'US',
      district_info: [
        { address_level_name: 'Country', address_name: 'United States' },
        { address_level_name: 'State', address_name: 'California' },
        { address_level_name: 'City', address_name: 'Los Angeles' },
      ],
    },
    line_items: [
      {
        id: `${id}-1`,
        sku_id: 'sku-candle-amber',
        product_id: 'prod-candle',
        product_name: 'Amber Candle',
        sku_name: 'Large',
        seller_sku: 'EMB-AMB-L',
        sale_price: '19.00',
        original_price: '22.00',
        currency: 'USD',
      },
      {
        id: `${id}-2`,
        sku_id: 'sku-candle-amber',
        product_id: 'prod-candle',
        product_name: 'Amber Candle',
        sku_name: 'Large',
        seller_sku: 'EMB-AMB-L',
        sale_price: '19.00',
        currency: 'USD',
      },
    ],
    ...overrides,
  };
}

export interface ShopUnderTest {
  shop: FakeTikTokShop;
  clock: SteppingClock;
  client(overrides?: Partial<TikTokShopClientOptions>): TikTokShopClient;
}

/** A fake shop and a client pointed at it, sharing one virtual clock that starts at `nowSeconds`. */
export async function shopUnderTest(
  orders: TikTokOrder[],
  nowSeconds = DAY0 + 10 * DAY,
): Promise<ShopUnderTest> {
  const clock = new SteppingClock(nowSeconds * 1000);
  const shop = await startFakeTikTokShop({
    ...CREDENTIALS,
    now: () => clock.now(),
    orders,
    expiredTokens: ['TTP_expired'],
  });
  return {
    shop,
    clock,
    client: (overrides = {}) =>
      new TikTokShopClient({
        credentials: CREDENTIALS,
        baseUrl: shop.url,
        clock,
        backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000, random: () => 0.5 },
        ...overrides,
      }),
  };
}
