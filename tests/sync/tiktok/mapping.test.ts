import { afterEach, describe, expect, it } from 'vitest';
import { isMasked, mapTikTokOrder, toE164 } from '../../../src/sync/tiktok/mapping.js';
import { TikTokOrderFeed } from '../../../src/sync/tiktok/order-feed.js';
import type { SyncOrder } from '../../../src/sync/tiktok/records.js';
import { DAY, DAY0, shopUnderTest, tiktokOrder, type ShopUnderTest } from './tiktok-fixtures.js';

function mapped(order = tiktokOrder('1001', DAY0 + 60)): SyncOrder {
  const result = mapTikTokOrder(order);
  if (result.kind !== 'order') throw new Error(`rejected: ${result.problems.join('; ')}`);
  return result.order;
}

let under: ShopUnderTest | undefined;
afterEach(async () => {
  await under?.shop.close();
  under = undefined;
});

describe('mapTikTokOrder: buyers', () => {
  it('never uses the relay address as an email: the profile is keyed by tiktok:<user id>, email stays empty', () => {
    const customer = mapped().customer!;
    expect(customer.externalId).toBe('tiktok:74941001');
    expect(customer.email).toBeUndefined();
    expect(customer.relayEmail).toBe('v1001buyer@scs.tiktokw.us');
    expect(customer.consent).toEqual({
      email: { kind: 'never', reason: 'tiktok-relay-address' },
      sms: { kind: 'never', reason: 'tiktok-platform-policy' },
    });
  });

  it('treats any buyer_email as a relay address, whatever its domain', () => {
    const customer = mapped(tiktokOrder('1002', DAY0, { buyer_email: 'someone@example.com' })).customer!;
    expect(customer.email).toBeUndefined();
    expect(customer.relayEmail).toBe('someone@example.com');
    expect(customer.consent.email.kind).toBe('never');
  });

  it('drops masked names, phones and address parts, and keeps the unmasked ones', () => {
    const customer = mapped().customer!;
    expect(customer.firstName).toBeUndefined();
    expect(customer.lastName).toBeUndefined();
    expect(customer.phoneNumber).toBeUndefined();
    expect(customer.location).toEqual({ city: 'Los Angeles', region: 'California', country: 'US' });
    expect(JSON.stringify(customer)).not.toContain('*');
  });

  it('keeps an unmasked buyer as given, with the phone in E.164', () => {
    const order = tiktokOrder('1003', DAY0, {
      recipient_address: {
        first_name: 'Jane',
        last_name: 'Doe',
        phone_number: '(+1)2135550147',
        address_line1: '12 Main St',
        postal_code: '90012',
        region_code: 'US',
      },
    });
    expect(mapped(order).customer).toMatchObject({
      firstName: 'Jane',
      lastName: 'Doe',
      phoneNumber: '+12135550147',
      location: { address1: '12 Main St', zip: '90012', country: 'US' },
    });
  });

  it('has no customer when TikTok gives no buyer id, rather than inventing one', () => {
    expect(mapped(tiktokOrder('1004', DAY0, { user_id: undefined })).customer).toBeUndefined();
  });

  it('knows a masked value and an E.164 phone when it sees one', () => {
    expect(isMasked('J***')).toBe(true);
    expect(isMasked('Jane')).toBe(false);
    expect(toE164('(+44) 7700 900123')).toBe('+447700900123');
    expect(toE164('2135550147')).toBeUndefined();
    expect(toE164('(+1)213*****47')).toBeUndefined();
  });
});

describe('mapTikTokOrder: orders', () => {
  it('maps times, currency, totals and one line per unit', () => {
    const order = mapped();
    expect(order).toMatchObject({
      source: 'tiktok-shop',
      id: '1001',
      stage: 'fulfilled',
      sourceStatus: 'COMPLETED',
      updatedAt: new Date((DAY0 + 60) * 1000).toISOString(),
      createdAt: new Date((DAY0 + 60 - 3_600) * 1000).toISOString(),
      cancelledAt: undefined,
      currency: 'USD',
      totals: { subtotal: 38, shipping: 4.99, tax: 2.1, discount: 4, total: 41.09 },
    });
    expect(order.lines).toHaveLength(2);
    expect(order.lines[0]).toEqual({
      id: '1001-1',
      productId: 'prod-candle',
      variantId: 'sku-candle-amber',
      sku: 'EMB-AMB-L',
      name: 'Amber Candle',
      variantName: 'Large',
      quantity: 1,
      unitPrice: 19,
      imageUrl: undefined,
    });
  });

  it.each([
    ['UNPAID', 'unpaid'],
    ['AWAITING_SHIPMENT', 'placed'],
    ['IN_TRANSIT', 'fulfilled'],
    ['CANCELLED', 'cancelled'],
  ])('maps status %s to the %s stage', (status, stage) => {
    expect(mapped(tiktokOrder('1005', DAY0, { status })).stage).toBe(stage);
  });

  it('rejects an order it cannot read, naming each field, instead of guessing', () => {
    const result = mapTikTokOrder(
      tiktokOrder('1006', DAY0, {
        status: 'TELEPORTED',
        payment: { currency: 'USD', total_amount: '12,50' },
      }),
    );
    expect(result).toEqual({
      kind: 'rejected',
      source: 'tiktok-shop',
      orderId: '1006',
      problems: [
        'status "TELEPORTED" is not a known TikTok order status',
        'payment.total_amount is not a decimal amount: "12,50"',
      ],
    });
  });
});

describe('TikTok Shop orders end to end', () => {
  it('never puts a relay address or a masked value where Klaviyo would use it', async () => {
    const orders = Array.from({ length: 12 }, (_, i) => tiktokOrder(String(2000 + i), DAY0 + i * 7_200));
    under = await shopUnderTest(orders);
    const feed = new TikTokOrderFeed({ client: under.client(), since: DAY0, until: DAY0 + DAY, pageSize: 5 });
    const customers = [];
    for await (const order of feed) {
      const result = mapTikTokOrder(order);
      expect(result.kind).toBe('order');
      if (result.kind === 'order') customers.push(result.order.customer!);
    }
    expect(customers).toHaveLength(12);
    for (const customer of customers) {
      expect(customer.email).toBeUndefined();
      expect(customer.consent.email.kind).toBe('never');
      const { relayEmail, ...sent } = customer;
      expect(relayEmail).toMatch(/@scs\.tiktokw\.us$/);
      expect(JSON.stringify(sent)).not.toMatch(/@|\*/);
    }
  });
});
