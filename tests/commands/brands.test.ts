/**
 * `klaviyo-gitops brands`: the brands of the marketing directory for CI matrices. Reads brand.yaml files only,
 * so a broken template does not hide a brand, while a broken brand.yaml is an error at its `path:line:col`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { MINIMAL_FIXTURE, tempProject, type TempProject } from '../project/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** The minimal fixture's brand.yaml, as a second brand. */
const SECOND_BRAND = readFileSync(join(MINIMAL_FIXTURE, 'marketing/brands/acme/brand.yaml'), 'utf8')
  .replace('name: Acme Goods', 'name: Birch & Co')
  .replace('account_id: ACME01', 'account_id: BIRCH1')
  .replace('api_key_env: KLAVIYO_API_KEY_ACME', 'api_key_env: KLAVIYO_API_KEY_BIRCH');

const run = (args: string[]) =>
  runCli(['brands', ...args], { cwd: project!.cwd, env: {}, progress: () => {} });

describe('brands', () => {
  it('--json prints one line: a matrix include list with each brand, its name, account and key secret', async () => {
    project = tempProject({ 'marketing/brands/birch/brand.yaml': SECOND_BRAND });
    const outcome = await run(['--json']);
    expect(outcome.stderr).toBeUndefined();
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(outcome.stdout)).toEqual([
      { brand: 'acme', name: 'Acme Goods', accountId: 'ACME01', secret: 'KLAVIYO_API_KEY_ACME' },
      { brand: 'birch', name: 'Birch & Co', accountId: 'BIRCH1', secret: 'KLAVIYO_API_KEY_BIRCH' },
    ]);
  });

  it('prints a table without --json', async () => {
    project = tempProject();
    const outcome = await run([]);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout.split('\n')).toEqual([
      'BRAND  NAME        ACCOUNT  SECRET',
      'acme   Acme Goods  ACME01   KLAVIYO_API_KEY_ACME',
    ]);
  });

  it('reads only brand.yaml: a template that does not build leaves the list as it is', async () => {
    project = tempProject({
      'marketing/brands/acme/templates/hello.html': '---\nsubject: [broken\n---\n<p>x</p>',
    });
    const outcome = await run(['--json']);
    expect(outcome.exitCode).toBe(0);
    expect((JSON.parse(outcome.stdout) as Array<{ brand: string }>).map((b) => b.brand)).toEqual(['acme']);
  });

  it('a broken brand.yaml is an error at its path:line:col, exit 1', async () => {
    project = tempProject({ 'marketing/brands/birch/brand.yaml': 'name: Birch\naccount_id: [BIRCH1\n' });
    const outcome = await run(['--json']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^marketing\/brands\/birch\/brand\.yaml:\d+:\d+: error /m);
    expect(outcome.stderr).toMatch(/^error: 1 brand file cannot be read; fix it first$/m);
  });

  it('a brand.yaml missing a required field names the field', async () => {
    project = tempProject({
      'marketing/brands/birch/brand.yaml': SECOND_BRAND.replace(/^api_key_env:.*\n/m, ''),
    });
    const outcome = await run([]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/marketing\/brands\/birch\/brand\.yaml:\d+:\d+: error .*api_key_env/);
  });

  it('no such directory is a usage error', async () => {
    project = tempProject();
    const outcome = await runCli(['brands', '--dir', 'nope'], {
      cwd: project.cwd,
      env: {},
      progress: () => {},
    });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/^error: .*nope/);
  });
});
