/**
 * `klaviyo-gitops render`: every template rendered with its sample data into `<out>/<brand>/<key>.html` and
 * `.txt`, with `manifest.json` and a gallery `index.html` showing each email at desktop and mobile width;
 * `--screenshots` adds PNGs at both widths. A template that fails to assemble or render is in the result (the
 * gallery is still written for the rest); no browser for screenshots is an error.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { GALLERY_FILE, writePreviews } from '../previews/output.js';
import { renderProject } from '../previews/render-project.js';
import { findBrowser, PreviewBrowser } from '../previews/screenshots.js';
import type { CommandContext } from './command.js';
import { emailQaCacheFor } from './email-qa-store.js';
import type { RenderResult } from './results.js';

export interface RenderOptions {
  dir: string;
  brand?: string | undefined;
  /** Output directory, relative to the working directory. */
  out: string;
  screenshots: boolean;
}

export const DEFAULT_PREVIEW_DIR = 'output/previews';

export async function runRender(options: RenderOptions, ctx: CommandContext): Promise<RenderResult> {
  // Before any rendering: a missing browser is known at once.
  const browserPath = options.screenshots ? findBrowser(ctx.env) : undefined;
  const previews = await renderProject({
    cwd: ctx.cwd,
    dir: options.dir,
    brand: options.brand,
    emailQaCache: emailQaCacheFor(ctx.cwd, ctx.progress),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });

  const outDir = resolve(ctx.cwd, options.out);
  let browser: PreviewBrowser | undefined;
  let written;
  try {
    if (browserPath !== undefined) {
      ctx.progress(`starting ${browserPath} for screenshots`);
      browser = await PreviewBrowser.launch(browserPath);
    }
    written = await writePreviews(previews, {
      outDir,
      ...(browser ? { screenshotter: browser } : {}),
      progress: ctx.progress,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } finally {
    await browser?.close();
  }

  const gallery = resolve(outDir, GALLERY_FILE);
  const fromCwd = relative(ctx.cwd, gallery);
  return {
    command: 'render',
    manifest: written.manifest,
    outDir,
    gallery,
    galleryShown: fromCwd.startsWith('..') || isAbsolute(fromCwd) ? gallery : fromCwd,
    screenshotFailures: written.screenshotFailures,
    otherFindings: previews.otherFindings.length,
  };
}
