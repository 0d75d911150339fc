import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../src/project/diagnostics.js';
import { loadProject, ProjectNotFoundError } from '../../src/project/loader.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

async function load(files: Record<string, string | Uint8Array | null>): Promise<Diagnostic[]> {
  project = tempProject(files);
  const result = await loadProject({ cwd: project.cwd, dir: project.dir });
  return result.diagnostics;
}

const FLOW = 'marketing/brands/acme/flows/welcome.yaml';

describe('loadProject', () => {
  it('loads the minimal project without findings and counts its files', async () => {
    project = tempProject();
    const { project: loaded, diagnostics } = await loadProject({ cwd: project.cwd, dir: 'marketing' });
    expect(diagnostics).toEqual([]);
    expect(loaded.fileCount).toBe(10);
    expect([...loaded.brands.keys()]).toEqual(['acme']);
    expect(loaded.brands.get('acme')!.templates.get('hello')!.frontMatter.subject).toBe('Hello there');
  });

  it('reports a misspelt key at its line with a did-you-mean', async () => {
    const diagnostics = await load({
      [FLOW]:
        'name: Welcome\ntrigger: { list: newsletter }\nsteps:\n  - id: wait-1\n    wiat: { hours: 1 }\n',
    });
    expect(diagnostics.map(formatDiagnostic)).toContain(
      `${FLOW}:5:5: error unknown-key: unknown key 'wiat' at steps[0] (did you mean 'wait'?)`,
    );
  });

  it('reports YAML syntax errors as diagnostics with a position', async () => {
    const diagnostics = await load({ [FLOW]: 'name: Welcome\nsteps: [\n  - wait: 1\n' });
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.file === FLOW && d.rule === 'yaml-syntax' && d.line >= 2)).toBe(true);
  });

  it('reports a duplicate mapping key', async () => {
    const diagnostics = await load({
      [FLOW]: 'name: Welcome\nname: Again\ntrigger: { list: newsletter }\nsteps: []\n',
    });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ file: FLOW, line: 2, col: 1, rule: 'duplicate-key' }),
    );
  });

  it('reports empty files and binary files instead of throwing', async () => {
    const diagnostics = await load({
      'marketing/brands/acme/lists/empty.yaml': '# nothing here yet\n',
      'marketing/brands/acme/lists/blob.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]),
    });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'marketing/brands/acme/lists/empty.yaml',
        rule: 'empty-file',
        line: 1,
      }),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'marketing/brands/acme/lists/blob.yaml',
        rule: 'binary-file',
        line: 1,
      }),
    );
  });

  it('rejects file names that are not valid keys and suggests one', async () => {
    const diagnostics = await load({ 'marketing/brands/acme/lists/VIP Customers.yaml': 'name: VIP\n' });
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ rule: 'invalid-key-name', fix: 'rename the file to vip-customers.yaml' }),
    );
  });

  it('points front-matter errors at the template line', async () => {
    const diagnostics = await load({
      'marketing/brands/acme/templates/hello.html': '---\nname: Hello\nsubjet: Hi\n---\n<p>Hi</p>\n',
    });
    const lines = diagnostics.map(formatDiagnostic);
    expect(lines).toContain(
      "marketing/brands/acme/templates/hello.html:3:1: error unknown-key: unknown key 'subjet' (did you mean 'subject'?)",
    );
    // The misspelt key is not also reported as a missing 'subject'.
    expect(lines.filter((l) => l.includes('missing-key'))).toEqual([]);
  });

  it('reports a wrong type with the expected one', async () => {
    const diagnostics = await load({
      [FLOW]: 'name: Welcome\ntrigger: { list: newsletter }\nsteps:\n  - wait: { hours: "four" }\n',
    });
    expect(diagnostics.map(formatDiagnostic)).toContain(
      `${FLOW}:4:20: error schema: must be a whole number at steps[0].wait.hours, not a string ('four')`,
    );
  });

  it('throws a typed error when the marketing directory is missing', async () => {
    project = tempProject();
    await expect(loadProject({ cwd: project.cwd, dir: 'nowhere' })).rejects.toBeInstanceOf(
      ProjectNotFoundError,
    );
  });
});
