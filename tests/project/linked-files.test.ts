/**
 * Repository content comes from anyone who opens a pull request, so no link inside the marketing directory may
 * pull a file from elsewhere into validate's output, the previews or the plan. Each case links one kind of
 * file (or folder) to a copy outside the repository that carries a canary string, and checks that the link is
 * refused at `path:1:1` and that the canary appears in nothing the commands print or write.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';

const CANARY = 'CANARY-7f3a9c-outside-the-repository';

const BRAND = [
  'name: Acme Goods',
  'account_id: ACME01',
  'api_key_env: KLAVIYO_API_KEY_ACME',
  'sender: { from_email: hello@acme.example, from_label: Acme Goods }',
  'postal_address: 1 Main Street, Springfield, USA',
  'tokens:',
  "  color_primary: '#112233'",
  "  color_accent: '#445566'",
  "  color_background: '#FFFFFF'",
  "  color_text: '#000000'",
  '  font_family: Arial, sans-serif',
  '  logo_url: https://acme.example/logo.png',
  '  logo_width: 120',
  'tone: { greeting: Hi, sign_off: Cheers }',
  '',
].join('\n');

/** A clean repository whose one email uses a layout, a shared partial, a sample and a text part. */
function files(text: (slot: string) => string = (slot) => `own-${slot}`): Record<string, string> {
  return {
    'klaviyo-gitops.yaml': 'version: 1\n',
    'shared/layouts/card.html': `<!DOCTYPE html>\n<html lang="en"><head><title>[[template.subject]]</title></head>\n<body>\n<p>${text('layout')}</p>\n[[[body]]]\n[[> footer]]\n</body></html>\n`,
    'shared/partials/footer.html': `<p>${text('partial')} [[brand.postal_address]] <a href="{% unsubscribe_link %}">Unsubscribe</a></p>\n`,
    'samples/shopper.yaml': `profile:\n  first_name: ${text('sample')}\n  email: robin@example.com\n`,
    'brands/acme/brand.yaml': BRAND,
    'brands/acme/lists/newsletter.yaml': `name: ${text('list')} newsletter\n`,
    'brands/acme/templates/welcome.html': `---\nsubject: Welcome\nlayout: card\nsample: shopper\n---\n<h1>Welcome, {{ first_name|default:'friend' }}!</h1>\n<p>${text('template')}</p>\n`,
    'brands/acme/templates/welcome.txt': `Welcome! ${text('text-part')}\n\nUnsubscribe: {% unsubscribe_link %}\n`,
    'brands/acme/flows/welcome.yaml':
      'name: Welcome\ntrigger: { list: newsletter }\nsteps:\n  - email: { template: welcome }\n',
  };
}

