/**
 * The client as another project meets it: `klaviyo-gitops/klaviyo` from node_modules, resolved through the
 * package's `exports` to the built JavaScript and declarations in action/klaviyo/ (`npm run bundle` builds them).
 * Types are checked by tsc with Node's own module resolution; the JavaScript runs under plain node.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KlaviyoClient } from '../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..', '..');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const KEY = 'pk_package_consumer_0123456789';

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'kg-klaviyo-consumer-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'klaviyo-gitops'), 'dir');
  // A Node project has @types/node; the client's declarations use fetch, AbortSignal and timers from it.
  symlinkSync(join(REPO, 'node_modules', '@types'), join(project, 'node_modules', '@types'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

/** tsc as a Node ESM project runs it, on one file; resolves with the exit code and output. */
async function typeCheck(file: string): Promise<{ code: number; output: string }> {
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  args.push('--target', 'es2022', '--types', 'node', file);
  try {
    const { stdout } = await run(process.execPath, [TSC, ...args], { cwd: project });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

const CONSUMER_TS = `
import {
  KlaviyoClient,
  KlaviyoConflictError,
  KlaviyoRateLimitError,
  type MembershipByEmail,
  type Profile,
} from 'klaviyo-gitops/klaviyo';

const klaviyo = new KlaviyoClient({ apiKey: 'pk_example' });

export async function sync(): Promise<string> {
  const profile: Profile = await klaviyo.profiles.upsert({
    data: { type: 'profile', attributes: { email: 'ada@example.com', properties: { vip: true } } },
  });
  const { list } = await klaviyo.lists.getOrCreate('Customers');
  const added: MembershipByEmail = await klaviyo.lists.addProfilesByEmail(list.id, ['ada@example.com']);
  for await (const event of klaviyo.events.listForProfile(profile.id, { pageSize: 10 })) {
    console.log(event.attributes.datetime);
  }
  const count: number = await klaviyo.segments.profileCount('SEG');
  try {
    await klaviyo.profiles.create({ data: { type: 'profile', attributes: { email: 'ada@example.com' } } });
  } catch (error) {
    if (error instanceof KlaviyoConflictError) return error.duplicateId ?? '';
    if (error instanceof KlaviyoRateLimitError) return String(error.retryAfterMs);
  }
  return \`\${profile.id} \${added.profileIds.length} \${count}\`;
}
`;

describe('the klaviyo-gitops/klaviyo package export', () => {
  it('points at built JavaScript and declarations, not at TypeScript sources', () => {
    for (const file of ['index.js', 'index.d.ts', 'generated/openapi.d.ts'])
      expect(existsSync(join(REPO, 'action', 'klaviyo', file)), `action/klaviyo/${file}`).toBe(true);
  });

  it('type-checks a consumer under nodenext resolution', { timeout: 120_000 }, async () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
    const result = await typeCheck('consumer.ts');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses a wrong call: an email that is not a string', { timeout: 120_000 }, async () => {
    writeFileSync(
      join(project, 'wrong.ts'),
      [
        "import { KlaviyoClient } from 'klaviyo-gitops/klaviyo';",
        "const klaviyo = new KlaviyoClient({ apiKey: 'pk_example' });",
        "await klaviyo.profiles.upsert({ data: { type: 'profile', attributes: { email: 42 } } });",
        '',
      ].join('\n'),
    );
    const result = await typeCheck('wrong.ts');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /wrong\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  });

  describe('at run time', () => {
    let sandbox: RunningSandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, accounts: { [KEY]: 'AcctPkg' } });
    });
    afterAll(async () => {
      await sandbox.close();
    });

    it('upserts a profile from a plain .mjs file run by node', { timeout: 60_000 }, async () => {
      writeFileSync(
        join(project, 'upsert.mjs'),
        [
          "import { KlaviyoClient } from 'klaviyo-gitops/klaviyo';",
          'const [baseUrl, apiKey] = process.argv.slice(2);',
          'const klaviyo = new KlaviyoClient({ apiKey, baseUrl });',
          'const profile = await klaviyo.profiles.upsert({',
          "  data: { type: 'profile', attributes: { email: 'grace@example.com', first_name: 'Grace' } },",
          '});',
          'console.log(profile.id);',
          '',
        ].join('\n'),
      );
      const { stdout } = await run(process.execPath, ['upsert.mjs', sandbox.url, KEY], { cwd: project });
      const id = stdout.trim();
      const reader = new KlaviyoClient({ apiKey: KEY, baseUrl: sandbox.url });
      expect((await reader.profiles.findByEmail('grace@example.com'))?.id).toBe(id);
      expect((await reader.profiles.get(id)).attributes.first_name).toBe('Grace');
    });
  });
});
