/**
 * `klaviyo-gitops render`: every template rendered with its sample data into `<out>/<brand>/<key>.html` and
 * `.txt`, with `manifest.json` and a gallery `index.html` showing each email at desktop and mobile width;
 * `--screenshots` adds PNGs at both widths. A template that fails to assemble or render is in the result (the
 * gallery is still written for the rest); no browser for screenshots is an error.
 */
import { resolve } from 'node:path';
import { GALLERY_FILE, writePreviews } from '../previews/output.js';
import { renderProject } from '../previews/render-project.js';
import { findBrowser, PreviewBrowser } from '../previews/screenshots.js';
import type { CommandContext } from './command.js';
import { emailQaCacheFor } from './email-qa-store.js';
import { repositoryPaths } from './repository-root.js';
import type { RenderResult } from './results.js';

export interface RenderOptions {
  dir: string;
  brand?: string | undefined;
  /** Output directory, relative to the working directory; default output/previews at the repository root. */
  out: string;
  screenshots: boolean;
}

export const DEFAULT_PREVIEW_DIR = 'output/previews';

export async function runRender(options: RenderOptions, ctx: CommandContext): Promise<RenderResult> {
  // Before any rendering: a missing browser is known at once.
  const browserPath = options.screenshots ? findBrowser(ctx.env) : undefined;
  const paths = repositoryPaths(ctx.cwd, options.dir);
  const previews = await renderProject({
    cwd: ctx.cwd,
    dir: options.dir,
    brand: options.brand,
    emailQaCache: emailQaCacheFor(paths, ctx.progress),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });

  const outDir = paths.fileOption(options.out, DEFAULT_PREVIEW_DIR);
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
  return {
    command: 'render',
    manifest: written.manifest,
    outDir,
    gallery,
    galleryShown: paths.show(gallery),
    screenshotFailures: written.screenshotFailures,
    otherFindings: previews.otherFindings.length,
  };
}
