/** Bulk ingest as a sync meets it: the client's bulk helpers against the in-process sandbox. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bulkEventBatches,
  collect,
  itemIndexesOf,
  KlaviyoValidationError,
  lastOptOut,
  profileImportBatches,
  type BulkEventInput,
  type KlaviyoClient,
} from '../../src/klaviyo/index.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { clientFor, SANDBOX_KEY, sandboxWithAccount, SandboxTime } from '../engine/sandbox-helpers.js';

let sandbox: RunningSandbox;
let client: KlaviyoClient;
let time: SandboxTime;

beforeEach(async () => {
  time = new SandboxTime();
  sandbox = await sandboxWithAccount('BULK01', time);
  client = clientFor(sandbox);
});
afterEach(() => sandbox.close());

const state = () => sandbox.account(SANDBOX_KEY).state;
const event = (
  email: string,
  uniqueId: string,
  extra: Partial<BulkEventInput['event']> = {},
): BulkEventInput => ({
  profile: { type: 'profile', attributes: { email } },
  event: {
    metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
    properties: { OrderId: uniqueId },
    time: '2026-05-01T10:00:00Z',
    value: 10,
    unique_id: uniqueId,
    ...extra,
  },
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('profile import jobs', () => {
  it('goes queued, processing, complete; imports the valid profiles and reports the invalid one with its payload', async () => {
    const { batches } = profileImportBatches([
      { type: 'profile', attributes: { email: 'ok1@example.com', first_name: 'Ada' } },
      { type: 'profile', attributes: { email: 'not-an-email' } },
      { type: 'profile', attributes: { phone_number: '+15005550006', external_id: 'c-3' } },
    ]);
    const job = await client.profileImports.create(batches[0]!.body);
    expect(job.attributes.status).toBe('queued');
    expect((await client.profileImports.get(job.id)).attributes.status).toBe('processing');
    expect(await collect(client.profileImports.errors(job.id))).toEqual([]); // nothing reported before completion
    const done = await client.profileImports.waitFor(job.id, { intervalMs: 10 });
    expect(done.attributes).toMatchObject({
      status: 'complete',
      total_count: 3,
      completed_count: 2,
      failed_count: 1,
    });
    const errors = await collect(client.profileImports.errors(job.id));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attributes.source.pointer).toBe('/data/attributes/profiles/data/1/attributes/email');
    expect(errors[0]!.attributes.original_payload).toEqual({
      type: 'profile',
      attributes: { email: 'not-an-email' },
    });
    const imported = await collect(client.profileImports.profiles(job.id));
    expect(imported.map((p) => p.attributes.email ?? p.attributes.external_id).sort()).toEqual([
      'c-3',
      'ok1@example.com',
    ]);
  });

  it('completes on sandbox time alone when nobody polls, and upserts by email, phone and external id', async () => {
    const first = await client.profileImports.create(
      profileImportBatches([
        { type: 'profile', attributes: { email: 'same@example.com', first_name: 'One' } },
        { type: 'profile', attributes: { phone_number: '+15005550007' } },
        { type: 'profile', attributes: { external_id: 'ext-9' } },
      ]).batches[0]!.body,
    );
    time.advance(2000);
    await client.profileImports.create(
      profileImportBatches([
        { type: 'profile', attributes: { email: 'same@example.com', first_name: 'Two' } },
        { type: 'profile', attributes: { phone_number: '+15005550007', last_name: 'P' } },
        { type: 'profile', attributes: { external_id: 'ext-9', last_name: 'E' } },
      ]).batches[0]!.body,
    );
    const job = state().jobs[first.id]!;
    expect(job.reads).toBe(0);
    expect((await client.profileImports.get(first.id)).attributes.status).toBe('complete');
    expect(Object.values(state().profiles)).toHaveLength(3);
    expect((await client.profiles.findByEmail('same@example.com'))?.attributes.first_name).toBe('Two');
  });
});

describe('bulk event jobs', () => {
  it('records the events of a batch, creating the metric and the profiles; a re-sent batch adds nothing', async () => {
    const { batches } = bulkEventBatches([
      event('a@example.com', 'o1'),
      event('a@example.com', 'o2'),
      event('b@example.com', 'o3'),
    ]);
    await client.bulkEvents.create(batches[0]!.body);
    await client.bulkEvents.create(batches[0]!.body);
    expect(Object.values(state().events)).toHaveLength(3);
    expect(Object.values(state().metrics).filter((m) => m.name === 'Placed Order')).toHaveLength(1);
    expect(await client.profiles.findByEmail('b@example.com')).toBeDefined();
  });

  it('refuses the whole request with one pointed error per bad item, and the rest goes through on resend', async () => {
    const inputs = [
      event('a@example.com', 'o1'),
      event('bad-email', 'o2'),
      event('c@example.com', 'o3', { metric: { data: { type: 'metric', attributes: { name: ' ' } } } }),
      event('d@example.com', 'o4'),
    ];
    const { batches } = bulkEventBatches(inputs);
    const error = await rejection(client.bulkEvents.create(batches[0]!.body));
    expect(error).toBeInstanceOf(KlaviyoValidationError);
    expect((error as KlaviyoValidationError).errors.map((e) => e.source?.pointer)).toEqual([
      '/data/attributes/events-bulk-create/data/1/attributes/profile/data/attributes/email',
      '/data/attributes/events-bulk-create/data/2/attributes/events/data/0/attributes/metric/data/attributes/name',
    ]);
    expect(Object.values(state().events)).toHaveLength(0);
    const bad = new Set(itemIndexesOf(error));
    const rest = batches[0]!.groups.filter((_, i) => !bad.has(i)).flat();
    await client.bulkEvents.create(bulkEventBatches(rest).batches[0]!.body);
    expect(Object.values(state().events)).toHaveLength(2);
  });

  it('refuses a unique_id repeated for one profile and metric within a request', async () => {
    const body = bulkEventBatches([event('a@example.com', 'o1')]).batches[0]!.body;
    const entry = body.data.attributes['events-bulk-create'].data[0]!;
    entry.attributes.events.data.push(structuredClone(entry.attributes.events.data[0]!));
    const error = await rejection(client.bulkEvents.create(body));
    expect((error as KlaviyoValidationError).errors.map((e) => e.source?.pointer)).toEqual([
      '/data/attributes/events-bulk-create/data/0/attributes/events/data/1/attributes/unique_id',
    ]);
    expect(Object.values(state().events)).toHaveLength(0);
  });

  it('keeps backfill events out of flows, and live ones in', async () => {
    const { batches } = bulkEventBatches([
      event('a@example.com', 'old', { backfill: true }),
      event('a@example.com', 'new'),
    ]);
    await client.bulkEvents.create(batches[0]!.body);
    const byId = Object.fromEntries(Object.values(state().events).map((e) => [e.dedupeKey.split('|')[2], e]));
    expect(byId.old?.backfill).toBe(true);
    expect(byId.new?.backfill).toBeUndefined();
  });

  it('refuses more than 1,000 events in one request', async () => {
    const body = bulkEventBatches([event('a@example.com', 'o0')]).batches[0]!.body;
    const events = body.data.attributes['events-bulk-create'].data[0]!.attributes.events.data;
    for (let i = 1; i <= 1000; i++)
      events.push({
        ...structuredClone(events[0]!),
        attributes: { ...events[0]!.attributes, unique_id: `o${i}` },
      });
    const error = await rejection(client.bulkEvents.create(body));
    expect((error as KlaviyoValidationError).detail).toMatch(/at most 1000 events/);
  });
});

describe('bulk subscribe and consent lookup', () => {
  it('records consent per channel with its time and method, and reads it back by email', async () => {
    await client.consent.subscribe(
      [
        {
          email: 'h@example.com',
          phoneNumber: '+15005550006',
          channels: {
            email: { consentedAt: '2025-01-02T03:04:05Z' },
            sms: { consentedAt: '2025-02-01T00:00:00Z' },
          },
        },
      ],
      { historicalImport: true, customSource: 'klaviyo-gitops sync' },
    );
    const found = await client.consent.byEmails(['H@example.com', 'nobody@example.com']);
    expect([...found.keys()]).toEqual(['h@example.com']);
    const consent = found.get('h@example.com')!;
    expect(consent.channels.email).toMatchObject({
      consent: 'SUBSCRIBED',
      canReceive: true,
      consentTimestamp: '2025-01-02T03:04:05+00:00',
      method: 'API',
    });
    expect(consent.channels.sms).toMatchObject({
      consent: 'SUBSCRIBED',
      consentTimestamp: '2025-02-01T00:00:00+00:00',
    });
    expect((await client.consent.byPhoneNumbers(['+15005550006'])).get('+15005550006')?.profileId).toBe(
      consent.profileId,
    );
  });

  it('refuses consented_at without historical_import, pointing at the grant', async () => {
    const error = await rejection(
      client.consent.subscribe([
        { email: 'ok@example.com', channels: { email: {} } },
        { email: 'x@example.com', channels: { email: { consentedAt: '2025-01-01T00:00:00Z' } } },
      ]),
    );
    expect(error).toBeInstanceOf(KlaviyoValidationError);
    expect(itemIndexesOf(error)).toEqual([1]);
    expect(await client.consent.byEmails(['ok@example.com'])).toEqual(new Map());
  });

  it('refuses historical_import without a past consented_at', async () => {
    const error = await rejection(
      client.consent.subscribe(
        [
          { email: 'a@example.com', channels: { email: {} } },
          { email: 'b@example.com', channels: { email: { consentedAt: '2030-01-01T00:00:00Z' } } },
        ],
        { historicalImport: true },
      ),
    );
    expect(itemIndexesOf(error)).toEqual([0, 1]);
  });

  it('refuses SMS consent without an E.164 phone number', async () => {
    const error = await rejection(
      client.consent.subscribe([{ email: 'a@example.com', phoneNumber: '555-0100', channels: { sms: {} } }]),
    );
    expect((error as KlaviyoValidationError).errors[0]?.source?.pointer).toBe(
      '/data/attributes/profiles/data/0/attributes/phone_number',
    );
    await client.consent.subscribe([{ phoneNumber: '+15005550006', channels: { sms: {} } }]);
  });

  it('lifts an unsubscribe and a user suppression on subscribe, but never a hard bounce; lastOptOut shows when they said no', async () => {
    await client.consent.subscribe([{ email: 'u@example.com', channels: { email: {} } }]);
    time.advance(60_000);
    await client.bulkJobs.unsubscribe({
      data: {
        type: 'profile-subscription-bulk-delete-job',
        attributes: {
          profiles: {
            data: [
              {
                type: 'profile',
                attributes: {
                  email: 'u@example.com',
                  subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } },
                },
              },
            ],
          },
        },
      },
    });
    const unsubscribed = (await client.consent.byEmails(['u@example.com'])).get('u@example.com')!;
    expect(unsubscribed.channels.email.consent).toBe('UNSUBSCRIBED');
    expect(lastOptOut(unsubscribed.channels.email)).toBe('2026-07-01T09:01:00+00:00');

    const profile = Object.values(state().profiles).find((p) => p.attributes.email === 'u@example.com')!;
    const marketing = (
      profile.attributes.subscriptions as { email: { marketing: { suppression: unknown[] } } }
    ).email.marketing;
    marketing.suppression = [
      { reason: 'USER_SUPPRESSED', timestamp: '2026-06-01T00:00:00+00:00' },
      { reason: 'HARD_BOUNCE', timestamp: '2026-06-02T00:00:00+00:00' },
    ];
    await client.consent.subscribe([{ email: 'u@example.com', channels: { email: {} } }]);
    const after = (await client.consent.byEmails(['u@example.com'])).get('u@example.com')!;
    expect(after.channels.email.consent).toBe('SUBSCRIBED');
    expect(after.channels.email.suppressions.map((s) => s.reason)).toEqual(['HARD_BOUNCE']);
    expect(after.channels.email.canReceive).toBe(false);
  });
});
