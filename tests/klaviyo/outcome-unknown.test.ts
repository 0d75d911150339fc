import { describe, expect, it } from 'vitest';
import { KlaviyoOutcomeUnknownError, type Template } from '../../src/klaviyo/index.js';
import { json, type Reply } from './helpers/fake-fetch.js';
import { scriptedClient, templateBody, templateDoc } from './helpers/client.js';

const created = json(201, templateDoc('T9', 'Welcome'));

describe('creates whose outcome is unknown', () => {
  it.each<[string, Reply]>([
    ['a timeout', { hang: true }],
    ['a connection reset', { networkError: 'ECONNRESET' }],
    ['a 500', json(500, { errors: [{ detail: 'oops' }] })],
    ['a 503', json(503, {})],
  ])('are not resent after %s: the client throws with what it tried to create', async (_, failure) => {
    const { client, calls } = scriptedClient(() => failure, { timeoutMs: 1000 });
    const body = templateBody('Welcome');
    const error = await client.templates.create(body).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KlaviyoOutcomeUnknownError);
    expect(error).toMatchObject({
      operationId: 'create_template',
      method: 'POST',
      path: '/api/templates',
      body,
    });
    expect(calls).toHaveLength(1);
  });

  it('are resent after a 429, which Klaviyo answers before doing anything', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? json(429, {}, { 'Retry-After': '1' }) : created,
    );
    await expect(client.templates.create(templateBody('Welcome'))).resolves.toMatchObject({ id: 'T9' });
    expect(calls).toHaveLength(2);
  });

  it('are resent when the connection was refused, since the server never saw them', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? { networkError: 'ECONNREFUSED' } : created,
    );
    await expect(client.templates.create(templateBody('Welcome'))).resolves.toMatchObject({ id: 'T9' });
    expect(calls).toHaveLength(2);
  });

  it('return the existing object when the reconcile hook finds it, without sending the create again', async () => {
    const { client, calls, events } = scriptedClient(() => ({ hang: true }), { timeoutMs: 1000 });
    const existing = templateDoc('T7', 'Welcome').data as Template;
    const result = await client.templates.create(templateBody('Welcome'), {
      reconcile: async () => existing,
    });
    expect(result).toBe(existing);
    expect(calls).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'reconcile', found: true }));
  });

  it('are sent again when the reconcile hook finds nothing', async () => {
    const { client, calls } = scriptedClient((_, i) => (i === 0 ? json(500, {}) : created));
    let lookups = 0;
    const result = await client.templates.create(templateBody('Welcome'), {
      reconcile: async () => {
        lookups += 1;
        return undefined;
      },
    });
    expect(result.id).toBe('T9');
    expect(lookups).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('reconcile by name with a lookup on the list endpoint', async () => {
    const { client, calls } = scriptedClient((call) => {
      if (call.method === 'POST') return { networkError: 'ECONNRESET' };
      return json(200, { data: [templateDoc('T5', 'Welcome').data], links: { self: call.url.href } });
    });
    const result = await client.templates.create(templateBody('Welcome'), { reconcile: 'by-name' });
    expect(result.id).toBe('T5');
    const lookup = calls[1]!;
    expect(lookup.method).toBe('GET');
    expect(lookup.url.searchParams.get('filter')).toBe('equals(name,"Welcome")');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('stay unknown, without a resend, when the reconcile lookup itself fails', async () => {
    const { client, calls } = scriptedClient(() => json(500, {}));
    const error = await client.templates
      .create(templateBody('Welcome'), {
        reconcile: async () => {
          throw new Error('lookup failed');
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoOutcomeUnknownError);
    expect((error as Error).message).toContain('looking it up failed (lookup failed)');
    expect(calls).toHaveLength(1);
  });

  it('still give up with outcome-unknown when every attempt is ambiguous', async () => {
    const { client, calls } = scriptedClient(() => json(500, {}), { maxRetries: 2 });
    const error = await client.templates
      .create(templateBody('Welcome'), { reconcile: async () => undefined })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoOutcomeUnknownError);
    expect(calls).toHaveLength(3);
  });

  it('do not apply to idempotent POSTs: relationship adds are retried after a 500', async () => {
    const { client, calls } = scriptedClient((_, i) => (i === 0 ? json(500, {}) : json(204)));
    await client.tags.tagFlows('TAG', ['F1']);
    expect(calls).toHaveLength(2);
  });

  it('do not apply to events with a unique_id, which Klaviyo deduplicates', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? { networkError: 'ECONNRESET' } : json(202),
    );
    await client.events.create(eventBody('order-1'));
    expect(calls).toHaveLength(2);
  });

  it('apply to events without a unique_id', async () => {
    const { client, calls } = scriptedClient(() => ({ networkError: 'ECONNRESET' }));
    await expect(client.events.create(eventBody(undefined))).rejects.toBeInstanceOf(
      KlaviyoOutcomeUnknownError,
    );
    expect(calls).toHaveLength(1);
  });

  it('do not apply to profile upserts, which are idempotent by design', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? json(503, {}) : json(200, { data: { type: 'profile', id: 'P1', attributes: {} } }),
    );
    await client.profiles.upsert({ data: { type: 'profile', attributes: { email: 'a@example.com' } } });
    expect(calls).toHaveLength(2);
  });
});

function eventBody(uniqueId: string | undefined) {
  return {
    data: {
      type: 'event' as const,
      attributes: {
        properties: { OrderId: '1' },
        ...(uniqueId ? { unique_id: uniqueId } : {}),
        metric: { data: { type: 'metric' as const, attributes: { name: 'Placed Order' } } },
        profile: { data: { type: 'profile' as const, attributes: { email: 'a@example.com' } } },
      },
    },
  };
}
