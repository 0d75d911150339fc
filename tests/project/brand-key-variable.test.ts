/**
 * brand.yaml's `api_key_env` may only name a KLAVIYO_API_KEY_<NAME> variable: the repository must not choose
 * which secret of the CI environment is sent to Klaviyo. The schema says so at the line; the config layer
 * refuses the same names for any path that skips validation.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { repositoryPaths } from '../../src/commands/repository-root.js';
import { openTargets } from '../../src/commands/target.js';
import { BRAND_KEY_VARIABLE, ForbiddenKeyVariableError } from '../../src/config.js';
import { MINIMAL_FIXTURE, tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const BRAND = 'marketing/brands/acme/brand.yaml';
const brandYaml = readFileSync(`${MINIMAL_FIXTURE}/${BRAND}`, 'utf8');

describe('api_key_env', () => {
  it.each(['GITHUB_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'PATH', 'KLAVIYO_API_KEY', 'KLAVIYO_API_KEY_acme'])(
    "'%s' is a validation error at brand.yaml's line:col with the rule and the fix",
    async (variable) => {
      project = tempProject({
        [BRAND]: brandYaml.replace('api_key_env: KLAVIYO_API_KEY_ACME', `api_key_env: ${variable}`),
      });
      const outcome = await runCli(['validate'], { cwd: project.cwd, env: {}, progress: () => {} });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout.split('\n')).toContain(
        `${BRAND}:3:14: error api-key-env: '${variable}' is not a Klaviyo key variable at api_key_env (name one of the form KLAVIYO_API_KEY_<NAME>, e.g. KLAVIYO_API_KEY_<BRAND>: no other variable is ever sent to Klaviyo as a key)`,
      );
    },
  );

  it('stops plan before any target is opened', async () => {
    project = tempProject({
      [BRAND]: brandYaml.replace('api_key_env: KLAVIYO_API_KEY_ACME', 'api_key_env: GITHUB_TOKEN'),
    });
    const progress: string[] = [];
    const outcome = await runCli(['plan'], {
      cwd: project.cwd,
      env: { GITHUB_TOKEN: 'ghs_secret_value_0123' },
      progress: (line) => progress.push(line),
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(`${BRAND}:3:14: error api-key-env:`);
    expect(progress).toEqual([]);
  });

  it('is refused by the config layer too, before any request, whatever path the brand came by', async () => {
    let requests = 0;
    const fetchCounting: typeof fetch = () => {
      requests += 1;
      return Promise.resolve(new Response('{}'));
    };
    const opening = openTargets([{ brand: 'acme', accountId: 'ACME01', apiKeyVariable: 'GITHUB_TOKEN' }], {
      paths: repositoryPaths('/nonexistent', 'marketing'),
      env: { GITHUB_TOKEN: 'ghs_secret_value_0123', KLAVIYO_BASE_URL: 'http://127.0.0.1:9' },
      client: { fetch: fetchCounting },
    });
    await expect(opening).rejects.toBeInstanceOf(ForbiddenKeyVariableError);
    await expect(opening).rejects.toThrow(
      "brand acme: api_key_env 'GITHUB_TOKEN' is not a Klaviyo key variable; name one like KLAVIYO_API_KEY_ACME",
    );
    await expect(opening).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('ghs_') }),
    );
    expect(requests).toBe(0);
  });

  it('the schema and the config layer allow exactly the same names', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/brand.schema.json', import.meta.url), 'utf8'),
    ) as {
      properties: { api_key_env: { pattern: string } };
    };
    expect(schema.properties.api_key_env.pattern).toBe(BRAND_KEY_VARIABLE.source);
  });
});