function write(root: string, content: Record<string, string>): void {
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function allFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

interface Workspace {
  cwd: string;
  /** Outside the repository: the canary copies the links point at. */
  outside: string;
}

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(): Workspace {
  const cwd = mkdtempSync(join(tmpdir(), 'kg-links-'));
  const outside = mkdtempSync(join(tmpdir(), 'kg-outside-'));
  workspaces.push(cwd, outside);
  write(join(cwd, 'marketing'), files());
  // The same files with the canary in every text, for links to point at.
  write(
    outside,
    files(() => CANARY),
  );
  return { cwd, outside };
}

/** Replaces `path` inside marketing/ with a link to `target`. */
function link(ws: Workspace, path: string, target: string): void {
  const at = join(ws.cwd, 'marketing', path);
  rmSync(at, { recursive: true, force: true });
  symlinkSync(target, at);
}

const ctx = (cwd: string) => ({ cwd, env: {}, progress: () => {} });

interface Outputs {
  validate: { exitCode: number; stdout: string; stderr?: string | undefined };
  everything: string;
}

/** Runs validate, render and plan (against the embedded sandbox) and gathers all they printed and wrote. */
async function runAll(cwd: string): Promise<Outputs> {
  const validate = await runCli(['validate'], ctx(cwd));
  const render = await runCli(['render', '--out', 'output/previews'], ctx(cwd));
  const plan = await runCli(['plan', '--out', 'output/plan.json', '--markdown', 'output/plan.md'], ctx(cwd));
  const written = allFiles(join(cwd, 'output')).map((file) => readFileSync(file, 'utf8'));
  const printed = [validate, render, plan].flatMap((o) => [o.stdout, o.stderr ?? '']);
  return { validate, everything: [...printed, ...written].join('\n') };
}

describe('links inside the marketing directory', () => {
  it('the clean repository validates, and its previews and plan carry its own text', async () => {
    const ws = workspace();
    const out = await runAll(ws.cwd);
    expect(out.validate.exitCode).toBe(0);
    // The same slots that carry the canary below do reach the outputs: the checks below can see a leak.
    for (const slot of ['layout', 'partial', 'sample', 'template', 'text-part', 'list'])
      expect(out.everything).toContain(`own-${slot}`);
  });

  const cases: Array<{ name: string; path: string; target: (ws: Workspace) => string }> = [
    {
      name: 'a template linked to a file outside',
      path: 'brands/acme/templates/welcome.html',
      target: (ws) => join(ws.outside, 'brands/acme/templates/welcome.html'),
    },
    {
      name: 'a YAML file linked to a file outside',
      path: 'brands/acme/lists/newsletter.yaml',
      target: (ws) => join(ws.outside, 'brands/acme/lists/newsletter.yaml'),
    },
    {
      name: 'a text part linked to a file outside',
      path: 'brands/acme/templates/welcome.txt',
      target: (ws) => join(ws.outside, 'brands/acme/templates/welcome.txt'),
    },
    {
      name: 'a layout linked to a file outside',
      path: 'shared/layouts/card.html',
      target: (ws) => join(ws.outside, 'shared/layouts/card.html'),
    },
    {
      name: 'a sample linked to a file outside',
      path: 'samples/shopper.yaml',
      target: (ws) => join(ws.outside, 'samples/shopper.yaml'),
    },
    {
      name: 'a partials/ folder linked to a folder outside',
      path: 'shared/partials',
      target: (ws) => join(ws.outside, 'shared/partials'),
    },
    {
      name: 'a brand folder linked to a folder outside',
      path: 'brands/acme',
      target: (ws) => join(ws.outside, 'brands/acme'),
    },
  ];

  for (const { name, path, target } of cases) {
    it(`refuses ${name} at path:1:1, and the outside text reaches no output`, async () => {
      const ws = workspace();
      link(ws, path, target(ws));
      const out = await runAll(ws.cwd);
      expect(out.validate.exitCode).toBe(1);
      expect(out.validate.stdout).toContain(
        `marketing/${path}:1:1: error symlink-refused: the path is a symbolic link, which klaviyo-gitops never follows (replace the link with the file itself)`,
      );
      expect(out.everything).not.toContain(CANARY);
    });
  }

  it('refuses a file linked to another file inside the repository', async () => {
    const ws = workspace();
    symlinkSync('newsletter.yaml', join(ws.cwd, 'marketing/brands/acme/lists/vip.yaml'));
    const outcome = await runCli(['validate'], ctx(ws.cwd));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout.split('\n')).toEqual([
      'marketing/brands/acme/lists/vip.yaml:1:1: error symlink-refused: the path is a symbolic link, which klaviyo-gitops never follows (replace the link with the file itself)',
      '10 files, 1 error, 0 warnings',
    ]);
  });

  it('refuses a marketing directory that is itself a link, as a usage error', async () => {
    const ws = workspace();
    symlinkSync(join(ws.cwd, 'marketing'), join(ws.cwd, 'linked'));
    const outcome = await runCli(['validate', '--dir', 'linked'], ctx(ws.cwd));
    expect(outcome).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: the marketing directory linked is a symbolic link, which klaviyo-gitops never follows (pass --dir the real directory)',
    });
  });
});
