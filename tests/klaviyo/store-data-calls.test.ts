/**
 * The calls a store-data integration makes, against the sandbox over HTTP with Klaviyo's rate limits enforced:
 * lists by name and membership by email, a profile's events page by page, a segment's size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { collect, filter, KlaviyoClient } from '../../src/klaviyo/index.js';
import { segmentCreate } from './helpers/bodies.js';

const KEY = 'pk_store_data_0123456789';

let sandbox: RunningSandbox;
let client: KlaviyoClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, accounts: { [KEY]: 'AcctStore' } });
  client = new KlaviyoClient({ apiKey: KEY, baseUrl: sandbox.url });
});

afterAll(async () => {
  await sandbox.close();
});

const memberIds = async (listId: string) =>
  (await collect(client.lists.listProfiles(listId))).map((p) => p.id).sort();

describe('calls of a store-data integration', () => {
  it('lists: getOrCreate called concurrently and again later makes one list', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.lists.getOrCreate('Store customers')),
    );
    const later = await client.lists.getOrCreate('Store customers');
    const named = await collect(client.lists.list({ filter: filter.equals('name', 'Store customers') }));
    expect(named).toHaveLength(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set([...results, later].map((r) => r.list.id))).toEqual(new Set([named[0]!.id]));
    expect(later.created).toBe(false);
  });

  it('lists: adds and removes members by email, resolving emails case-insensitively', async () => {
    const { list } = await client.lists.getOrCreate('Email members');
    const known = await client.profiles.upsert({
      data: { type: 'profile', attributes: { email: 'known@example.com' } },
    });

    const strict = await client.lists.addProfilesByEmail(list.id, ['stranger@example.com'], {
      createMissing: false,
    });
    expect(strict).toEqual({ profileIds: [], createdProfiles: [], missing: ['stranger@example.com'] });
    expect(await client.profiles.findByEmail('stranger@example.com')).toBeUndefined();

    const added = await client.lists.addProfilesByEmail(list.id, [
      'Known@Example.com',
      'new@example.com',
      'known@example.com',
    ]);
    const created = await client.profiles.findByEmail('new@example.com');
    expect(added).toEqual({
      profileIds: [known.id, created!.id],
      createdProfiles: ['new@example.com'],
      missing: [],
    });
    expect(await memberIds(list.id)).toEqual([known.id, created!.id].sort());

    const removed = await client.lists.removeProfilesByEmail(list.id, [
      'KNOWN@example.com',
      'ghost@example.com',
    ]);
    expect(removed).toEqual({ profileIds: [known.id], createdProfiles: [], missing: ['ghost@example.com'] });
    expect(await memberIds(list.id)).toEqual([created!.id]);
  });

  it('lists: adds and removes members by profile id', async () => {
    const { list } = await client.lists.getOrCreate('Id members');
    const a = await client.profiles.upsert({ data: { type: 'profile', attributes: { external_id: 'c-1' } } });
    const b = await client.profiles.upsert({ data: { type: 'profile', attributes: { external_id: 'c-2' } } });
    await client.lists.addProfiles(list.id, [a.id, b.id, a.id]);
    expect(await memberIds(list.id)).toEqual([a.id, b.id].sort());
    await client.lists.removeProfiles(list.id, [b.id]);
    expect(await memberIds(list.id)).toEqual([a.id]);
  });

  it("events: a profile's events come newest first, page by page, and no one else's", async () => {
    const track = (email: string, order: number) =>
      client.events.create({
        data: {
          type: 'event',
          attributes: {
            properties: { OrderId: `o-${order}` },
            time: new Date(Date.UTC(2024, 0, order)).toISOString(),
            value: order,
            unique_id: `order-${email}-${order}`,
            metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
            profile: { data: { type: 'profile', attributes: { email } } },
          },
        },
      });
    // Tracked out of order, so the order read back is the sort's doing.
    for (const order of [3, 1, 5, 2, 4]) await track('shopper@example.com', order);
    await track('other@example.com', 9);
    const shopper = await client.profiles.findByEmail('shopper@example.com');
    const shopperId = shopper!.id!;

    const before = sandbox.requestLog.filter((r) => r.operationId === 'get_events').length;
    const events = await collect(client.events.listForProfile(shopperId, { pageSize: 2 }));
    const pages = sandbox.requestLog.filter((r) => r.operationId === 'get_events').length - before;

    expect(events.map((e) => e.attributes.event_properties?.OrderId)).toEqual([
      'o-5',
      'o-4',
      'o-3',
      'o-2',
      'o-1',
    ]);
    expect(pages).toBe(3);
  });

  it("segments: a segment's profile count and its profiles, paged", async () => {
    const segment = await client.segments.create(segmentCreate('Repeat buyers'));
    expect(await client.segments.profileCount(segment.id)).toBe(0);
    expect(await collect(client.segments.listProfiles(segment.id, { pageSize: 10 }))).toEqual([]);
  });
});
