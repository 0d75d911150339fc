import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { tempProject } from './temp-project.js';

/**
 * Each folder of tests/fixtures/broken/ holds files laid over the minimal project and `expected.txt`: the
 * diagnostics `validate` must print for them, exactly.
 */
const BROKEN = fileURLToPath(new URL('../fixtures/broken', import.meta.url));

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : [path];
  });
}

describe('validate on broken fixtures', () => {
  const cases = readdirSync(BROKEN).sort();

  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(`${name}: exits 1 with path:line:col, rule id and message`, async () => {
      const dir = join(BROKEN, name);
      const overlay: Record<string, Uint8Array> = {};
      for (const file of filesOf(dir))
        if (!file.endsWith('expected.txt')) overlay[relative(dir, file)] = readFileSync(file);
      const expected = readFileSync(join(dir, 'expected.txt'), 'utf8').trim().split('\n');
      const project = tempProject(overlay);
      try {
        const outcome = await runCli(['validate'], { cwd: project.cwd, env: {}, progress: () => {} });
        expect(outcome.exitCode).toBe(1);
        const lines = outcome.stdout.split('\n');
        expect(lines.slice(0, -1)).toEqual(expected);
        for (const line of expected)
          expect(line).toMatch(/^marketing\/\S.*:\d+:\d+: (error|warning) [a-z-]+: .+/);
        expect(lines.at(-1)).toMatch(/^\d+ files, [1-9]\d* errors?, \d+ warnings?$/);
      } finally {
        project.cleanup();
      }
    });
  }
});
