/**
 * The standalone sandbox as a service several people or jobs share: a body cap answered with 413, a malformed
 * URL answered with 400, keys it was not given refused with 401 when asked, keys read from a file, and a write
 * whose state cannot be saved rolled back. Every error in Klaviyo's format.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandError } from '../../src/commands/errors.js';
import { runCli } from '../../src/commands/index.js';
import { parseSandboxFlags } from '../../src/commands/sandbox.js';
import { DEFAULT_MAX_BODY_BYTES, startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { buildCli, startCli, type CliRun } from '../commands/cli-process.js';
import { api, createTemplate, KEY } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-shared-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const templateBody = (name: string, html: string) => ({
  data: { type: 'template', attributes: { name, editor_type: 'CODE', html } },
});

function expectKlaviyoError(answer: { status: number; body: unknown }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({
    errors: [expect.objectContaining({ id: expect.any(String), status, code, title: expect.any(String) })],
  });
}

describe('one sandbox process', () => {
  let sandbox: RunningSandbox;
  afterEach(async () => sandbox.close());

  it('answers a body above the cap with 413 without keeping it, and stays responsive', async () => {
    sandbox = await startSandbox({ enforceRateLimits: false });
    const html = `<p>${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}</p>`;
    const declared = await api(sandbox, 'POST', '/api/templates', templateBody('huge', html));
    expectKlaviyoError(declared, 413, 'payload_too_large');

    // The same body streamed without a length: refused once the cap is passed.
    const bytes = new TextEncoder().encode(JSON.stringify(templateBody('streamed', html)));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 1 << 16)
          controller.enqueue(bytes.subarray(at, at + (1 << 16)));
        controller.close();
      },
    });
    const streamed = await fetch(`${sandbox.url}/api/templates`, {
      method: 'POST',
      headers: {
        authorization: `Klaviyo-API-Key ${KEY}`,
        revision: '2026-07-15',
        'content-type': 'application/vnd.api+json',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expectKlaviyoError({ status: streamed.status, body: await streamed.json() }, 413, 'payload_too_large');

    const started = performance.now();
    const list = await api(sandbox, 'GET', '/api/templates');
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sandbox.account(KEY).counts().templates).toBe(0);
  });

  it('answers a malformed URL with 400', async () => {
    sandbox = await startSandbox({ enforceRateLimits: false });
    for (const path of ['/api/%zz', '/api/templates/%E0%A4%A']) {
      expectKlaviyoError(await api(sandbox, 'GET', path), 400, 'invalid');
    }
    expect((await api(sandbox, 'GET', '/api/templates')).status).toBe(200);
  });

  it('refuses keys it was not given with 401 when it only knows its accounts', async () => {
    sandbox = await startSandbox({
      enforceRateLimits: false,
      accounts: { [KEY]: 'KnownAcc' },
      onlyKnownAccounts: true,
    });
    const stranger = await api(sandbox, 'GET', '/api/accounts', undefined, { key: 'pk_someone_else' });
    expectKlaviyoError(stranger, 401, 'authentication_failed');
    const known = await api(sandbox, 'GET', '/api/accounts');
    expect(known.body.data[0].id).toBe('KnownAcc');
  });
});

describe('klaviyo-gitops sandbox flags for a shared sandbox', () => {
  function context(signal: AbortSignal, lines: string[]): CommandContext {
    return { cwd: dir, env: {}, progress: (line) => lines.push(line), signal };
  }

  it('takes keys from --accounts-file and refuses others with --only-known-accounts', async () => {
    writeFileSync(
      join(dir, 'accounts.txt'),
      '# brand keys\npk_file_one=FileOne\n\n  pk_file_two=FileTwo  \n',
    );
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runCli(
      ['sandbox', '--port', '0', '--accounts-file', 'accounts.txt', '--only-known-accounts'],
      context(controller.signal, lines),
    );
    try {
      await expect.poll(() => lines[0]).toMatch(/listening on/);
      const url = /(http:\/\/\S+)/.exec(lines[0]!)![1]!;
      const at = { url } as RunningSandbox;
      for (const [key, id] of [
        ['pk_file_one', 'FileOne'],
        ['pk_file_two', 'FileTwo'],
      ]) {
        expect((await api(at, 'GET', '/api/accounts', undefined, { key })).body.data[0].id).toBe(id);
      }
      expect((await api(at, 'GET', '/api/accounts', undefined, { key: 'pk_not_listed' })).status).toBe(401);
      expect(lines).toContain('accounts: only the 2 key(s) given; other keys get 401');
    } finally {
      controller.abort();
      await running;
    }
  });

  it('names the bad line of an accounts file without echoing the key', () => {
    writeFileSync(join(dir, 'accounts.txt'), 'pk_good=Good1\npk_secret_value Good2\n');
    let caught: unknown;
    try {
      parseSandboxFlags({ 'accounts-file': 'accounts.txt' }, dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommandError);
    expect((caught as CommandError).kind).toBe('usage');
    expect((caught as CommandError).message).toBe(
      'accounts.txt:2: expected KEY=ACCOUNT_ID with a pk_ key and an alphanumeric account id',
    );
  });

  it.each([
    [{ 'only-known-accounts': true }, /--only-known-accounts needs keys/],
    [{ 'max-body-bytes': '0' }, /--max-body-bytes/],
    [{ 'accounts-file': 'missing.txt' }, /cannot read the accounts file missing\.txt/],
    [
      { account: ['pk_same=One'], 'accounts-file': 'accounts.txt' },
      /accounts\.txt:1: this key is already given/,
    ],
  ])('refuses %o as a usage error', (values, message) => {
    writeFileSync(join(dir, 'accounts.txt'), 'pk_same=Two\n');
    expect(() => parseSandboxFlags(values, dir)).toThrow(message);
  });

  it('passes --max-body-bytes to the sandbox', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runCli(
      ['sandbox', '--port', '0', '--no-rate-limits', '--max-body-bytes', '1000'],
      context(controller.signal, lines),
    );
    try {
      await expect.poll(() => lines[0]).toMatch(/listening on/);
      const at = { url: /(http:\/\/\S+)/.exec(lines[0]!)![1]! } as RunningSandbox;
      expect((await api(at, 'POST', '/api/templates', templateBody('small', '<p>ok</p>'))).status).toBe(201);
      const big = await api(at, 'POST', '/api/templates', templateBody('big', `<p>${'y'.repeat(1000)}</p>`));
      expectKlaviyoError(big, 413, 'payload_too_large');
    } finally {
      controller.abort();
      await running;
    }
  });
});

describe('a write whose state cannot be saved (real process)', () => {
  let cli: string;
  const running: CliRun[] = [];
  beforeAll(async () => {
    cli = await buildCli();
  }, 60_000);
  afterAll(() => {
    for (const run of running) run.child.kill('SIGKILL');
  });

  it('is rolled back: a 5xx in Klaviyo format, the object gone, the file intact, no temporary file', async () => {
    // The process may write no file over 64 KiB: saving a state that holds a 100 KB template fails midway.
    const run = startCli(cli, ['sandbox', '--port', '0', '--state', 'state.json', '--no-rate-limits'], {
      cwd: dir,
      fileSizeLimitKib: 64,
    });
    running.push(run);
    await run.waitForStderr(/listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(run.stderr())![1]!;
    const at = { url } as RunningSandbox;

    const kept = await createTemplate(at, 'small one');
    const saved = readFileSync(join(dir, 'state.json'), 'utf8');
    const failed = await api(
      at,
      'POST',
      '/api/templates',
      templateBody('too big to save', `<p>${'z'.repeat(100_000)}</p>`),
    );
    expectKlaviyoError(failed, 500, 'error');
    expect(failed.body.errors[0].detail).toMatch(/could not save its state, so the change was not made/);

    const listed = await api(at, 'GET', '/api/templates');
    expect(listed.body.data.map((t: { id: string }) => t.id)).toEqual([kept]);
    // No temporary file is left; the lock file is the running sandbox's hold on the state.
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.lock']);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(saved);
  }, 60_000);
});
