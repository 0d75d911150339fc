import { describe, expect, it } from 'vitest';
import { bulkEventEntry, eventsFromOrder } from '../../src/sync/order-events.js';
import type { SourceOrder } from '../../src/sync/model.js';

const order: SourceOrder = {
  source: 'shop',
  from: { file: 'orders.csv', line: 2 },
  id: '5550001',
  number: '#1001',
  customer: { email: 'ada@example.com', phone: '+1 (415) 555-0100', firstName: 'Ada' },
  createdAt: '2026-11-01T10:00:00Z',
  fulfilledAt: '2026-11-28T10:00:00Z',
  cancelledAt: undefined,
  refunds: [{ id: 'total', amount: 12 }],
  currency: 'USD',
  subtotal: 62,
  shipping: 5,
  taxes: 4.96,
  total: 66.96,
  discountCodes: ['WELCOME10'],
  discountAmount: 5,
  tags: [],
  lines: [
    {
      name: 'Cedar Candle',
      sku: 'CED-L',
      quantity: 2,
      price: 25,
      vendor: 'Emberwick',
      categories: ['Candles'],
    },
    { name: 'Wick Trimmer', sku: 'TRIM', quantity: 1, price: 12, categories: ['Tools'] },
  ],
};
const now = new Date('2026-11-30T10:00:00Z');

describe('events from an order', () => {
  it('sends Placed Order, one Ordered Product per line, Fulfilled and Refunded with the integration properties', () => {
    const events = eventsFromOrder(order, { now, liveWindowHours: 72 });
    expect(events.map((e) => [e.metric, e.value, e.uniqueId])).toEqual([
      ['Placed Order', 66.96, 'shop:5550001:placed-order:order'],
      ['Ordered Product', 50, 'shop:5550001:ordered-product:line:1:CED-L'],
      ['Ordered Product', 12, 'shop:5550001:ordered-product:line:2:TRIM'],
      ['Fulfilled Order', 66.96, 'shop:5550001:fulfilled-order:order'],
      ['Refunded Order', 12, 'shop:5550001:refunded-order:refund:total'],
    ]);
    expect(events[0]!.properties).toMatchObject({
      OrderId: '5550001',
      ItemNames: ['Cedar Candle', 'Wick Trimmer'],
      Categories: ['Candles', 'Tools'],
      Brands: ['Emberwick'],
      DiscountCode: 'WELCOME10',
      DiscountValue: 5,
      Items: [
        { SKU: 'CED-L', ProductName: 'Cedar Candle', Quantity: 2, ItemPrice: 25, RowTotal: 50 },
        { SKU: 'TRIM' },
      ],
    });
    expect(events[1]!.properties).toMatchObject({
      OrderId: '5550001',
      SKU: 'CED-L',
      ProductBrand: 'Emberwick',
    });
    expect(new Set(events.map((e) => `${e.metric}|${e.uniqueId}`)).size).toBe(events.length);
  });

  it('gives the same unique_id on every run and a different one per source and order', () => {
    const ids = (o: SourceOrder) => eventsFromOrder(o, { now, liveWindowHours: 1 }).map((e) => e.uniqueId);
    expect(ids(order)).toEqual(ids(structuredClone(order)));
    expect(ids({ ...order, source: 'other' })).not.toContain(ids(order)[0]);
    expect(ids({ ...order, id: '5550002' })).not.toContain(ids(order)[0]);
  });

  it('sends events older than the live window as backfill, newer ones live, and untimed refunds as backfill', () => {
    const byMetric = (hours: number) =>
      Object.fromEntries(
        eventsFromOrder(order, { now, liveWindowHours: hours }).map((e) => [e.metric, e.backfill]),
      );
    expect(byMetric(72)).toEqual({
      'Placed Order': true,
      'Ordered Product': true,
      'Fulfilled Order': false,
      'Refunded Order': true,
    });
    expect(byMetric(24 * 60)['Placed Order']).toBe(false);
    expect(byMetric(24 * 60)['Refunded Order']).toBe(true);
    const dated = { ...order, refunds: [{ id: 'r1', amount: 3, at: '2026-11-29T10:00:00Z' }] };
    expect(eventsFromOrder(dated, { now, liveWindowHours: 72 }).at(-1)).toMatchObject({
      backfill: false,
      time: '2026-11-29T10:00:00Z',
    });
  });

  it('builds a bulk event job entry with an E.164 phone and never a relay email', () => {
    const events = eventsFromOrder(order, { now, liveWindowHours: 72 });
    const entry = bulkEventEntry(order, events)!;
    expect(entry.attributes.profile.data.attributes).toEqual({
      email: 'ada@example.com',
      phone_number: '+14155550100',
      first_name: 'Ada',
    });
    expect(entry.attributes.events.data[0]).toMatchObject({
      type: 'event',
      attributes: {
        unique_id: 'shop:5550001:placed-order:order',
        backfill: true,
        metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
      },
    });
    const relay = { ...order, customer: { email: 'x1y2@scs.tiktokw.us' } };
    expect(bulkEventEntry(relay, events)).toBeUndefined();
  });
});
