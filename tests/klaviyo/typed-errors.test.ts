/**
 * One test per error class, each produced the way a caller meets it: the sandbox answering over HTTP, with its
 * fault injection for throttling, server errors and lost connections.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import {
  KlaviyoAuthError,
  KlaviyoClient,
  KlaviyoConflictError,
  KlaviyoError,
  KlaviyoNetworkError,
  KlaviyoNotFoundError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
  KlaviyoValidationError,
  type KlaviyoClientOptions,
} from '../../src/klaviyo/index.js';

const KEY = 'pk_typed_errors_0123456789';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, accounts: { [KEY]: 'AcctErr' }, onlyKnownAccounts: true });
});

afterEach(() => sandbox.setFaults({}));

afterAll(async () => {
  await sandbox.close();
});

/** No retries: each test sees the first answer's error, as a caller does once retries are used up. */
function client(options: Partial<KlaviyoClientOptions> = {}): KlaviyoClient {
  return new KlaviyoClient({ apiKey: KEY, baseUrl: sandbox.url, maxRetries: 0, ...options });
}

async function failure(call: Promise<unknown>): Promise<KlaviyoError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KlaviyoError);
  return error as KlaviyoError;
}

describe('typed errors', () => {
  it('401: an unknown key is a KlaviyoAuthError, and the key is nowhere in it', async () => {
    const stranger = 'pk_not_an_account_of_this_sandbox';
    const error = await failure(client({ apiKey: stranger }).accounts.get());
    expect(error).toBeInstanceOf(KlaviyoAuthError);
    expect(error.status).toBe(401);
    expect(JSON.stringify(error)).not.toContain(stranger);
  });

  it('429: a KlaviyoRateLimitError carries Retry-After in milliseconds', async () => {
    sandbox.setFaults({ rate429: 1 });
    const error = await failure(client().lists.get('any'));
    expect(error).toBeInstanceOf(KlaviyoRateLimitError);
    expect(error.status).toBe(429);
    expect((error as KlaviyoRateLimitError).retryAfterMs).toBe(1000);
  });

  it('400: a KlaviyoValidationError lists each problem with its pointer', async () => {
    // The sandbox checks bodies against the spec, as Klaviyo does: an email must be a string.
    const bad = { data: { type: 'profile', attributes: { email: 42 } } } as never;
    const error = await failure(client().profiles.upsert(bad));
    expect(error).toBeInstanceOf(KlaviyoValidationError);
    const problems = (error as KlaviyoValidationError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ pointer: expect.stringContaining('/data/attributes') });
    expect(problems[0]!.detail).toBeTruthy();
  });

  it('404: an unknown id is a KlaviyoNotFoundError', async () => {
    const error = await failure(client().lists.get('NoSuchList'));
    expect(error).toBeInstanceOf(KlaviyoNotFoundError);
    expect(error.path).toBe('/api/lists/NoSuchList');
  });

  it('409: creating a profile that exists is a KlaviyoConflictError naming the existing profile', async () => {
    const existing = await client().profiles.upsert({
      data: { type: 'profile', attributes: { email: 'taken@example.com' } },
    });
    const error = await failure(
      client().profiles.create({ data: { type: 'profile', attributes: { email: 'taken@example.com' } } }),
    );
    expect(error).toBeInstanceOf(KlaviyoConflictError);
    expect((error as KlaviyoConflictError).duplicateId).toBe(existing.id);
  });

  it('5xx: a KlaviyoServerError once retries are used up', async () => {
    sandbox.setFaults({ rate5xx: 1 });
    const error = await failure(client().lists.get('any'));
    expect(error).toBeInstanceOf(KlaviyoServerError);
    expect([500, 503]).toContain(error.status);
  });

  it('no answer: a dropped connection is a KlaviyoNetworkError, not timed out', async () => {
    sandbox.setFaults({ rateDrop: 1 });
    const error = await failure(client().lists.get('any'));
    expect(error).toBeInstanceOf(KlaviyoNetworkError);
    expect((error as KlaviyoNetworkError).timedOut).toBe(false);
  });

  it('no answer in time: a hung request is a KlaviyoNetworkError that timed out', async () => {
    sandbox.setFaults({ rateHang: 1 });
    const error = await failure(client({ timeoutMs: 200 }).lists.get('any'));
    expect(error).toBeInstanceOf(KlaviyoNetworkError);
    expect((error as KlaviyoNetworkError).timedOut).toBe(true);
  });
});
