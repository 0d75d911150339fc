/**
 * The gallery of the example content, opened in headless Chromium: every email frame shows a rendered email
 * and nothing in the 375 px frames is wider than a phone. Skipped, saying why, when no Chromium is installed
 * (CI installs one with apt-get).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core/lib/cjs/puppeteer/puppeteer-core.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../../src/commands/command.js';
import { runRender } from '../../../src/commands/render.js';
import { PREVIEW_WIDTHS, type PreviewManifest } from '../../../src/previews/manifest.js';
import { launchChromium, type ChromiumSession } from '../../../src/previews/chromium.js';
import { BrowserNotFoundError, findBrowser, isOfflineUrl } from '../../../src/previews/screenshots.js';
import { runAsCli } from '../../../src/commands/cli-outcome.js';
import type { CommandResult } from '../../../src/commands/results.js';

/** The command's result as the CLI shows it. */
const cli = (run: Promise<CommandResult>) => runAsCli(run, {}, { env: {} });

const repo = resolve(import.meta.dirname, '..', '..', '..');

function locateBrowser(): { path?: string; reason?: string } {
  try {
    return { path: findBrowser(process.env) };
  } catch (error) {
    if (error instanceof BrowserNotFoundError) return { reason: error.message };
    throw error;
  }
}

const chromium = locateBrowser();
if (!chromium.path) console.warn(`skipping the gallery browser test: ${chromium.reason}`);

interface FrameReport {
  email: string;
  width: number;
  bodyText: number;
  leftoverBrackets: boolean;
  rawKlaviyoTags: string[];
  scrollWidth: number;
  tooWide: string[];
}

/** Runs in the gallery page: looks inside every email frame (same origin, thanks to allow-same-origin). */
const INSPECT_FRAMES = `(() => Array.from(document.querySelectorAll('iframe[data-email]')).map((frame) => {
  const doc = frame.contentDocument;
  const width = Number(frame.getAttribute('data-width'));
  const text = doc && doc.body ? doc.body.innerText : '';
  const tooWide = [];
  if (doc && doc.body) {
    for (const el of doc.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && box.right > width + 0.5) {
        tooWide.push('<' + el.tagName.toLowerCase() + ' class="' + (el.getAttribute('class') || '') + '"> right edge ' + box.right);
      }
    }
  }
  return {
    email: frame.getAttribute('data-email'),
    width,
    bodyText: text.trim().length,
    leftoverBrackets: doc ? doc.documentElement.outerHTML.includes('[[') : true,
    rawKlaviyoTags: (text.match(/\\{\\{ |\\{%/g) || []),
    scrollWidth: doc ? doc.documentElement.scrollWidth : -1,
    tooWide: tooWide.slice(0, 5),
  };
}))()`;

describe.skipIf(!chromium.path)('the preview gallery in headless Chromium', () => {
  let out: string;
  let outcome: CommandOutcome;
  let manifest: PreviewManifest;
  let chrome: ChromiumSession;
  let page: Page;
  let frames: FrameReport[];
  const blocked: string[] = [];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kg-gallery-'));
    outcome = await cli(
      runRender(
        { dir: 'marketing', out, screenshots: true },
        { cwd: repo, env: { CHROME_PATH: chromium.path }, progress: () => {} },
      ),
    );
    manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as PreviewManifest;
    chrome = await launchChromium(chromium.path!);
    page = await chrome.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (isOfflineUrl(request.url())) void request.continue();
      else {
        blocked.push(request.url());
        void request.abort('blockedbyclient');
      }
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load', timeout: 60_000 });
    frames = (await page.evaluate(INSPECT_FRAMES)) as FrameReport[];
  }, 300_000);

  afterAll(async () => {
    await chrome?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('renders every example template', () => {
    const failed = manifest.emails.filter((e) => e.status === 'failed').map((e) => `${e.brand}/${e.key}`);
    expect(failed).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(manifest.emails.length).toBeGreaterThanOrEqual(20);
  });

  it('shows each email twice, at desktop and mobile width', () => {
    const expected = manifest.emails
      .filter((e) => e.status === 'rendered')
      .flatMap((e) => [
        `${e.brand}/${e.key}@${PREVIEW_WIDTHS.desktop}`,
        `${e.brand}/${e.key}@${PREVIEW_WIDTHS.mobile}`,
      ]);
    expect(frames.map((f) => `${f.email}@${f.width}`).sort()).toEqual(expected.sort());
  });

  it('fills every frame with a rendered email: text, no [[ ]] left, no raw Klaviyo tags', () => {
    const broken = frames.filter(
      (f) => f.bodyText === 0 || f.leftoverBrackets || f.rawKlaviyoTags.length > 0,
    );
    expect(broken).toEqual([]);
  });

  it('keeps every email inside a 375 px phone screen', () => {
    const mobile = frames.filter((f) => f.width === 375);
    expect(mobile.length).toBe(manifest.summary.rendered);
    const overflowing = mobile.filter((f) => f.scrollWidth > 375 || f.tooWide.length > 0);
    expect(overflowing).toEqual([]);
  });

  it('asks nothing of the network but the emails’ own remote images', () => {
    // The gallery itself is self-contained; what was blocked came from inside the emails.
    expect(blocked.every((url) => /^https:\/\/(trailhead|emberwick)\.example\//.test(url))).toBe(true);
  });

  it('writes a desktop and a mobile PNG of every email, as wide as their screens', async () => {
    for (const email of manifest.emails.filter((e) => e.status === 'rendered')) {
      for (const [file, width] of [
        [email.files.desktopPng, PREVIEW_WIDTHS.desktop],
        [email.files.mobilePng, PREVIEW_WIDTHS.mobile],
      ] as const) {
        expect(file, `${email.brand}/${email.key}`).toBeDefined();
        const png = await readFile(join(out, file!));
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(png.readUInt32BE(16)).toBe(width);
        expect(png.readUInt32BE(20)).toBeGreaterThan(400);
      }
    }
  });

  it('reports no email as scrolling sideways when the browser measured it', () => {
    const overflow = manifest.emails.flatMap((e) => e.findings.filter((f) => f.rule === 'render-overflow'));
    expect(overflow).toEqual([]);
  });
});
