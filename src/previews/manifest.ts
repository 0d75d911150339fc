/**
 * What `render` produced, as data: one entry per template, rendered or failed. `manifest.json` is this object;
 * the gallery page and the command's summary are renderings of it.
 */
import type { Diagnostic } from '../project/diagnostics.js';

export const MANIFEST_VERSION = 1;

/**
 * The two screen widths every email is previewed at. Desktop clients show a 600 px email in a wider reading
 * pane: at a 600 px screen the usual `@media (max-width: 620px)` breakpoint would switch to the phone layout,
 * so the desktop preview is 700 px wide. Mobile is an iPhone's 375 px.
 */
export const PREVIEW_WIDTHS = { desktop: 700, mobile: 375 } as const;
export type PreviewWidth = keyof typeof PREVIEW_WIDTHS;

/** Paths relative to the output directory, with forward slashes. */
export interface PreviewFiles {
  html?: string;
  text?: string;
  desktopPng?: string;
  mobilePng?: string;
}

/** What the browser measured at one width (only with `--screenshots`). */
export interface ViewportMeasure {
  width: number;
  /** Full height of the document at this width, in CSS pixels. */
  height: number;
  /** `document.documentElement.scrollWidth`: more than `width` means the email scrolls sideways. */
  scrollWidth: number;
  /** A few elements whose right edge lies past `width`, described for a person. */
  wideElements?: string[];
}

interface PreviewEntryBase {
  brand: string;
  /** The brand's display name from brand.yaml (the key when brand.yaml is broken). */
  brandName: string;
  key: string;
  /** The template's display name (front matter `name`, else the key). */
  name: string;
  /** Display path of the template file. */
  source: string;
  files: PreviewFiles;
  /** QA, build and render findings for this email, sorted by file, line, column. */
  findings: Diagnostic[];
}

export interface RenderedPreview extends PreviewEntryBase {
  status: 'rendered';
  /** Subject and preview text as rendered with the sample data. */
  subject: string;
  previewText: string;
  /** Bytes of the rendered HTML (UTF-8): what counts towards Gmail's clipping limit. */
  sizeBytes: number;
  /** The sample the preview was rendered with, if any. */
  sample?: string;
  measures?: Partial<Record<PreviewWidth, ViewportMeasure>>;
}

export interface FailedPreview extends PreviewEntryBase {
  status: 'failed';
  /** One line saying why there is no preview; the details are in `findings`. */
  reason: string;
}

export type PreviewEntry = RenderedPreview | FailedPreview;

export interface PreviewSummary {
  emails: number;
  rendered: number;
  failed: number;
  errors: number;
  warnings: number;
}

export interface PreviewManifest {
  version: typeof MANIFEST_VERSION;
  /** Display path of the marketing directory the previews were made from. */
  dir: string;
  emails: PreviewEntry[];
  summary: PreviewSummary;
}

export function summarize(emails: readonly PreviewEntry[]): PreviewSummary {
  let errors = 0;
  let warnings = 0;
  for (const email of emails) {
    for (const finding of email.findings) {
      if (finding.severity === 'error') errors += 1;
      else warnings += 1;
    }
  }
  const failed = emails.filter((e) => e.status === 'failed').length;
  return { emails: emails.length, rendered: emails.length - failed, failed, errors, warnings };
}

/** `trailhead/welcome-1`: how an email is named in messages and file paths. */
export function emailId(entry: { brand: string; key: string }): string {
  return `${entry.brand}/${entry.key}`;
}
