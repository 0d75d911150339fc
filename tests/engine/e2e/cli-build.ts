/**
 * The CLI built from the current source into one ESM file for tests that run it as a process (action/cli.js is
 * rebuilt only when committing, and `tsx` would spend seconds compiling on every start). Inside node_modules,
 * so the bundle's packages (left external) resolve from the project's node_modules. Each test file builds its
 * own copy: files run in parallel.
 */
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const ROOT = resolve(import.meta.dirname, '../../..');

export async function buildCli(name: string): Promise<string> {
  const outfile = join(ROOT, `node_modules/.cache/klaviyo-gitops-e2e/${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}
