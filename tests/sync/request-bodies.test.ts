import { describe, expect, it } from 'vitest';
import { klaviyoSchemaValidator } from '../../src/klaviyo/spec/validator.js';
import { decideConsent, type ChannelDecision } from '../../src/sync/consent-gate.js';
import type { SourceCustomer, SourceOrder } from '../../src/sync/model.js';
import { bulkEventEntry, bulkEventJobBody, eventsFromOrder } from '../../src/sync/order-events.js';
import { subscriptionJobBodies, type Subscribe } from '../../src/sync/subscription-jobs.js';

const now = new Date('2026-12-01T00:00:00Z');

const order: SourceOrder = {
  source: 'shop',
  from: { file: 'o.csv', line: 2 },
  id: '1',
  number: '#1',
  customer: { email: 'a@example.com', phone: '+14155550100', firstName: 'A' },
  createdAt: '2026-11-01T10:00:00Z',
  cancelledAt: '2026-11-01T11:00:00Z',
  refunds: [{ id: 'total', amount: 3 }],
  currency: 'USD',
  subtotal: 10,
  shipping: 0,
  taxes: 0,
  total: 10,
  discountCodes: [],
  discountAmount: 0,
  tags: [],
  lines: [{ name: 'Mug', quantity: 1, price: 10, categories: [] }],
};

function customer(email: string, at?: string): SourceCustomer {
  return {
    source: 'shop',
    from: { file: 'c.csv', line: 2 },
    identity: { email, phone: '+14155550100' },
    consent: {
      email: { state: 'granted', ...(at !== undefined && { at }), provenance: 'form' },
      sms: { state: 'granted', ...(at !== undefined && { at }), provenance: 'form' },
    },
    properties: {},
  };
}

const subscribes = (v: { email: ChannelDecision; sms: ChannelDecision }) =>
  [v.email, v.sms].filter((d): d is Subscribe => d.action === 'subscribe');

describe('request bodies', () => {
  it('bulk event jobs validate against the vendored spec', () => {
    const entry = bulkEventEntry(order, eventsFromOrder(order, { now, liveWindowHours: 72 }))!;
    expect(klaviyoSchemaValidator().validate('EventsBulkCreateJob', bulkEventJobBody([entry]))).toEqual({
      ok: true,
    });
  });

  it('subscribe jobs split by channel and by historical import, each valid against the spec', () => {
    const policy = { acceptUndatedConsent: true };
    const decisions = [
      ...subscribes(decideConsent(customer('dated@example.com', '2026-05-01T00:00:00Z'), policy, now)),
      ...subscribes(decideConsent(customer('undated@example.com'), policy, now)),
    ];
    const bodies = subscriptionJobBodies(decisions, {
      listIds: { email: 'LIST1' },
      customSource: 'sync test',
    });
    expect(
      bodies.map((b) => [
        Object.keys(b.data.attributes.profiles.data[0]!.attributes.subscriptions!)[0],
        b.data.attributes.historical_import,
        b.data.relationships?.list?.data?.id,
      ]),
    ).toEqual([
      ['email', true, 'LIST1'],
      ['sms', true, undefined],
      ['email', false, 'LIST1'],
      ['sms', false, undefined],
    ]);
    expect(bodies[0]!.data.attributes.profiles.data[0]!.attributes).toEqual({
      email: 'dated@example.com',
      subscriptions: {
        email: { marketing: { consent: 'SUBSCRIBED', consented_at: '2026-05-01T00:00:00Z' } },
      },
    });
    expect(JSON.stringify(bodies[2])).not.toContain('consented_at');
    for (const body of bodies)
      expect(klaviyoSchemaValidator().validate('SubscriptionCreateJobCreateQuery', body)).toEqual({
        ok: true,
      });
  });

  it('never puts more than 1,000 profiles in one subscribe job', () => {
    const decisions: Subscribe[] = Array.from({ length: 2_001 }, (_, i) => ({
      action: 'subscribe',
      channel: 'email',
      address: `p${i}@example.com`,
      provenance: 'form',
    }));
    expect(
      subscriptionJobBodies(decisions, { listIds: {}, customSource: 's' }).map(
        (b) => b.data.attributes.profiles.data.length,
      ),
    ).toEqual([1000, 1000, 1]);
  });
});
