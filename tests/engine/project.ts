/** A small marketing repository on disk, for command tests. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ACME_FILES: Record<string, string> = {
  'marketing/klaviyo-gitops.yaml': 'version: 1\n',
  'marketing/brands/acme/brand.yaml': [
    'name: Acme Outdoor',
    'account_id: ACME01',
    'api_key_env: KLAVIYO_API_KEY_ACME',
    'sender: { from_email: hello@acme.example, from_label: Acme }',
    'postal_address: 1 Main Street, Springfield, USA',
    'tokens:',
    '  color_primary: "#112233"',
    '  color_accent: "#445566"',
    '  color_background: "#FFFFFF"',
    '  color_text: "#000000"',
    '  font_family: Georgia, serif',
    '  logo_url: https://acme.example/logo.png',
    '  logo_width: 120',
    'tone: { greeting: Hi, sign_off: Cheers }',
    '',
  ].join('\n'),
  'marketing/brands/acme/lists/newsletter.yaml': 'name: Newsletter\n',
  'marketing/brands/acme/segments/vip.yaml': [
    'name: VIP',
    'all:',
    '  - member_of: { list: newsletter }',
    '  - metric: Placed Order',
    '    count: { at_least: 3 }',
    '    within: { last: 365, unit: day }',
    '',
  ].join('\n'),
  'marketing/brands/acme/templates/welcome.html': [
    '---',
    'name: Welcome',
    'subject: "Welcome, {{ first_name|default:\'friend\' }}"',
    'preview_text: Glad you are here',
    '---',
    "<html><body><p>Hi {{ first_name|default:'there' }}</p>",
    '<p>{% unsubscribe %}</p><p>{{ organization.full_address }}</p></body></html>',
    '',
  ].join('\n'),
  'marketing/brands/acme/flows/welcome.yaml': [
    'name: Welcome series',
    'status: live',
    'trigger: { list: newsletter }',
    'steps:',
    '  - id: wait-1',
    '    wait: { days: 1 }',
    '  - id: email-1',
    '    email: { template: welcome }',
    '',
  ].join('\n'),
};

export async function writeProject(files: Record<string, string> = ACME_FILES): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'kg-project-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}
