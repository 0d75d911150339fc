import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command.js';
import { runCli } from '../../src/commands/index.js';
import { runRender } from '../../src/commands/render.js';
import { buildDesiredState } from '../../src/compile/index.js';
import { renderPreview, toPreviewSample } from '../../src/email/index.js';
import type { PreviewManifest } from '../../src/previews/manifest.js';
import { runAsCli } from '../../src/commands/cli-outcome.js';
import type { CommandResult } from '../../src/commands/results.js';

/** The command's result as the CLI shows it. */
const cli = (run: Promise<CommandResult>) => runAsCli(run, {}, { env: {} });

const fixture = join(import.meta.dirname, '..', 'fixtures', 'render', 'marketing');
const source = 'marketing/brands/pinecone/templates';

let work: string;
let progress: string[];

function context(env: Record<string, string> = {}): CommandContext {
  return { cwd: work, env, progress: (line) => progress.push(line) };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readManifest(): Promise<PreviewManifest> {
  return JSON.parse(await readFile(join(work, 'previews', 'manifest.json'), 'utf8')) as PreviewManifest;
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kg-render-'));
  progress = [];
  await cp(fixture, join(work, 'marketing'), { recursive: true });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('klaviyo-gitops render', () => {
  it('renders every template with its sample and still writes the rest when one fails', async () => {
    const outcome = await runCli(['render', '--out', 'previews'], context());

    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain('pinecone/broken   FAILED: a Klaviyo tag does not parse');
    expect(outcome.stdout).toContain(`${source}/broken.html:8:1: error klaviyo-syntax`);
    expect(outcome.stdout).toMatch(
      /2 emails rendered, 1 failed, \d+ errors?, \d+ warnings?: previews\/index\.html$/,
    );

    const cart = await readFile(join(work, 'previews/pinecone/cart.html'), 'utf8');
    expect(cart).toMatch(/^<!DOCTYPE html>/);
    expect(cart).toContain('<h1>Hi Robin,</h1>');
    expect(cart).toContain('Pinecone &amp; Co · 1 Cone Lane, Portland, OR 97201, USA');
    expect(cart).toContain('<p class="item">2 × Cedar Cone</p>');
    expect(cart).toContain('Gold members ship free.');
    expect(cart).not.toContain('{{');
    expect(cart).not.toContain('{%');
    const text = await readFile(join(work, 'previews/pinecone/cart.txt'), 'utf8');
    expect(text).toContain('Hi Robin, your cart is waiting.');
    expect(await exists(join(work, 'previews/pinecone/broken.html'))).toBe(false);
    expect(await exists(join(work, 'previews/index.html'))).toBe(true);
  });

  it('records each email in manifest.json: rendered subject and preview text, files, size, findings', async () => {
    await runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context());
    const manifest = await readManifest();

    expect(manifest.version).toBe(1);
    expect(manifest.emails.map((e) => `${e.brand}/${e.key}:${e.status}`)).toEqual([
      'pinecone/broken:failed',
      'pinecone/cart:rendered',
      'pinecone/welcome:rendered',
    ]);
    const cart = manifest.emails[1]!;
    if (cart.status !== 'rendered') throw new Error('cart did not render');
    expect(cart).toMatchObject({
      brandName: 'Pinecone & Co',
      name: 'Cart reminder',
      source: `${source}/cart.html`,
      subject: 'Robin, your cart is waiting',
      previewText: 'Worth 42 dollars & counting',
      sample: 'shopper',
      files: { html: 'pinecone/cart.html', text: 'pinecone/cart.txt' },
    });
    const bytes = (await readFile(join(work, 'previews', cart.files.html!))).length;
    expect(cart.sizeBytes).toBe(bytes);

    const broken = manifest.emails[0]!;
    expect(broken).toMatchObject({ status: 'failed', files: {} });
    expect(broken.findings).toContainEqual(
      expect.objectContaining({ file: `${source}/broken.html`, line: 8, col: 1, severity: 'error' }),
    );
    expect(manifest.summary).toMatchObject({ emails: 3, rendered: 2, failed: 1 });
    // The raw '&' is in the preview text the layout inserts: reported where the preview text is written.
    expect(cart.findings).toContainEqual(
      expect.objectContaining({
        file: `${source}/cart.html`,
        line: 4,
        rule: 'html-validate',
        severity: 'warning',
      }),
    );
  });

  it('previews exactly what compile builds for Klaviyo, rendered with the sample', async () => {
    await runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context());
    const build = await buildDesiredState({ cwd: work, dir: 'marketing' });
    const project = build.project;
    const brand = project.brands.get('pinecone')!;
    const sample = toPreviewSample('shopper', project.samples.get('shopper')!.value);
    for (const key of ['cart', 'welcome']) {
      const sent = build.states[0]!.templates.find((t) => t.key === key)!;
      const expected = renderPreview({
        html: sent.html,
        text: sent.text,
        subject: sent.subject,
        previewText: sent.previewText,
        brand: brand.config.value,
        ...(key === 'cart' ? { sample } : {}),
      });
      expect(await readFile(join(work, `previews/pinecone/${key}.html`), 'utf8')).toBe(expected.html);
      expect(await readFile(join(work, `previews/pinecone/${key}.txt`), 'utf8')).toBe(expected.text);
    }
  });

  it('shows the failure in the gallery next to the emails that rendered', async () => {
    await runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context());
    const gallery = await readFile(join(work, 'previews/index.html'), 'utf8');
    expect(gallery).toContain('No preview: a Klaviyo tag does not parse');
    expect(gallery).toContain(`${source}/broken.html:8:1`);
    expect(gallery).toContain('data-email="pinecone/cart" data-width="375"');
    expect(gallery).toContain('Robin, your cart is waiting');
  });

  it('exits 0 when every template renders', async () => {
    await rm(join(work, `${source}/broken.html`));
    const outcome = await cli(
      runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context()),
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(
      /^pinecone\/cart {8}\d\.\d KB {2}Robin, your cart is waiting {2}\(0 errors, 1 warning\)$/m,
    );
    expect(outcome.stdout).toMatch(/^pinecone\/welcome {5}\d\.\d KB {2}Welcome to Pinecone$/m);
  });

  it('removes the previews of a deleted template and nothing else', async () => {
    await runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context());
    await writeFile(join(work, 'previews/pinecone/notes.md'), 'mine');
    expect(await exists(join(work, 'previews/pinecone/welcome.html'))).toBe(true);

    await rm(join(work, `${source}/welcome.html`));
    await runRender({ dir: 'marketing', out: 'previews', screenshots: false }, context());

    expect(await exists(join(work, 'previews/pinecone/welcome.html'))).toBe(false);
    expect(await exists(join(work, 'previews/pinecone/welcome.txt'))).toBe(false);
    expect(await exists(join(work, 'previews/pinecone/cart.html'))).toBe(true);
    expect(await readFile(join(work, 'previews/pinecone/notes.md'), 'utf8')).toBe('mine');
  });

  it('renders only the brand asked for, and calls an unknown brand a usage error', async () => {
    const ok = await cli(
      runRender({ dir: 'marketing', brand: 'pinecone', out: 'previews', screenshots: false }, context()),
    );
    expect(ok.stdout).toContain('pinecone/cart');
    const unknown = await cli(
      runRender({ dir: 'marketing', brand: 'pincone', out: 'p2', screenshots: false }, context()),
    );
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown brand 'pincone'");
    expect(await exists(join(work, 'p2'))).toBe(false);
  });

  it('calls a missing marketing directory a usage error', async () => {
    const outcome = await cli(runRender({ dir: 'nowhere', out: 'previews', screenshots: false }, context()));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('no marketing directory at nowhere');
  });

  it('fails clearly, before writing anything, when --screenshots has no browser', async () => {
    const outcome = await runCli(
      ['render', '--out', 'previews', '--screenshots'],
      context({ CHROME_PATH: join(work, 'no-such-chrome') }),
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain(
      `CHROME_PATH is set to ${join(work, 'no-such-chrome')}, but there is no browser there`,
    );
    expect(await exists(join(work, 'previews'))).toBe(false);
  });

  it('documents its options in --help', async () => {
    const outcome = await runCli(['render', '--help'], context());
    expect(outcome.stdout).toContain('[--out output/previews] [--screenshots]');
  });
});

