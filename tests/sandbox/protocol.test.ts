import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, fixture, KEY } from './helpers.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ enforceRateLimits: false });
});
afterAll(() => sandbox.close());

describe('sandbox protocol checks', () => {
  it('answers 401 in Klaviyo error format without a key', async () => {
    const res = await api(sandbox, 'GET', '/api/flows', undefined, { key: null });
    expect(res.status).toBe(401);
    expect(res.body.errors[0]).toMatchObject({ status: 401, code: 'not_authenticated' });
    expect(typeof res.body.errors[0].id).toBe('string');
    expect(typeof res.body.errors[0].detail).toBe('string');
  });

  it('answers 401 for a key that is not a private pk_ key', async () => {
    const res = await api(sandbox, 'GET', '/api/flows', undefined, { key: 'sk_wrong' });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe('authentication_failed');
  });

  it('answers 404 for an unknown path and 405 for a known path with the wrong method', async () => {
    expect((await api(sandbox, 'GET', '/api/no-such-thing')).status).toBe(404);
    const res = await api(sandbox, 'PUT', '/api/flows');
    expect(res.status).toBe(405);
    expect(res.body.errors[0].code).toBe('method_not_allowed');
  });

  it('requires a well-formed revision header', async () => {
    const missing = await api(sandbox, 'GET', '/api/lists', undefined, { revision: null });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].source).toEqual({ parameter: 'revision' });
    expect((await api(sandbox, 'GET', '/api/lists', undefined, { revision: 'latest' })).status).toBe(400);
    expect((await api(sandbox, 'GET', '/api/lists', undefined, { revision: '2026-07-15' })).status).toBe(200);
  });

  it('answers 415 for a body that is not JSON:API', async () => {
    const res = await api(sandbox, 'POST', '/api/lists', fixture('list_create.json'), {
      contentType: 'text/plain',
    });
    expect(res.status).toBe(415);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await api(sandbox, 'POST', '/api/lists', undefined, { rawBody: '{"data":' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toMatch(/JSON/);
  });

  it('validates bodies against the spec and points at the bad field', async () => {
    const body = fixture('flow_create.json');
    delete body.data.attributes.name;
    const res = await api(sandbox, 'POST', '/api/flows', body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({
        source: { pointer: '/data/attributes' },
        detail: "'name' is a required property",
      }),
    );
  });

  it('refuses a PATCH whose body id is not the id in the path', async () => {
    const created = await api(sandbox, 'POST', '/api/lists', fixture('list_create.json'));
    const res = await api(sandbox, 'PATCH', `/api/lists/${created.body.data.id}`, {
      data: { type: 'list', id: 'Other1', attributes: { name: 'x' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].source).toEqual({ pointer: '/data/id' });
  });

  it('answers 501 for an operation of the spec the sandbox does not implement', async () => {
    const res = await api(sandbox, 'GET', '/api/catalog-items');
    expect(res.status).toBe(501);
  });

  it('gives each key its own account, and the accounts option fixes the id', async () => {
    const fixed = await startSandbox({ accounts: { pk_brand_a: 'AcctAA' }, enforceRateLimits: false });
    try {
      const a = await api(fixed, 'GET', '/api/accounts', undefined, { key: 'pk_brand_a' });
      expect(a.body.data[0].id).toBe('AcctAA');
      const b = await api(fixed, 'GET', '/api/accounts', undefined, { key: 'pk_brand_b' });
      const again = await api(fixed, 'GET', '/api/accounts', undefined, { key: 'pk_brand_b' });
      expect(b.body.data[0].id).toMatch(/^[A-Za-z0-9]{6}$/);
      expect(again.body.data[0].id).toBe(b.body.data[0].id);
      expect(b.body.data[0].id).not.toBe('AcctAA');
      await api(fixed, 'POST', '/api/lists', fixture('list_create.json'), { key: 'pk_brand_a' });
      expect(fixed.account('pk_brand_a').counts().lists).toBe(1);
      expect(fixed.account('pk_brand_b').counts().lists).toBe(0);
    } finally {
      await fixed.close();
    }
  });

  it('never echoes the key in an answer', async () => {
    const res = await api(sandbox, 'GET', '/api/accounts');
    expect(JSON.stringify(res.body)).not.toContain(KEY);
  });
});
