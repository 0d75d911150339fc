import { describe, expect, it } from 'vitest';
import {
  KLAVIYO_REVISION,
  KlaviyoAuthError,
  KlaviyoConflictError,
  KlaviyoDailyCapError,
  KlaviyoError,
  KlaviyoNetworkError,
  KlaviyoNotFoundError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
  KlaviyoValidationError,
} from '../../src/klaviyo/index.js';
import { json } from './helpers/fake-fetch.js';
import { scriptedClient, TEST_KEY, templateBody, templateDoc } from './helpers/client.js';

const ok = json(200, templateDoc('T1', 'Welcome'));

describe('KlaviyoClient transport', () => {
  it('sends the key, the pinned revision and JSON:API headers, and a content type only with a body', async () => {
    const { client, calls } = scriptedClient(() => ok);
    await client.templates.get('T1');
    await client.templates.update('T1', { name: 'Renamed' });

    const [get, patch] = calls;
    expect(get!.headers).toMatchObject({
      authorization: `Klaviyo-API-Key ${TEST_KEY}`,
      revision: KLAVIYO_REVISION,
      accept: 'application/vnd.api+json',
    });
    expect(get!.headers['content-type']).toBeUndefined();
    expect(patch!.headers['content-type']).toBe('application/vnd.api+json');
    expect(patch!.body).toEqual({ data: { type: 'template', id: 'T1', attributes: { name: 'Renamed' } } });
    expect(get!.url.href).toBe('https://klaviyo.test/api/templates/T1');
  });

  it('turns a 400 into a validation error carrying Klaviyo’s detail, pointer and parameter', async () => {
    const { client, calls } = scriptedClient(() =>
      json(400, {
        errors: [
          {
            id: 'e1',
            status: 400,
            code: 'invalid',
            title: 'Invalid input.',
            detail: "'name' is a required property",
            source: { pointer: '/data/attributes/name' },
          },
          {
            id: 'e2',
            code: 'invalid',
            title: 'Invalid input.',
            detail: 'bad filter',
            source: { parameter: 'filter' },
          },
        ],
      }),
    );
    const error = await client.templates.create(templateBody('x')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KlaviyoValidationError);
    const e = error as KlaviyoValidationError;
    expect(e).toMatchObject({
      status: 400,
      operationId: 'create_template',
      method: 'POST',
      path: '/api/templates',
    });
    expect(e.errors[0]).toMatchObject({
      detail: "'name' is a required property",
      source: { pointer: '/data/attributes/name' },
    });
    expect(e.errors[1]?.source?.parameter).toBe('filter');
    expect(e.message).toContain("'name' is a required property at /data/attributes/name");
    expect(calls).toHaveLength(1);
  });

  it.each([
    [401, KlaviyoAuthError],
    [403, KlaviyoAuthError],
    [404, KlaviyoNotFoundError],
    [409, KlaviyoConflictError],
  ])('maps %i to its error class without retrying', async (status, errorClass) => {
    const { client, calls } = scriptedClient(() => json(status, { errors: [{ detail: 'no' }] }));
    await expect(client.flows.get('F1')).rejects.toBeInstanceOf(errorClass);
    expect(calls).toHaveLength(1);
  });

  it('keeps other 4xx answers as a plain KlaviyoError with the status', async () => {
    const { client } = scriptedClient(() => json(415, { errors: [{ detail: 'Unsupported media type' }] }));
    const error = await client.flows.get('F1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoError);
    expect((error as KlaviyoError).status).toBe(415);
  });

  it('waits Retry-After seconds after a 429 and then succeeds', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? json(429, { errors: [{ detail: 'throttled' }] }, { 'Retry-After': '3' }) : ok,
    );
    const template = await client.templates.get('T1');
    expect(template.id).toBe('T1');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBe(3000);
  });

  it('gives up on a persistent 429 with a rate-limit error telling how long to wait', async () => {
    const { client, calls } = scriptedClient(
      () => json(429, { errors: [{ detail: 'throttled' }] }, { 'Retry-After': '2' }),
      {
        maxRetries: 2,
      },
    );
    const error = await client.templates.get('T1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoRateLimitError);
    expect((error as KlaviyoRateLimitError).retryAfterMs).toBe(2000);
    expect(calls).toHaveLength(3);
  });

  it('retries a 5xx on a read with exponential backoff and full jitter', async () => {
    const { client, calls, events } = scriptedClient((_, i) => (i < 3 ? json(503, {}) : ok));
    await client.templates.get('T1');
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    // random() = 0.999 of a ceiling that doubles from 500 ms.
    expect(gaps).toEqual([499, 999, 1998]);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual([
      'server-error',
      'server-error',
      'server-error',
    ]);
  });

  it('draws each backoff anywhere from zero to the ceiling', async () => {
    const { client, calls } = scriptedClient((_, i) => (i < 2 ? json(500, {}) : ok), {
      backoff: { random: () => 0 },
    });
    await client.templates.get('T1');
    expect(calls[2]!.at - calls[0]!.at).toBe(0);
  });

  it('stops after maxRetries with a server error', async () => {
    const { client, calls } = scriptedClient(() => json(500, { errors: [{ detail: 'boom' }] }), {
      maxRetries: 3,
    });
    const error = await client.templates.get('T1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoServerError);
    expect((error as KlaviyoServerError).status).toBe(500);
    expect(calls).toHaveLength(4);
  });

  it('retries network errors on reads and reports the last one', async () => {
    const { client, calls } = scriptedClient(() => ({ networkError: 'ECONNRESET' }), { maxRetries: 2 });
    const error = await client.flows.get('F1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoNetworkError);
    expect((error as KlaviyoNetworkError).timedOut).toBe(false);
    expect((error as KlaviyoNetworkError).message).toContain('ECONNRESET');
    expect(calls).toHaveLength(3);
  });

  it('times out a request that never answers, then retries reads', async () => {
    const { client, calls, clock } = scriptedClient((_, i) => (i === 0 ? { hang: true } : ok), {
      timeoutMs: 5000,
    });
    const start = clock.now();
    await client.templates.get('T1');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - start).toBeGreaterThanOrEqual(5000);
  });

  it('reports a timeout as a network error with timedOut set', async () => {
    const { client } = scriptedClient(() => ({ hang: true }), { timeoutMs: 1000, maxRetries: 1 });
    const error = await client.templates.get('T1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoNetworkError);
    expect((error as KlaviyoNetworkError).timedOut).toBe(true);
    expect((error as KlaviyoNetworkError).message).toContain('timed out after 1000 ms');
  });

  it('honours a per-call timeout over the client default', async () => {
    const { client, clock } = scriptedClient(() => ({ hang: true }), { timeoutMs: 60_000, maxRetries: 0 });
    const start = clock.now();
    await expect(client.templates.get('T1', undefined, { timeoutMs: 2000 })).rejects.toMatchObject({
      timedOut: true,
    });
    expect(clock.now() - start).toBe(2000);
  });

  it('stops at once when the caller aborts, with the caller’s reason', async () => {
    const { client, calls } = scriptedClient(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = client.templates.get('T1', undefined, { signal: controller.signal });
    setImmediate(() => controller.abort(new Error('deploy cancelled')));
    await expect(pending).rejects.toThrow('deploy cancelled');
    expect(calls).toHaveLength(1);
  });

  it('raises a daily-cap error at once when a 429 asks to wait for hours on a capped operation', async () => {
    const { client, calls, clock } = scriptedClient(() =>
      json(429, { errors: [{ detail: 'Daily limit reached' }] }, { 'Retry-After': '30000' }),
    );
    const start = clock.now();
    const error = await client.segments.update('S1', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoDailyCapError);
    expect((error as KlaviyoDailyCapError).dailyCap).toBe(100);
    expect(calls).toHaveLength(1);
    expect(clock.now()).toBe(start);
  });

  it('raises a rate-limit error rather than wait an hour on an operation without a daily cap', async () => {
    const { client, calls } = scriptedClient(() => json(429, {}, { 'Retry-After': '3600' }));
    const error = await client.templates.get('T1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoRateLimitError);
    expect((error as KlaviyoRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(calls).toHaveLength(1);
  });

  it('refuses the 101st flow of the day without sending it', async () => {
    let n = 0;
    const { client, calls } = scriptedClient(() =>
      json(201, { data: { type: 'flow', id: `F${++n}`, attributes: { name: `f${n}` } } }),
    );
    const body = { data: { type: 'flow', attributes: { name: 'f', definition: {} } } } as never;
    for (let i = 0; i < 100; i += 1) await client.flows.create(body);
    const error = await client.flows.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoDailyCapError);
    expect((error as KlaviyoDailyCapError).operationId).toBe('create_flow');
    expect(calls).toHaveLength(100);
  });

  it('spends the daily budget only on successes, not on failed attempts', async () => {
    const seen = new Set<string>();
    const { client, calls } = scriptedClient((call) => {
      // Every segment's first attempt fails with a 503; its retry succeeds.
      const first = !seen.has(call.url.pathname);
      seen.add(call.url.pathname);
      return first
        ? json(503, {})
        : json(200, { data: { type: 'segment', id: 'S', attributes: { name: 'x' } } });
    });
    const ids = Array.from({ length: 60 }, (_, i) => `S${i}`);
    for (const id of ids) await client.segments.update(id, { name: 'x' });
    expect(calls).toHaveLength(120); // more attempts than the cap of 100, all accepted
  });

  it('paces costly parameters at their own lower limit', async () => {
    const doc = json(200, { data: { type: 'segment', id: 'S1', attributes: { name: 's' } } });
    const { client, calls } = scriptedClient(() => doc);
    await Promise.all([1, 2, 3].map(() => client.segments.get('S1', { profileCount: true })));
    await Promise.all([1, 2, 3].map(() => client.segments.get('S1')));
    const counted = calls.filter(
      (c) => c.url.searchParams.get('additional-fields[segment]') === 'profile_count',
    );
    const plain = calls.filter((c) => !c.url.searchParams.has('additional-fields[segment]'));
    expect(counted.map((c) => c.at - counted[0]!.at)).toEqual([0, 1000, 2000]);
    expect(new Set(plain.map((c) => c.at)).size).toBe(1);
  });

  it('returns undefined for an answer without a body', async () => {
    const { client } = scriptedClient(() => json(204));
    await expect(client.templates.delete('T1')).resolves.toBeUndefined();
  });

  it('emits request, response, wait and retry events, and survives a listener that throws', async () => {
    const seen: string[] = [];
    const { client } = scriptedClient((_, i) => (i === 0 ? json(503, {}) : ok), {
      onEvent: (event) => {
        seen.push(event.type);
        throw new Error('listener bug');
      },
    });
    await client.templates.get('T1');
    await Promise.all([
      client.segments.get('S', { profileCount: true }),
      client.segments.get('S', { profileCount: true }),
    ]);
    expect(seen).toEqual(expect.arrayContaining(['request', 'response', 'retry', 'wait']));
  });

  it('rejects a missing API key up front', () => {
    expect(() => scriptedClient(() => ok, { apiKey: '' })).toThrow(TypeError);
  });
});
