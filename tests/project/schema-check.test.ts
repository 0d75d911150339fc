import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('schema problems of one file', () => {
  // Each listed problem is located in the YAML and compared with the others: listing 20,000 took 20 s, and the
  // 100,000 that fit under the size limit took minutes.
  it('are listed up to 50, then summed up in one line, quickly', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `key${i}: 1\n`).join('');
    project = tempProject({ 'marketing/samples/wide.yaml': keys });
    const started = Date.now();
    const outcome = await runCli(['validate'], { cwd: project.cwd, env: {}, progress: () => {} });
    const elapsed = Date.now() - started;
    const lines = outcome.stdout.split('\n').filter((l) => l.startsWith('marketing/samples/wide.yaml:'));
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe(
      'marketing/samples/wide.yaml:1:1: error schema: the file breaks its schema in more places than the 50 listed (fix the listed problems and validate again)',
    );
    expect(lines[1]).toMatch(/^marketing\/samples\/wide\.yaml:1:1: error unknown-key: unknown key 'key0'/);
    expect(lines[50]).toMatch(/^marketing\/samples\/wide\.yaml:50:1: error unknown-key: unknown key 'key49'/);
    // Generous: about a second on a busy machine.
    expect(elapsed).toBeLessThan(8_000);
  });
});
