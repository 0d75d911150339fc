import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import type { ValidateReport } from '../../src/commands/validate.js';
import type { Diagnostic } from '../../src/project/diagnostics.js';
import { tempProject, type TempProject } from '../project/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const ROOT = 'marketing/klaviyo-gitops.yaml';
const BRAND = 'marketing/brands/acme/brand.yaml';
const TEMPLATE = 'marketing/brands/acme/templates/hello.html';
const OTHER_BRAND_DIR = 'marketing/brands/other';

const BRAND_YAML = [
  'name: Acme Goods',
  'account_id: ACME01',
  'api_key_env: KLAVIYO_API_KEY_ACME',
  'website: https://acme.example',
  'sender:',
  '  from_email: hello@acme.example',
  '  from_label: Acme Goods',
  'postal_address: 1 Main Street, Springfield, USA',
  'tokens:',
  "  color_primary: '#112233'",
  "  color_accent: '#445566'",
  "  color_background: '#FFFFFF'",
  "  color_text: '#000000'",
  '  font_family: Arial, sans-serif',
  '  logo_url: https://acme.example/logo.png',
  '  logo_width: 120',
  'tone:',
  '  greeting: Hi',
  '  sign_off: Cheers',
  '',
].join('\n');

/** A template whose button has round corners and is rotated: two features Outlook for Windows lacks. */
const ROUND_BUTTON = [
  '---',
  'name: Hello',
  'subject: Hello there',
  'preview_text: A short hello',
  'layout: base',
  '---',
  '<p style="border-radius:4px; transform:rotate(1deg)">Hi</p>',
  '<p><a href="{% unsubscribe_link %}">Unsubscribe</a></p>',
  '',
].join('\n');

const ROOT_CONFIG = (entries: string) =>
  [
    'version: 1',
    'defaults:',
    '  transactional_templates: [receipt]',
    entries,
    'metrics: [Left a Review]',
    '',
  ].join('\n');

async function validate(files: Record<string, string>, ...args: string[]): Promise<ValidateReport> {
  project = tempProject({ [TEMPLATE]: ROUND_BUTTON, ...files });
  const outcome = await runCli(['validate', '--json', ...args], {
    cwd: project.cwd,
    env: {},
    progress: () => {},
  });
  return JSON.parse(outcome.stdout) as ValidateReport;
}

const clientSupport = (report: ValidateReport): Diagnostic[] =>
  report.diagnostics.filter((d) => d.rule === 'caniemail' || d.rule === 'accepted-client-feature');

describe('accepted_client_features', () => {
  it('reports every unsupported feature when nothing is accepted', async () => {
    const report = await validate({});
    expect(clientSupport(report).map((d) => [d.file, d.line, d.message])).toEqual([
      [TEMPLATE, 7, '`border-radius` is not supported by outlook.windows'],
      [TEMPLATE, 7, '`transform` is not supported by outlook.windows, gmail.desktop-webmail'],
    ]);
  });

  it("takes out only the accepted feature's accepted clients, with the brand's entry replacing the root's", async () => {
    const report = await validate({
      [ROOT]: ROOT_CONFIG(
        [
          '  accepted_client_features:',
          '    - { feature: border-radius, clients: [gmail.ios], reason: not ours }',
          '    - { feature: transform, clients: [outlook.windows], reason: a tilt is decoration }',
        ].join('\n'),
      ),
      [BRAND]: `${BRAND_YAML}accepted_client_features:\n  - feature: border-radius\n    clients: [outlook.windows]\n    reason: square corners in Outlook are fine\n`,
    });
    expect(clientSupport(report)).toEqual([
      expect.objectContaining({
        file: TEMPLATE,
        line: 7,
        severity: 'warning',
        message: '`transform` is not supported by gmail.desktop-webmail',
        clientSupport: { feature: 'transform', clients: ['gmail.desktop-webmail'] },
      }),
      // The brand replaced the root's border-radius entry, so nothing reads that one any more.
      expect.objectContaining({
        file: ROOT,
        line: 5,
        rule: 'accepted-client-feature',
        message: '`border-radius` is accepted for gmail.ios, but no email needs it there',
      }),
    ]);
  });

  it('reports an accepted client no email needs at the place it is written, so the list cannot rot', async () => {
    const report = await validate({
      [BRAND]: `${BRAND_YAML}accepted_client_features:\n  - feature: border-radius\n    clients: [outlook.windows, apple-mail.macos]\n    reason: square corners are fine\n  - feature: opacity\n    clients: [outlook.windows]\n    reason: nothing fades\n`,
    });
    expect(report.diagnostics.filter((d) => d.rule === 'accepted-client-feature')).toEqual([
      {
        file: BRAND,
        line: 22,
        col: 32,
        rule: 'accepted-client-feature',
        severity: 'warning',
        message: '`border-radius` is accepted for apple-mail.macos, but no email needs it there',
        fix: 'remove apple-mail.macos from this entry',
      },
      expect.objectContaining({ file: BRAND, line: 25, col: 15, severity: 'warning' }),
    ]);
    expect(
      report.diagnostics.filter((d) => d.rule === 'caniemail').map((d) => d.clientSupport?.feature),
    ).toEqual(['transform']);
  });

  it('refuses a feature caniemail does not know, with the name it probably meant', async () => {
    const report = await validate({
      [ROOT]: ROOT_CONFIG(
        '  accepted_client_features:\n    - { feature: border-raduis, clients: [outlook.windows], reason: square }',
      ),
    });
    expect(report.diagnostics.filter((d) => d.rule === 'accepted-client-feature')).toEqual([
      {
        file: ROOT,
        line: 5,
        col: 18,
        rule: 'accepted-client-feature',
        severity: 'error',
        message: "'border-raduis' is not a caniemail feature",
        fix: "did you mean 'border-radius'?",
      },
    ]);
  });

  it('requires a reason for every entry, reported at the entry', async () => {
    const report = await validate({
      [BRAND]: `${BRAND_YAML}accepted_client_features:\n  - feature: border-radius\n    clients: [outlook.windows]\n`,
    });
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ file: BRAND, line: 21, col: 5, severity: 'error', fix: "add 'reason:'" }),
    );
  });

  it("leaves root entries another brand may need alone when one brand is validated, and checks the brand's own", async () => {
    const files = {
      [ROOT]: ROOT_CONFIG(
        '  accepted_client_features:\n    - { feature: opacity, clients: [outlook.windows], reason: other brands fade }',
      ),
      [`${OTHER_BRAND_DIR}/brand.yaml`]: BRAND_YAML.replace('ACME01', 'OTHER1').replace('_ACME', '_OTHER'),
    };
    const one = await validate(files, '--brand', 'acme');
    expect(one.diagnostics.filter((d) => d.rule === 'accepted-client-feature')).toEqual([]);
    project?.cleanup();
    const all = await validate(files);
    expect(all.diagnostics.filter((d) => d.rule === 'accepted-client-feature')).toEqual([
      expect.objectContaining({ file: ROOT, line: 5, severity: 'warning' }),
    ]);
  });
});