describe('klaviyo-gitops render: flow emails', () => {
  const examples = join(import.meta.dirname, '..', '..', 'marketing');

  it('lists every flow email of the example content in the manifest, in step order, as sent', async () => {
    await rm(join(work, 'marketing'), { recursive: true });
    await cp(examples, join(work, 'marketing'), { recursive: true });
    const outcome = await runCli(['render', '--brand', 'emberwick', '--out', 'previews'], context());
    expect(outcome.exitCode, outcome.stdout + outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/\d+ flow emails in \d+ flows, in step order in the gallery\./);

    const manifest = await readManifest();
    const welcome = manifest.flows.find((f) => f.key === 'welcome')!;
    expect(welcome).toMatchObject({ brand: 'emberwick', name: 'Welcome series', blueprint: 'welcome' });
    expect(welcome.emails.map((e) => e.step)).toEqual(['welcome-1', 'welcome-2', 'welcome-3']);
    expect(welcome.emails[1]!.delay).toEqual([
      { step: 'wait-before-2', amount: 3, unit: 'days', until: { time: '19:00' } },
    ]);
    const [a, b] = welcome.emails[0]!.variants;
    // Variant B's subject is the flow's `subject_b`; both send the welcome-1 template, rendered once.
    expect(b).toMatchObject({
      label: 'B',
      share: 50,
      status: 'rendered',
      subject: { from: 'step' },
      subjectLine: 'A little light for your first order (10% off)',
      preview: 'emberwick/welcome-1',
    });
    const template = manifest.emails.find((e) => e.key === 'welcome-1')!;
    expect(template.status).toBe('rendered');
    expect(a).toMatchObject({
      label: 'A',
      subject: { from: 'template' },
      subjectLine: template.status === 'rendered' ? template.subject : '',
      previewLine: template.status === 'rendered' ? template.previewText : '',
      preview: 'emberwick/welcome-1',
    });
    const cart = manifest.flows.find((f) => f.key === 'abandoned-cart')!;
    expect(cart.emails.map((e) => [e.step, e.variants[0]!.template])).toEqual([
      ['cart-reminder-1', 'cart-reminder-1'],
      ['cart-reminder-2-high-value', 'cart-reminder-2'],
      ['cart-reminder-2', 'cart-reminder-2'],
    ]);
    expect(manifest.summary.flowEmails).toBe(manifest.flows.reduce((n, f) => n + f.emails.length, 0));
    // One preview file per template, none per flow step.
    expect(await exists(join(work, 'previews/emberwick/welcome-1.html'))).toBe(true);
    const gallery = await readFile(join(work, 'previews/index.html'), 'utf8');
    expect(gallery).toContain('id="flow-email-emberwick-welcome-welcome-1"');
  });

  it('fails a flow email whose own subject does not parse, at the line it was written', async () => {
    const flow = 'marketing/brands/pinecone/flows/nudge.yaml';
    await mkdir(join(work, 'marketing/brands/pinecone/flows'));
    await writeFile(
      join(work, flow),
      [
        'name: Nudge',
        'trigger: { list: newsletter }',
        'steps:',
        '  - id: nudge',
        '    email:',
        '      template: cart',
        '      subject: "Hi {% if first_name %}{{ first_name }}"',
        '',
      ].join('\n'),
    );
    const outcome = await runCli(['render', '--out', 'previews'], context());
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(
      'pinecone/nudge/nudge  FAILED: a Klaviyo tag in the step does not parse',
    );
    expect(outcome.stdout).toMatch(new RegExp(`${flow}:7:16: error klaviyo-syntax`));
  });
});
