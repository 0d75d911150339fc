import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KlaviyoError, type KlaviyoClientEvent } from '../../src/klaviyo/index.js';
import { json, type Reply } from './helpers/fake-fetch.js';
import { scriptedClient, templateBody } from './helpers/client.js';

const CANARY = 'pk_CANARY_d41d8cd98f00b204e9800998ecf8427e';

/** Every way an error can be turned into text by a caller, a logger or a test runner. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    inspect((e as { cause?: unknown }).cause, { depth: 10, showHidden: true }),
  ];
}

const failures: Array<[string, Reply]> = [
  // A server that echoes the key back in its error detail must not leak it through us.
  [
    '401 echoing the key',
    json(401, { errors: [{ detail: `Invalid API key ${CANARY}`, source: { parameter: CANARY } }] }),
  ],
  ['400', json(400, { errors: [{ detail: `bad ${CANARY}`, source: { pointer: '/data' } }] })],
  ['404', json(404, { errors: [{ detail: 'Not found' }] })],
  ['409', json(409, { errors: [{ detail: 'dup', meta: { key: CANARY } }] })],
  ['429', json(429, { errors: [{ detail: 'throttled' }] }, { 'Retry-After': '1' })],
  ['500', json(500, { errors: [{ detail: `trace ${CANARY}` }] })],
  ['network error', { networkError: 'ECONNRESET' }],
  ['timeout', { hang: true }],
];

describe('the API key never leaves the client', () => {
  it.each(failures)('not through a %s error on a read', async (_, reply) => {
    const { client, events } = scriptedClient(() => reply, {
      apiKey: CANARY,
      maxRetries: 1,
      timeoutMs: 1000,
    });
    const error = await client.templates.get('T1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoError);
    for (const text of renderings(error)) expect(text).not.toContain(CANARY);
    expect(JSON.stringify(events)).not.toContain(CANARY);
  });

  it.each(failures)('not through a %s error on a create (outcome unknown included)', async (_, reply) => {
    const { client, events } = scriptedClient(() => reply, {
      apiKey: CANARY,
      maxRetries: 1,
      timeoutMs: 1000,
    });
    const error = await client.templates.create(templateBody(`name with ${CANARY}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoError);
    for (const text of renderings(error)) expect(text).not.toContain(CANARY);
    expect(JSON.stringify(events)).not.toContain(CANARY);
  });

  it('keeps Klaviyo’s error details readable around the redaction', async () => {
    const { client } = scriptedClient(
      () => json(401, { errors: [{ detail: `Invalid API key ${CANARY}` }] }),
      {
        apiKey: CANARY,
      },
    );
    const error = (await client.accounts.get().catch((e: unknown) => e)) as KlaviyoError;
    expect(error.errors[0]?.detail).toBe('Invalid API key ***');
    expect(error.message).toContain('failed with 401: Invalid API key ***');
  });

  it('not through the client object itself', () => {
    const { client } = scriptedClient(() => json(200, {}), { apiKey: CANARY });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(CANARY);
    expect(JSON.stringify(client)).not.toContain(CANARY);
  });

  it('not through log events, which carry the path but no query string', async () => {
    const events: KlaviyoClientEvent[] = [];
    const { client } = scriptedClient(() => json(200, { data: [], links: { self: 'x' } }), {
      apiKey: CANARY,
      onEvent: (e) => events.push(e),
    });
    await client.profiles.findByEmail('person@example.com');
    const text = JSON.stringify(events);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('person@example.com');
    expect(events.find((e) => e.type === 'request')).toMatchObject({
      path: '/api/profiles',
      operationId: 'get_profiles',
    });
  });
});
