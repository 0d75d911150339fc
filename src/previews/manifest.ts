/**
 * What `render` produced, as data: one entry per template, rendered or failed. `manifest.json` is this object;
 * the gallery page and the command's summary are renderings of it.
 */
import type { Diagnostic } from '../project/diagnostics.js';
import type { FlowEmail, FlowEmailVariant } from './flow-emails.js';

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

/**
 * One variant of a flow email as the subscriber gets it. Its body is the template's preview (`preview`, an
 * `emailId`): compile sends the template's HTML unchanged whatever the step overrides, so it is rendered once
 * and referenced by every step that sends it.
 */
export type FlowVariantPreview = FlowEmailVariant & { preview: string } & (
    | {
        status: 'rendered';
        /** Subject and preview text as sent, rendered with the template's sample data. */
        subjectLine: string;
        previewLine: string;
      }
    | {
        status: 'failed';
        /** One line saying why; the details are the flow's findings or the template's. */
        reason: string;
      }
  );

export interface FlowEmailPreview extends Omit<FlowEmail, 'variants'> {
  variants: FlowVariantPreview[];
}

/** A flow's emails in step order: what its subscribers receive. */
export interface FlowPreview {
  brand: string;
  brandName: string;
  key: string;
  /** The flow's display name. */
  name: string;
  /** Display path of the flow file. */
  source: string;
  /** The blueprint the flow extends, if any. */
  blueprint?: string;
  status: 'draft' | 'manual' | 'live';
  emails: FlowEmailPreview[];
  /** Problems of the flow's own subject and preview text overrides (the templates' are on their entries). */
  findings: Diagnostic[];
}

export interface PreviewSummary {
  emails: number;
  rendered: number;
  failed: number;
  errors: number;
  warnings: number;
  flows: number;
  /** Email steps of all flows (an A/B test counts once). */
  flowEmails: number;
  /** Flow email variants that could not be previewed for a reason of their own (not their template's). */
  flowEmailsFailed: number;
}

export interface PreviewManifest {
  version: typeof MANIFEST_VERSION;
  /** Display path of the marketing directory the previews were made from. */
  dir: string;
  emails: PreviewEntry[];
  /** Every flow with at least one email step, by brand then key. */
  flows: FlowPreview[];
  summary: PreviewSummary;
}

export function summarize(
  emails: readonly PreviewEntry[],
  flows: readonly FlowPreview[] = [],
): PreviewSummary {
  let errors = 0;
  let warnings = 0;
  for (const finding of [...emails, ...flows].flatMap((e) => e.findings)) {
    if (finding.severity === 'error') errors += 1;
    else warnings += 1;
  }
  const failed = emails.filter((e) => e.status === 'failed').length;
  const variants = flows.flatMap((f) => f.emails.flatMap((e) => e.variants));
  return {
    emails: emails.length,
    rendered: emails.length - failed,
    failed,
    errors,
    warnings,
    flows: flows.length,
    flowEmails: flows.reduce((n, f) => n + f.emails.length, 0),
    flowEmailsFailed: variants.filter((v) => v.status === 'failed' && !isTemplateFailure(v, emails)).length,
  };
}

function isTemplateFailure(variant: FlowVariantPreview, emails: readonly PreviewEntry[]): boolean {
  return emails.some((e) => emailId(e) === variant.preview && e.status === 'failed');
}

/** `trailhead/welcome/welcome-1`: a flow email (brand, flow, step key), as named in anchors and messages. */
export function flowEmailId(flow: { brand: string; key: string }, email: { step: string }): string {
  return `${flow.brand}/${flow.key}/${email.step}`;
}

/** `trailhead/welcome-1`: how an email is named in messages and file paths. */
export function emailId(entry: { brand: string; key: string }): string {
  return `${entry.brand}/${entry.key}`;
}
