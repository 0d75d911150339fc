/**
 * validate reports each problem once, at the file a person has to change: a shared layout's problem at the
 * layout (not once per email), a subject's at the template (not at the layout that inserts it), an unclosed
 * Klaviyo tag at its opener (not as a dump of the HTML after it, nor as missing links further down).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import type { ValidateReport } from '../../src/commands/validate.js';
import { tempProject, type TempProject } from '../project/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const LAYOUT = 'marketing/shared/layouts/base.html';
const HEAD = 'marketing/shared/partials/head.html';
const HELLO = 'marketing/brands/acme/templates/hello.html';

/** A layout whose head partial inserts the subject raw, as real layouts do to keep its Klaviyo tags. */
const SHARED = {
  [HEAD]:
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>[[[template.subject]]]</title>\n</head>\n',
  [LAYOUT]: [
    '[[> head]]',
    '<body>',
    '<div style="border-radius:4px">',
    '[[[body]]]',
    '<p>[[brand.name]], [[brand.postal_address]]</p>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n'),
};

const template = (subject: string, body: string) =>
  [
    '---',
    'name: Hello',
    `subject: "${subject}"`,
    'preview_text: A short hello',
    'layout: base',
    '---',
    body,
    '',
  ].join('\n');

const UNSUBSCRIBE = '<p><a href="{% unsubscribe_link %}">Unsubscribe</a></p>';

async function validate(files: Record<string, string>): Promise<ValidateReport> {
  project = tempProject({ ...SHARED, ...files });
  const outcome = await runCli(['validate', '--json'], { cwd: project.cwd, env: {}, progress: () => {} });
  return JSON.parse(outcome.stdout) as ValidateReport;
}

const ruleAndFile = (report: ValidateReport) =>
  report.diagnostics.map((d) => [d.rule, d.file, d.line, d.col]);

describe('validate: each finding once, at the file to change', () => {
  it("reports a shared layout's finding once, at the layout, however many emails use it", async () => {
    const report = await validate({
      [HELLO]: template('Hello', `<p>Hi</p>\n${UNSUBSCRIBE}`),
      'marketing/brands/acme/templates/receipt.html': template(
        'Your receipt',
        `<p>Thanks for your order.</p>\n${UNSUBSCRIBE}`,
      ),
    });
    expect(ruleAndFile(report)).toEqual([['caniemail', LAYOUT, 3, 13]]);
    expect(report.warnings).toBe(1);
  });

  it('reports a Klaviyo tag typo in subject: at the template only, not at the layout that inserts it', async () => {
    const report = await validate({
      [HELLO]: template("Hello {{ first_name|defualt:'there' }}", `<p>Hi</p>\n${UNSUBSCRIBE}`),
    });
    expect(report.diagnostics.filter((d) => d.rule === 'klaviyo-syntax')).toEqual([
      {
        file: HELLO,
        line: 3,
        col: 10,
        rule: 'klaviyo-syntax',
        severity: 'error',
        message: "unknown filter 'defualt'",
        fix: "did you mean 'default'?",
      },
    ]);
    expect(report.diagnostics.filter((d) => d.file === HEAD)).toEqual([]);
  });

  it('reports an unclosed {{ at its opener, without the HTML after it and without blaming anything else', async () => {
    const report = await validate({
      [HELLO]: template(
        'Hello',
        `<p>Hi {{ first_name|default:'there' </p>\n${UNSUBSCRIBE}\n<p>{{ organization.name }}</p>`,
      ),
    });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      {
        file: HELLO,
        line: 7,
        col: 7,
        rule: 'klaviyo-syntax',
        severity: 'error',
        message: "'{{' is not closed on its line: the next tag starts before any '}}'",
        fix: "close it with '}}' on the same line, or remove the stray '{{'",
      },
    ]);
    expect(report.diagnostics.every((d) => !d.message.includes('\n'))).toBe(true);
    expect(report.diagnostics.map((d) => d.rule)).not.toContain('unsubscribe-required');
  });
});

describe('validate on the example content', () => {
  let cwd: string | undefined;
  afterEach(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('reports nothing: every warning was fixed or is accepted with a reason', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kg-example-'));
    await cp(fileURLToPath(new URL('../../marketing', import.meta.url)), join(cwd, 'marketing'), {
      recursive: true,
    });
    const outcome = await runCli(['validate', '--json'], { cwd, env: {}, progress: () => {} });
    const report = JSON.parse(outcome.stdout) as ValidateReport;
    expect(report.diagnostics.map((d) => [d.rule, d.file])).toEqual([]);
    expect([report.errors, report.warnings, outcome.exitCode]).toEqual([0, 0, 0]);
  });
});
