import { describe, expect, it } from 'vitest';
import {
  BULK_EVENT_LIMITS,
  bulkEventBatches,
  bulkItemErrorsOf,
  isItemLevel,
  itemIndexesOf,
  KlaviyoServerError,
  KlaviyoValidationError,
  matchOperation,
  profileImportBatches,
  PROFILE_IMPORT_LIMITS,
  type BulkEventInput,
  type ProfileImportItem,
} from '../../src/klaviyo/index.js';
import { rateBucketFor } from '../../src/klaviyo/transport/limits.js';
import { isIdempotent } from '../../src/klaviyo/transport/idempotency.js';

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const profile = (i: number, pad = 0): ProfileImportItem => ({
  type: 'profile',
  attributes: { email: `p${i}@example.com`, properties: pad > 0 ? { note: 'x'.repeat(pad) } : {} },
});
const event = (email: string, uniqueId: string, metric = 'Placed Order', pad = 0): BulkEventInput => ({
  profile: { type: 'profile', attributes: { email } },
  event: {
    metric: { data: { type: 'metric', attributes: { name: metric } } },
    properties: pad > 0 ? { note: 'x'.repeat(pad) } : { OrderId: uniqueId },
    unique_id: uniqueId,
  },
});

describe('profile import batches', () => {
  it('caps a batch at 10,000 profiles', () => {
    const { batches } = profileImportBatches(Array.from({ length: 20_001 }, (_, i) => profile(i)));
    expect(batches.map((b) => b.profiles.length)).toEqual([10_000, 10_000, 1]);
  });

  it('seals a batch before its body passes 4.5 MB, and every body stays under it', () => {
    const profiles = Array.from({ length: 200 }, (_, i) => profile(i, 50_000)); // ~10 MB in all
    const { batches, oversized } = profileImportBatches(profiles);
    expect(oversized).toEqual([]);
    expect(batches.length).toBe(3);
    for (const batch of batches)
      expect(bytes(batch.body)).toBeLessThanOrEqual(PROFILE_IMPORT_LIMITS.maxBodyBytes);
    expect(batches.flatMap((b) => b.profiles)).toHaveLength(200);
    // Full batches are full: adding the next profile would have broken the cap.
    expect(bytes(batches[0]!.body) + bytes(batches[1]!.profiles[0]) + 1).toBeGreaterThan(4_500_000);
  });

  it('sets aside a profile over 100 KB instead of sending a body Klaviyo refuses', () => {
    const { batches, oversized } = profileImportBatches([profile(1), profile(2, 120_000), profile(3)]);
    expect(oversized.map((o) => o.profile.attributes.email)).toEqual(['p2@example.com']);
    expect(batches[0]!.profiles.map((p) => p.attributes.email)).toEqual(['p1@example.com', 'p3@example.com']);
  });

  it('puts every profile of a batch into the named lists', () => {
    const { batches } = profileImportBatches([profile(1)], { listIds: ['L1'] });
    expect(batches[0]!.body.data.relationships?.lists?.data).toEqual([{ type: 'list', id: 'L1' }]);
  });
});

describe('bulk event batches', () => {
  it('groups events by profile and caps a batch at 1,000 events in all', () => {
    const inputs = Array.from({ length: 2500 }, (_, i) => event(`c${i % 7}@example.com`, `o${i}`));
    const { batches } = bulkEventBatches(inputs);
    expect(batches.map((b) => b.eventCount)).toEqual([1000, 1000, 500]);
    const first = batches[0]!.body.data.attributes['events-bulk-create'].data;
    expect(first).toHaveLength(7);
    expect(first.reduce((n, entry) => n + entry.attributes.events.data.length, 0)).toBe(1000);
    expect(batches[0]!.groups[0]![1]!.event.unique_id).toBe('o7');
  });

  it('seals a batch before its body passes the byte cap', () => {
    const inputs = Array.from({ length: 100 }, (_, i) =>
      event(`c${i}@example.com`, `o${i}`, 'Placed Order', 90_000),
    );
    const { batches } = bulkEventBatches(inputs);
    expect(batches.length).toBe(3);
    for (const batch of batches)
      expect(bytes(batch.body)).toBeLessThanOrEqual(BULK_EVENT_LIMITS.maxBodyBytes);
  });

  it('drops an event repeating a unique_id for one profile and metric within a batch, keeps other metrics', () => {
    const { batches, duplicates } = bulkEventBatches([
      event('A@example.com', 'order-1'),
      event('a@example.com', 'order-1'),
      event('a@example.com', 'order-1', 'Ordered Product'),
    ]);
    expect(duplicates).toHaveLength(1);
    expect(batches[0]!.eventCount).toBe(2);
  });

  it('sets aside an event with a string over 100 KB', () => {
    const { oversized, batches } = bulkEventBatches([
      event('a@example.com', 'o1', 'X', 110_000),
      event('b@example.com', 'o2'),
    ]);
    expect(oversized.map((o) => o.event.unique_id)).toEqual(['o1']);
    expect(batches[0]!.eventCount).toBe(1);
  });

  it('refuses an event without a unique_id', () => {
    const input = event('a@example.com', '');
    expect(() => bulkEventBatches([input])).toThrow(/unique_id/);
  });
});

