/**
 * `klaviyo-gitops render`: every template rendered with its sample data into `<out>/<brand>/<key>.html` and
 * `.txt`, with `manifest.json` and a gallery `index.html` showing each email at desktop and mobile width;
 * `--screenshots` adds PNGs at both widths. Exit 1 when a template fails to assemble or render (the gallery
 * is still written for the rest), 2 for usage errors, 0 otherwise.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { UnknownBrandError } from '../compile/index.js';
import { formatDiagnostic } from '../project/diagnostics.js';
import { ProjectNotFoundError } from '../project/loader.js';
import { formatKb } from '../views/previews/gallery.js';
import { emailId, type PreviewManifest } from '../previews/manifest.js';
import { GALLERY_FILE, writePreviews } from '../previews/output.js';
import { renderProject } from '../previews/render-project.js';
import { BrowserNotFoundError, findBrowser, PreviewBrowser } from '../previews/screenshots.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { emailQaCacheFor } from './email-qa-store.js';

export interface RenderOptions {
  dir: string;
  brand?: string;
  /** Output directory, relative to the working directory. */
  out: string;
  screenshots: boolean;
}

export const DEFAULT_PREVIEW_DIR = 'output/previews';

export async function runRender(options: RenderOptions, ctx: CommandContext): Promise<CommandOutcome> {
  let browserPath: string | undefined;
  if (options.screenshots) {
    try {
      browserPath = findBrowser(ctx.env);
    } catch (error) {
      if (error instanceof BrowserNotFoundError)
        return { exitCode: 1, stdout: '', stderr: `error: ${error.message}` };
      throw error;
    }
  }

  let previews;
  try {
    previews = await renderProject({
      cwd: ctx.cwd,
      dir: options.dir,
      brand: options.brand,
      emailQaCache: emailQaCacheFor(ctx.cwd, ctx.progress),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    if (error instanceof ProjectNotFoundError || error instanceof UnknownBrandError) {
      return { exitCode: 2, stdout: '', stderr: `error: ${error.message}` };
    }
    throw error;
  }

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
  } catch (error) {
    if (error instanceof BrowserNotFoundError)
      return { exitCode: 1, stdout: '', stderr: `error: ${error.message}` };
    throw error;
  } finally {
    await browser?.close();
  }

  const { manifest } = written;
  const galleryPath = resolve(outDir, GALLERY_FILE);
  const fromCwd = relative(ctx.cwd, galleryPath);
  const gallery = fromCwd.startsWith('..') || isAbsolute(fromCwd) ? galleryPath : fromCwd;
  const failed = manifest.summary.failed > 0 || written.screenshotFailures > 0;
  return {
    exitCode: failed ? 1 : 0,
    stdout: reportLines(manifest, gallery).join('\n'),
    ...(previews.otherFindings.length > 0
      ? {
          stderr: `note: ${previews.otherFindings.length} finding(s) outside templates; run \`klaviyo-gitops validate\` to see them`,
        }
      : {}),
  };
}

/** One line per email with its counts, the errors under it, then the totals and where the gallery is. */
export function reportLines(manifest: PreviewManifest, gallery: string): string[] {
  const width = Math.max(0, ...manifest.emails.map((e) => emailId(e).length));
  const lines: string[] = [];
  for (const email of manifest.emails) {
    const id = emailId(email).padEnd(width);
    const errors = email.findings.filter((f) => f.severity === 'error');
    const warnings = email.findings.length - errors.length;
    const counts = email.findings.length
      ? `  (${plural(errors.length, 'error')}, ${plural(warnings, 'warning')})`
      : '';
    lines.push(
      email.status === 'rendered'
        ? `${id}  ${formatKb(email.sizeBytes).padStart(9)}  ${email.subject}${counts}`
        : `${id}  FAILED: ${email.reason}${counts}`,
    );
    for (const finding of errors) lines.push(`  ${formatDiagnostic(finding)}`);
  }
  const { summary } = manifest;
  if (summary.warnings > 0) lines.push('Warnings are listed in the gallery and in manifest.json.');
  lines.push(
    `${plural(summary.rendered, 'email')} rendered, ${summary.failed} failed, ${plural(summary.errors, 'error')}, ` +
      `${plural(summary.warnings, 'warning')}: ${gallery}`,
  );
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
