/**
 * Segment membership after a sync: profiles imported in bulk, orders sent as bulk events, consent through bulk
 * subscribe; then each condition kind the segment DSL compiles to has a profile in and a profile out, groups AND
 * and conditions inside a group OR, and profile_count and the segment's profiles agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, KEY } from './helpers.js';

let sandbox: RunningSandbox;
let placedOrder: string;
let vipList: string;
const NOW = Date.parse('2026-08-01T12:00:00Z');

const profile = (email: string, country: string, vip: boolean) => ({
  type: 'profile',
  attributes: { email, location: { country }, properties: { VIP: vip } },
});

function order(email: string, id: string, value: number, time: string) {
  return {
    type: 'event-bulk-create',
    attributes: {
      profile: { data: { type: 'profile', attributes: { email } } },
      backfill: true,
      events: {
        data: [
          {
            type: 'event',
            attributes: {
              metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
              properties: { OrderId: id },
              value,
              time,
              unique_id: id,
            },
          },
        ],
      },
    },
  };
}

beforeAll(async () => {
  sandbox = await startSandbox({ enforceRateLimits: false, clock: { now: () => NOW } });
  const list = await api(sandbox, 'POST', '/api/lists', {
    data: { type: 'list', attributes: { name: 'VIP' } },
  });
  vipList = list.body.data.id;
  const imported = await api(sandbox, 'POST', '/api/profile-bulk-import-jobs', {
    data: {
      type: 'profile-bulk-import-job',
      attributes: {
        profiles: { data: [profile('ann@a.example', 'US', true), profile('bob@b.example', 'DE', false)] },
      },
      relationships: { lists: { data: [{ type: 'list', id: vipList }] } },
    },
  });
  expect(imported.status).toBe(202);
  // Bob leaves the list: the import put both in it.
  await api(sandbox, 'POST', '/api/profile-bulk-import-jobs', {
    data: {
      type: 'profile-bulk-import-job',
      attributes: { profiles: { data: [profile('cy@c.example', 'FR', false)] } },
    },
  });
  const bob = sandbox.account(KEY).state;
  const bobId = Object.values(bob.profiles).find((p) => p.attributes.email === 'bob@b.example')!.id;
  const removed = await api(sandbox, 'DELETE', `/api/lists/${vipList}/relationships/profiles`, {
    data: [{ type: 'profile', id: bobId }],
  });
  expect(removed.status).toBe(204);
  const events = await api(sandbox, 'POST', '/api/event-bulk-create-jobs', {
    data: {
      type: 'event-bulk-create-job',
      attributes: {
        'events-bulk-create': {
          data: [
            order('ann@a.example', 'A1', 100, '2026-07-20T10:00:00Z'),
            order('ann@a.example', 'A2', 60, '2026-07-25T10:00:00Z'),
            order('bob@b.example', 'B1', 10, '2025-06-01T10:00:00Z'),
          ],
        },
      },
    },
  });
  expect(events.status).toBe(202);
  const subscribed = await api(sandbox, 'POST', '/api/profile-subscription-bulk-create-jobs', {
    data: {
      type: 'profile-subscription-bulk-create-job',
      attributes: {
        profiles: {
          data: [
            {
              type: 'profile',
              attributes: {
                email: 'ann@a.example',
                subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } },
              },
            },
          ],
        },
      },
    },
  });
  expect(subscribed.status).toBe(202);
  const metrics = await api(sandbox, 'GET', '/api/metrics');
  placedOrder = metrics.body.data.find(
    (m: { attributes: { name: string } }) => m.attributes.name === 'Placed Order',
  ).id;
});
afterAll(() => sandbox.close());

/** The emails in a segment of these condition groups, read both as profile_count and as its profiles. */
async function members(groups: unknown[][]): Promise<string[]> {
  const created = await api(sandbox, 'POST', '/api/segments', {
    data: {
      type: 'segment',
      attributes: {
        name: `s${Math.random()}`,
        definition: { condition_groups: groups.map((conditions) => ({ conditions })) },
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.data.id;
  const counted = await api(sandbox, 'GET', `/api/segments/${id}?additional-fields[segment]=profile_count`);
  const listed = await api(sandbox, 'GET', `/api/segments/${id}/profiles`);
  const emails = listed.body.data.map((p: { attributes: { email: string } }) => p.attributes.email).sort();
  expect(counted.body.data.attributes.profile_count).toBe(emails.length);
  const ids = await api(sandbox, 'GET', `/api/segments/${id}/relationships/profiles`);
  expect(ids.body.data).toHaveLength(emails.length);
  return emails;
}

const metric = (measurement: string, operator: string, value: number, extra: object = {}) => ({
  type: 'profile-metric',
  metric_id: placedOrder,
  measurement,
  measurement_filter: { type: 'numeric', operator, value },
  timeframe_filter: { type: 'date', operator: 'alltime' },
  metric_filters: null,
  ...extra,
});

describe('segment membership', () => {
  it('counts a metric: at least N events, a sum of value, within a time frame, with event filters', async () => {
    expect(await members([[metric('count', 'greater-than-or-equal', 2)]])).toEqual(['ann@a.example']);
    expect(await members([[metric('count', 'equals', 0)]])).toEqual(['cy@c.example']);
    expect(await members([[metric('sum', 'greater-than-or-equal', 150)]])).toEqual(['ann@a.example']);
    const recent = { timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 } };
    expect(await members([[metric('count', 'greater-than-or-equal', 1, recent)]])).toEqual(['ann@a.example']);
    const byOrder = {
      metric_filters: [{ property: 'OrderId', filter: { type: 'string', operator: 'equals', value: 'B1' } }],
    };
    expect(await members([[metric('count', 'greater-than-or-equal', 1, byOrder)]])).toEqual([
      'bob@b.example',
    ]);
    const big = {
      metric_filters: [
        { property: '$value', filter: { type: 'numeric', operator: 'greater-than', value: 80 } },
      ],
    };
    expect(await members([[metric('count', 'greater-than-or-equal', 1, big)]])).toEqual(['ann@a.example']);
  });

  it('reads marketing consent, profile properties, list membership and region', async () => {
    const consent = {
      type: 'profile-marketing-consent',
      consent: {
        channel: 'email',
        can_receive_marketing: true,
        consent_status: { subscription: 'subscribed', filters: null },
      },
    };
    expect(await members([[consent]])).toEqual(['ann@a.example']);
    const vip = {
      type: 'profile-property',
      property: "properties['VIP']",
      filter: { type: 'boolean', operator: 'equals', value: true },
    };
    expect(await members([[vip]])).toEqual(['ann@a.example']);
    const domain = {
      type: 'profile-property',
      property: 'email',
      filter: { type: 'string', operator: 'ends-with', value: '@b.example' },
    };
    expect(await members([[domain]])).toEqual(['bob@b.example']);
    const inList = { type: 'profile-group-membership', is_member: true, group_ids: [vipList] };
    expect(await members([[inList]])).toEqual(['ann@a.example']);
    const notInList = { type: 'profile-group-membership', is_member: false, group_ids: [vipList] };
    expect(await members([[notInList]])).toEqual(['bob@b.example', 'cy@c.example']);
    const us = { type: 'profile-region', in_region: true, region: 'united_states' };
    const eu = { type: 'profile-region', in_region: true, region: 'european_union' };
    expect(await members([[us]])).toEqual(['ann@a.example']);
    expect(await members([[eu]])).toEqual(['bob@b.example', 'cy@c.example']);
  });

  it('ANDs groups and ORs the conditions inside a group', async () => {
    const eu = { type: 'profile-region', in_region: true, region: 'european_union' };
    const us = { type: 'profile-region', in_region: true, region: 'united_states' };
    const bought = metric('count', 'greater-than-or-equal', 1);
    expect(await members([[eu], [bought]])).toEqual(['bob@b.example']);
    expect(await members([[us, eu]])).toEqual(['ann@a.example', 'bob@b.example', 'cy@c.example']);
  });

  it('holds for nobody on predictive analytics, and refuses a condition type it cannot compute', async () => {
    const predictive = {
      type: 'profile-predictive-analytics',
      dimension: 'predicted_clv',
      filter: { type: 'numeric', operator: 'greater-than', value: 1 },
    };
    expect(await members([[predictive]])).toEqual([]);
    const created = await api(sandbox, 'POST', '/api/segments', {
      data: {
        type: 'segment',
        attributes: {
          name: 'near',
          definition: {
            condition_groups: [
              {
                conditions: [
                  {
                    type: 'profile-postal-code-distance',
                    country_code: 'US',
                    postal_code: '97201',
                    unit: 'miles',
                    filter: { type: 'numeric', operator: 'less-than', value: 10 },
                  },
                ],
              },
            ],
          },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const counted = await api(
      sandbox,
      'GET',
      `/api/segments/${created.body.data.id}?additional-fields[segment]=profile_count`,
    );
    expect(counted.status).toBe(501);
    expect(counted.body.errors[0].detail).toMatch(/profile-postal-code-distance/);
  });
});
