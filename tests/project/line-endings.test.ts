/**
 * A Windows checkout (`core.autocrlf=true`) turns every LF into CRLF. The example content, converted so, must
 * validate exactly like the LF original and compile to the same templates (same content hashes), so a plan
 * made on Windows equals one made on Linux. Old Mac line endings (a lone CR) are read the same way.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { buildDesiredState } from '../../src/compile/index.js';
import { templateContentHash } from '../../src/engine/markers.js';

const EXAMPLE = resolve(import.meta.dirname, '../../marketing');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A copy of the example marketing/ in a fresh working directory, every line ending replaced by `eol`. */
function exampleCopy(eol: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'kg-eol-'));
  dirs.push(cwd);
  cpSync(EXAMPLE, join(cwd, 'marketing'), { recursive: true });
  for (const file of filesUnder(join(cwd, 'marketing')))
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\r?\n/g, eol));
  return cwd;
}

async function compiled(cwd: string) {
  const build = await buildDesiredState({ cwd, dir: 'marketing' });
  const hashes = build.states.flatMap((state) =>
    state.templates.map((t) => `${state.brand}/${t.key} ${templateContentHash(t.html, t.text)}`),
  );
  return { build, hashes };
}

const ctx = (cwd: string) => ({ cwd, env: {}, progress: () => {} });

interface Outcome {
  validate: Awaited<ReturnType<typeof runCli>>;
  compiled: Awaited<ReturnType<typeof compiled>>;
}

async function outcome(cwd: string): Promise<Outcome> {
  return { validate: await runCli(['validate'], ctx(cwd)), compiled: await compiled(cwd) };
}

describe('line endings', () => {
  let lf: Outcome;
  beforeAll(async () => {
    lf = await outcome(exampleCopy('\n'));
    expect(lf.validate.exitCode).toBe(0);
    expect(lf.compiled.hashes.length).toBeGreaterThan(10);
  }, 120_000);

  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ] as const) {
    it(`a ${name} copy of the example content validates and compiles exactly like the LF one`, async () => {
      const cwd = exampleCopy(eol);
      expect(readFileSync(join(cwd, 'marketing/klaviyo-gitops.yaml'), 'utf8')).toContain(eol);
      const other = await outcome(cwd);

      expect(other.validate).toEqual(lf.validate);
      const [a, b] = [lf.compiled, other.compiled];
      expect(b.build.diagnostics).toEqual(a.build.diagnostics);
      expect([b.build.errors, b.build.warnings, b.build.project.fileCount]).toEqual([
        a.build.errors,
        a.build.warnings,
        a.build.project.fileCount,
      ]);
      expect(b.hashes).toEqual(a.hashes);
      // Everything sent to Klaviyo is the same, not only the templates.
      expect(JSON.stringify(b.build.states)).toEqual(JSON.stringify(a.build.states));
    }, 120_000);
  }
});
