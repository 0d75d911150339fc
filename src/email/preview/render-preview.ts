/**
 * Renders one email the way a recipient would see it: HTML, text part, subject and preview text through the
 * Klaviyo template language with a sample's data. The render command and the preview gallery build on this.
 */
import type { Diagnostic, SourcePosition } from '../diagnostic.js';
import {
  parseKlaviyoTemplate,
  renderKlaviyoTemplate,
  type RenderOptions,
  type RenderWarning,
} from '../klaviyo-language/index.js';
import { generateTextPart } from '../text-part.js';
import { buildPreviewContext, type PreviewBrand, type PreviewSample } from './context.js';

export interface PreviewInput {
  /** The assembled HTML. */
  html: string;
  /** The assembled `.txt` part; generated from the HTML when absent. */
  text?: string;
  subject: string;
  previewText?: string;
  sample?: PreviewSample;
  brand: PreviewBrand;
  /** Display path of the template, for warnings; and the assembly's map for exact positions. */
  file?: string;
  htmlSourceMap?: { locate(offset: number): SourcePosition };
  textFile?: string;
  textSourceMap?: { locate(offset: number): SourcePosition };
  /** The clock, link host, random seed and currency of the preview. */
  options?: Pick<RenderOptions, 'now' | 'linkBase' | 'seed' | 'currency' | 'locale'>;
}

export interface PreviewResult {
  html: string;
  text: string;
  subject: string;
  previewText: string;
  /** Data the sample lacks and other rendering notes. */
  warnings: RenderWarning[];
  /** Parse errors; a part that does not parse is returned as written. */
  diagnostics: Diagnostic[];
}

export function renderPreview(input: PreviewInput): PreviewResult {
  const file = input.file ?? 'template.html';
  const data = buildPreviewContext(input.sample, input.brand);
  const warnings: RenderWarning[] = [];
  const diagnostics: Diagnostic[] = [];
  const base: RenderOptions = {
    ...input.options,
    catalog: input.sample?.catalog ?? {},
    coupons: input.sample?.coupons ?? {},
  };
  if (input.sample) base.sampleName = input.sample.name;

  const part = (
    source: string,
    options: {
      file: string;
      locate?: (offset: number) => SourcePosition;
      html: boolean;
      label?: string;
      quiet?: boolean;
    },
  ): string => {
    const parseOptions = options.locate
      ? { file: options.file, locate: options.locate }
      : { file: options.file };
    const parsed = parseKlaviyoTemplate(source, parseOptions);
    const label = (message: string): string => (options.label ? `${options.label}: ${message}` : message);
    if (!options.quiet)
      diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, message: label(d.message) })));
    if (!parsed.ast) return source;
    const result = renderKlaviyoTemplate(parsed.ast, data, {
      ...base,
      autoescape: options.html,
      mode: options.html ? 'html' : 'text',
    });
    if (!options.quiet) warnings.push(...result.warnings.map((w) => ({ ...w, message: label(w.message) })));
    return result.output;
  };

  const htmlLocate = input.htmlSourceMap
    ? (offset: number) => input.htmlSourceMap!.locate(offset)
    : undefined;
  const html = part(input.html, { file, ...(htmlLocate ? { locate: htmlLocate } : {}), html: true });
  const textSource = input.text ?? generateTextPart(input.html);
  const textLocate =
    input.text !== undefined && input.textSourceMap
      ? (offset: number) => input.textSourceMap!.locate(offset)
      : undefined;
  const text = part(textSource, {
    file: input.text !== undefined ? (input.textFile ?? file) : file,
    ...(textLocate ? { locate: textLocate } : {}),
    html: false,
    label: 'text part',
    // Text generated from the HTML repeats the HTML's problems, already reported once.
    quiet: input.text === undefined,
  });
  const subject = part(input.subject, { file, html: false, label: 'subject' });
  const previewText =
    input.previewText === undefined
      ? ''
      : part(input.previewText, { file, html: false, label: 'preview text' });
  return { html, text, subject, previewText, warnings, diagnostics };
}

/**
 * Only the inbox line: a subject and preview text rendered with the same data and rules as `renderPreview`,
 * for a flow step that overrides its template's (the body is the template's, rendered once).
 */
export function renderInboxLine(
  input: Omit<PreviewInput, 'html' | 'text' | 'htmlSourceMap' | 'textFile' | 'textSourceMap'>,
): Pick<PreviewResult, 'subject' | 'previewText' | 'warnings' | 'diagnostics'> {
  const { subject, previewText, warnings, diagnostics } = renderPreview({ ...input, html: '', text: '' });
  return { subject, previewText, warnings, diagnostics };
}
