import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarize, type PreviewEntry, type ViewportMeasure } from '../../src/previews/manifest.js';
import { writePreviews, type Screenshotter } from '../../src/previews/output.js';
import type { ProjectPreviews } from '../../src/previews/render-project.js';
import type { ScreenshotTarget } from '../../src/previews/screenshots.js';

let out: string;

beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'kg-previews-'));
});

afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

function previews(...emails: PreviewEntry[]): ProjectPreviews {
  const documents = new Map(
    emails
      .filter((e) => e.status === 'rendered')
      .map((e) => [`${e.brand}/${e.key}`, { html: `<p>${e.key}</p>`, text: e.key }]),
  );
  return {
    manifest: { version: 1, dir: 'marketing', emails, flows: [], summary: summarize(emails) },
    documents,
    otherFindings: [],
  };
}

function email(key: string): PreviewEntry {
  return {
    brand: 'pinecone',
    brandName: 'Pinecone',
    key,
    name: key,
    source: `marketing/brands/pinecone/templates/${key}.html`,
    status: 'rendered',
    files: { html: `pinecone/${key}.html`, text: `pinecone/${key}.txt` },
    subject: key,
    previewText: '',
    sizeBytes: 10,
    findings: [],
  };
}

/** Records what it was asked to shoot; `wide` emails measure 420 px at any width under 420. */
class FakeScreenshotter implements Screenshotter {
  readonly shots: Array<{ html: string; width: number; path: string }> = [];
  constructor(private readonly failOn?: string) {}
  async capture(html: string, targets: readonly ScreenshotTarget[]): Promise<ViewportMeasure[]> {
    if (this.failOn && html.includes(this.failOn))
      throw new Error('Navigation timeout of 30000 ms exceeded\n  at ...');
    const wide = html.includes('wide');
    return targets.map(({ width, path }) => {
      this.shots.push({ html, width, path });
      return {
        width,
        height: 900,
        scrollWidth: wide ? Math.max(width, 420) : width,
        ...(wide ? { wideElements: ['<table class="hero"> ends at 420 px'] } : {}),
      };
    });
  }
}

describe('writePreviews with screenshots', () => {
  it('shoots every rendered email at 700 and 375 px and records the PNGs and measures', async () => {
    const camera = new FakeScreenshotter();
    const { manifest, screenshotFailures } = await writePreviews(previews(email('welcome')), {
      outDir: out,
      screenshotter: camera,
    });
    expect(screenshotFailures).toBe(0);
    expect(camera.shots.map((s) => [s.width, s.path])).toEqual([
      [700, join(out, 'pinecone/welcome.desktop.png')],
      [375, join(out, 'pinecone/welcome.mobile.png')],
    ]);
    expect(camera.shots[0]!.html).toBe('<p>welcome</p>');
    const entry = manifest.emails[0]!;
    expect(entry.files).toEqual({
      html: 'pinecone/welcome.html',
      text: 'pinecone/welcome.txt',
      desktopPng: 'pinecone/welcome.desktop.png',
      mobilePng: 'pinecone/welcome.mobile.png',
    });
    expect(entry.status === 'rendered' && entry.measures?.mobile).toEqual({
      width: 375,
      height: 900,
      scrollWidth: 375,
    });
    const onDisk = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
  });

  it('reports an email that scrolls sideways on a phone as a warning on its template', async () => {
    const { manifest } = await writePreviews(previews(email('wide')), {
      outDir: out,
      screenshotter: new FakeScreenshotter(),
    });
    expect(manifest.emails[0]!.findings).toEqual([
      {
        file: 'marketing/brands/pinecone/templates/wide.html',
        line: 1,
        col: 1,
        rule: 'render-overflow',
        severity: 'warning',
        message:
          'at 375 px the email is 420 px wide and scrolls sideways: <table class="hero"> ends at 420 px',
        fix: 'give wide elements a max-width of 100% or stack them on small screens',
      },
    ]);
    expect(manifest.summary.warnings).toBe(1);
  });

  it('keeps going when one screenshot fails, and counts the failure', async () => {
    const { manifest, screenshotFailures } = await writePreviews(previews(email('stuck'), email('fine')), {
      outDir: out,
      screenshotter: new FakeScreenshotter('stuck'),
    });
    expect(screenshotFailures).toBe(1);
    const [stuck, fine] = manifest.emails;
    expect(stuck!.findings[0]).toMatchObject({
      rule: 'render-screenshot',
      severity: 'error',
      message: 'the screenshot failed: Navigation timeout of 30000 ms exceeded',
    });
    expect(stuck!.files.desktopPng).toBeUndefined();
    expect(fine!.files.mobilePng).toBe('pinecone/fine.mobile.png');
  });

  it('writes no PNG paths without a screenshotter', async () => {
    const { manifest } = await writePreviews(previews(email('welcome')), { outDir: out });
    expect(manifest.emails[0]!.files).toEqual({
      html: 'pinecone/welcome.html',
      text: 'pinecone/welcome.txt',
    });
    await expect(stat(join(out, 'pinecone/welcome.desktop.png'))).rejects.toThrow();
  });
});