describe('item pointers of a bulk 400', () => {
  const info = { operationId: 'bulk_create_events', method: 'POST', path: '/api/event-bulk-create-jobs' };
  it('names the failing items and events', () => {
    const error = new KlaviyoValidationError('bad', {
      ...info,
      status: 400,
      errors: [
        {
          detail: 'bad email',
          source: {
            pointer: '/data/attributes/events-bulk-create/data/3/attributes/profile/data/attributes/email',
          },
        },
        {
          detail: 'repeat',
          source: {
            pointer:
              '/data/attributes/events-bulk-create/data/1/attributes/events/data/4/attributes/unique_id',
          },
        },
        {
          detail: 'bad',
          source: {
            pointer: '/data/attributes/events-bulk-create/data/3/attributes/events/data/0/attributes/time',
          },
        },
      ],
    });
    expect(itemIndexesOf(error)).toEqual([1, 3]);
    expect(bulkItemErrorsOf(error).map((e) => [e.index, e.event])).toEqual([
      [3, undefined],
      [1, 4],
      [3, 0],
    ]);
    expect(isItemLevel(error)).toBe(true);
  });

  it('gives nothing for a request-level 400 or another error', () => {
    const requestLevel = new KlaviyoValidationError('bad', {
      ...info,
      status: 400,
      errors: [{ detail: 'too many', source: { pointer: '/data/attributes/events-bulk-create/data' } }],
    });
    expect(itemIndexesOf(requestLevel)).toEqual([]);
    expect(isItemLevel(requestLevel)).toBe(false);
    expect(itemIndexesOf(new KlaviyoServerError('down', { ...info, status: 500 }))).toEqual([]);
    const imported = new KlaviyoValidationError('bad', {
      ...info,
      status: 400,
      errors: [{ detail: 'x', source: { pointer: '/data/attributes/profiles/data/12/attributes/email' } }],
    });
    expect(itemIndexesOf(imported)).toEqual([12]);
  });
});

describe('pacing and resending of the bulk operations', () => {
  it.each([
    ['POST', '/api/profile-bulk-import-jobs', 'bulk_import_profiles', 10, 150],
    [
      'GET',
      '/api/profile-bulk-import-jobs/J1/import-errors',
      'get_errors_for_bulk_import_profiles_job',
      10,
      150,
    ],
    ['POST', '/api/event-bulk-create-jobs', 'bulk_create_events', 10, 150],
    ['POST', '/api/profile-subscription-bulk-create-jobs', 'bulk_subscribe_profiles', 75, 750],
    ['GET', '/api/profiles', 'get_profiles', 75, 750],
  ])('%s %s is paced by its own tier from the spec', (method, path, operationId, burst, steady) => {
    const op = matchOperation(method, path)?.operation;
    const bucket = rateBucketFor(op, method, new URLSearchParams('additional-fields[profile]=subscriptions'));
    expect(bucket).toEqual({ key: operationId, limit: { burstPerSecond: burst, steadyPerMinute: steady } });
  });

  it('resends a bulk event body after an unknown outcome only when every event has a unique_id', () => {
    const op = matchOperation('POST', '/api/event-bulk-create-jobs')?.operation;
    const body = (ids: Array<string | undefined>) => ({
      data: {
        attributes: {
          'events-bulk-create': {
            data: [
              { attributes: { events: { data: ids.map((unique_id) => ({ attributes: { unique_id } })) } } },
            ],
          },
        },
      },
    });
    expect(isIdempotent('POST', op, body(['a', 'b']))).toBe(true);
    expect(isIdempotent('POST', op, body(['a', undefined]))).toBe(false);
  });
});
