import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { api, createTemplate, fixture, flowBody, flowWorld, KEY } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-sandbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox persistence', () => {
  it('keeps every account across a restart, written atomically, without the API keys', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const first = await startSandbox({ statePath, enforceRateLimits: false });
    const world = await flowWorld(first);
    const flow = await api(first, 'POST', '/api/flows', flowBody(world));
    expect(flow.status).toBe(201);
    await createTemplate(first, 'second account', '<p>b</p>', 'pk_other_brand');
    const before = first.account(KEY).counts();
    await first.close();

    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
    const text = readFileSync(statePath, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('pk_other_brand');

    const second = await startSandbox({ statePath, enforceRateLimits: false });
    try {
      expect(second.account(KEY).counts()).toEqual(before);
      const again = await api(
        second,
        'GET',
        `/api/flows/${flow.body.data.id}?additional-fields[flow]=definition`,
      );
      expect(again.status).toBe(200);
      expect(again.body.data.attributes.definition.actions).toHaveLength(8);
      const other = await api(second, 'GET', '/api/templates', undefined, { key: 'pk_other_brand' });
      expect(other.body.data.map((t: { attributes: { name: string } }) => t.attributes.name)).toEqual([
        'second account',
      ]);
    } finally {
      await second.close();
    }
  });

  it('starts empty when the state file does not exist yet', async () => {
    const sandbox = await startSandbox({ statePath: join(dir, 'missing.json') });
    try {
      expect((await api(sandbox, 'GET', '/api/lists')).body.data).toEqual([]);
      await api(sandbox, 'POST', '/api/lists', fixture('list_create.json'));
      const header = readFileSync(join(dir, 'missing.json'), 'utf8').split('\n')[0]!;
      expect(JSON.parse(header)).toEqual({ format: 'klaviyo-gitops-sandbox-state', version: 2 });
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a corrupt state file with an error naming it', async () => {
    const statePath = join(dir, 'state.json');
    writeFileSync(statePath, '{"version":1,"accounts":');
    await expect(startSandbox({ statePath })).rejects.toThrow(statePath);
    writeFileSync(statePath, '[1,2,3]');
    await expect(startSandbox({ statePath })).rejects.toThrow(/not a klaviyo-gitops sandbox state/);
  });
});
