import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import type { ValidateReport } from '../../src/commands/validate.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const LIST = 'marketing/brands/acme/lists/newsletter.yaml';

async function yamlFindings(text: string): Promise<ValidateReport['diagnostics']> {
  project = tempProject({ [LIST]: text });
  const outcome = await runCli(['validate', '--json'], { cwd: project.cwd, env: {}, progress: () => {} });
  return (JSON.parse(outcome.stdout) as ValidateReport).diagnostics.filter((d) => d.file === LIST);
}

describe('YAML mistakes', () => {
  it('reports a line indented too deep once, at that line, with what to do', async () => {
    expect(await yamlFindings('name: Newsletter\n  description: Weekly news\n')).toEqual([
      {
        file: LIST,
        line: 2,
        col: 3,
        rule: 'yaml-syntax',
        severity: 'error',
        message: "this line is indented deeper than the key above it ('name:'), which already has a value",
        fix: "indent it as far as 'name:' to make it the next key, or move the value of 'name:' to its own indented line",
      },
    ]);
  });

  it('says a tab is the problem when a line is indented with one', async () => {
    expect(await yamlFindings('name: Newsletter\n\tdescription: Weekly news\n')).toEqual([
      expect.objectContaining({
        line: 2,
        col: 1,
        rule: 'yaml-syntax',
        message: 'this line is indented with a tab; YAML indents with spaces only',
      }),
    ]);
  });
});
