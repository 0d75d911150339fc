import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { buildDesiredState } from '../../src/compile/index.js';
import type { ValidateReport } from '../../src/commands/validate.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const ctx = (cwd: string) => ({ cwd, env: {}, progress: () => {} });
const OTHER_BRAND = 'marketing/brands/other';

describe('klaviyo-gitops validate', () => {
  it('prints a summary and exits 0 on a clean project', async () => {
    project = tempProject();
    const outcome = await runCli(['validate'], ctx(project.cwd));
    expect(outcome).toEqual({ exitCode: 0, stdout: '10 files, 0 errors, 0 warnings' });
  });

  it('prints a machine-readable report with --json', async () => {
    project = tempProject({
      'marketing/brands/acme/flows/welcome.yaml':
        'name: W\ntrigger: { list: newsletter }\nsteps:\n  - email: { template: nope }\n',
    });
    const outcome = await runCli(['validate', '--json'], ctx(project.cwd));
    expect(outcome.exitCode).toBe(1);
    const report = JSON.parse(outcome.stdout) as ValidateReport;
    expect(report).toMatchObject({
      version: 1,
      ok: false,
      files: 10,
      errors: 1,
      warnings: 0,
      brands: ['acme'],
    });
    expect(report.diagnostics).toEqual([
      {
        file: 'marketing/brands/acme/flows/welcome.yaml',
        line: 4,
        col: 24,
        rule: 'unknown-template',
        severity: 'error',
        message: "unknown template 'nope'",
        fix: 'add templates/nope.html to this brand',
      },
    ]);
  });

  it('limits findings to one brand with --brand, still checking shared files', async () => {
    project = tempProject({
      [`${OTHER_BRAND}/brand.yaml`]: 'name: Other\n',
      'marketing/brands/acme/lists/broken.yaml': 'name: [\n',
    });
    const all = await runCli(['validate'], ctx(project.cwd));
    expect(all.stdout).toContain(`${OTHER_BRAND}/brand.yaml:1:1: error missing-key`);
    const acme = await runCli(['validate', '--brand', 'acme'], ctx(project.cwd));
    expect(acme.exitCode).toBe(1);
    expect(acme.stdout).not.toContain(OTHER_BRAND);
    expect(acme.stdout).toContain('marketing/brands/acme/lists/broken.yaml:');
    const other = await runCli(['validate', '--brand', 'other', '--json'], ctx(project.cwd));
    expect(
      (JSON.parse(other.stdout) as ValidateReport).diagnostics.every((d) => d.file.startsWith(OTHER_BRAND)),
    ).toBe(true);
  });

  it('exits 2 for an unknown brand or a missing directory, without a stack trace', async () => {
    project = tempProject();
    const brand = await runCli(['validate', '--brand', 'acne'], ctx(project.cwd));
    expect(brand).toEqual({ exitCode: 2, stdout: '', stderr: "error: unknown brand 'acne' (brands: acme)" });
    const dir = await runCli(['validate', '--dir', 'content'], ctx(project.cwd));
    expect(dir.exitCode).toBe(2);
    expect(dir.stderr).toBe('error: no marketing directory at content (pass --dir to point at it)');
  });

  it('runs the email QA on the assembled templates, as every build of the desired state does', async () => {
    project = tempProject({
      'marketing/brands/acme/templates/hello.html':
        '---\nsubject: Hello\nlayout: base\n---\n<p>No way out of this list.</p>\n',
    });
    const outcome = await runCli(['validate', '--json'], ctx(project.cwd));
    const report = JSON.parse(outcome.stdout) as ValidateReport;
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'marketing/brands/acme/templates/hello.html',
        rule: 'unsubscribe-required',
        severity: 'error',
      }),
    );
    const build = await buildDesiredState({ cwd: project.cwd, dir: project.dir });
    expect(build.diagnostics).toEqual(report.diagnostics);
    expect(build.errors).toBe(report.errors);
  });

  it('reads --dir relative to the working directory and names files relative to it', async () => {
    project = tempProject({ 'marketing/brands/acme/lists/newsletter.yaml': 'nmae: News\n' });
    const outcome = await runCli(['validate', '--dir', './marketing'], ctx(project.cwd));
    expect(outcome.stdout.split('\n')[0]).toBe(
      "marketing/brands/acme/lists/newsletter.yaml:1:1: error unknown-key: unknown key 'nmae' (did you mean 'name'?)",
    );
  });
});
