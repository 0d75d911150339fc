/**
 * Writes the previews: `<out>/<brand>/<key>.html` and `.txt`, optionally `.desktop.png` and `.mobile.png`,
 * then `manifest.json` and the gallery `index.html`. Files a previous run listed in its manifest but this run
 * does not produce are removed, so a deleted template leaves no stale preview; nothing else is touched.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { sortDiagnostics, type Diagnostic } from '../project/diagnostics.js';
import { buildGallery } from '../views/previews/gallery.js';
import {
  emailId,
  PREVIEW_WIDTHS,
  summarize,
  type PreviewEntry,
  type PreviewManifest,
  type PreviewWidth,
  type RenderedPreview,
  type ViewportMeasure,
} from './manifest.js';
import type { ProjectPreviews } from './render-project.js';
import type { ScreenshotTarget } from './screenshots.js';

export const MANIFEST_FILE = 'manifest.json';
export const GALLERY_FILE = 'index.html';

/** What takes the pictures (PreviewBrowser, or a stand-in in tests). */
export interface Screenshotter {
  capture(html: string, targets: readonly ScreenshotTarget[]): Promise<ViewportMeasure[]>;
}

export interface WriteOptions {
  /** Absolute output directory. */
  outDir: string;
  screenshotter?: Screenshotter;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface WrittenPreviews {
  manifest: PreviewManifest;
  /** Emails whose screenshots could not be taken (each also has a finding). */
  screenshotFailures: number;
}

export async function writePreviews(
  previews: ProjectPreviews,
  options: WriteOptions,
): Promise<WrittenPreviews> {
  const { outDir } = options;
  const emails: PreviewEntry[] = previews.manifest.emails.map((e) => ({ ...e, files: { ...e.files } }));
  let screenshotFailures = 0;
  for (const email of emails) {
    options.signal?.throwIfAborted();
    const document = previews.documents.get(emailId(email));
    if (email.status !== 'rendered' || !document) continue;
    await writeText(join(outDir, email.files.html!), document.html);
    await writeText(join(outDir, email.files.text!), document.text);
    if (!options.screenshotter) continue;
    options.progress?.(`screenshot ${emailId(email)}`);
    const failure = await takeScreenshots(options.screenshotter, email, document.html, outDir);
    if (failure) {
      screenshotFailures += 1;
      email.findings = sortDiagnostics([...email.findings, failure]);
    }
  }
  const manifest: PreviewManifest = {
    ...previews.manifest,
    emails,
    summary: summarize(emails, previews.manifest.flows),
  };
  await removeStaleFiles(outDir, manifest);
  await writeText(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeText(join(outDir, GALLERY_FILE), buildGallery(manifest, previews.documents));
  return { manifest, screenshotFailures };
}

/** Takes both pictures; returns a finding when they could not be taken. */
async function takeScreenshots(
  screenshotter: Screenshotter,
  email: RenderedPreview,
  html: string,
  outDir: string,
): Promise<Diagnostic | undefined> {
  const widths = ['desktop', 'mobile'] as const;
  const files = widths.map((width) => `${email.brand}/${email.key}.${width}.png`);
  const measures: Partial<Record<PreviewWidth, ViewportMeasure>> = {};
  try {
    await mkdir(join(outDir, email.brand), { recursive: true });
    const taken = await screenshotter.capture(
      html,
      widths.map((width, i) => ({ width: PREVIEW_WIDTHS[width], path: join(outDir, files[i]!) })),
    );
    for (const [i, width] of widths.entries()) {
      const measure = taken[i];
      if (measure) measures[width] = measure;
    }
    email.files.desktopPng = files[0];
    email.files.mobilePng = files[1];
    email.measures = measures;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return at(email, 'render-screenshot', 'error', `the screenshot failed: ${message}`);
  }
  const overflow = Object.values(measures)
    .filter((m) => m.scrollWidth > m.width)
    .map((m) =>
      at(
        email,
        'render-overflow',
        'warning',
        `at ${m.width} px the email is ${m.scrollWidth} px wide and scrolls sideways${
          m.wideElements?.length ? `: ${m.wideElements.join('; ')}` : ''
        }`,
        'give wide elements a max-width of 100% or stack them on small screens',
      ),
    );
  email.findings = sortDiagnostics([...email.findings, ...overflow]);
  return undefined;
}

function at(
  email: PreviewEntry,
  rule: string,
  severity: Diagnostic['severity'],
  message: string,
  fix?: string,
): Diagnostic {
  const d: Diagnostic = { file: email.source, line: 1, col: 1, rule, severity, message };
  if (fix !== undefined) d.fix = fix;
  return d;
}

async function removeStaleFiles(outDir: string, next: PreviewManifest): Promise<void> {
  let previous: unknown;
  try {
    previous = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8'));
  } catch {
    return;
  }
  const keep = new Set(next.emails.flatMap((e) => Object.values(e.files)));
  const emails = (previous as { emails?: unknown }).emails;
  if (!Array.isArray(emails)) return;
  for (const email of emails) {
    const files = (email as { files?: unknown })?.files;
    if (!files || typeof files !== 'object') continue;
    for (const file of Object.values(files)) {
      // Only paths this command writes (`<brand>/<key>.<ext>`), so a doctored manifest cannot delete elsewhere.
      if (
        typeof file === 'string' &&
        !keep.has(file) &&
        /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*\.[a-z.]+$/.test(file)
      ) {
        await rm(join(outDir, file), { force: true });
      }
    }
  }
}

/** Atomic, so an interrupted render leaves each preview, the manifest and the gallery whole (old or new). */
function writeText(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, text);
}
