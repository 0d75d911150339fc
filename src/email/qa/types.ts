/** The shapes shared by the email QA rules. */
import type { AssembledSourceMap } from '../assemble/source-map.js';
import type { ClientSupport, Diagnostic, Severity, SourcePosition } from '../diagnostic.js';
import type { PreviewSample } from '../preview/context.js';
import type { HtmlElement } from './html-scan.js';

export type RuleSeverity = 'off' | 'warning' | 'error';

export type QaRuleId =
  | 'size-budget'
  | 'unsubscribe-required'
  | 'postal-address-required'
  | 'img-alt'
  | 'html-lang'
  | 'link-https'
  | 'no-script'
  | 'no-form'
  | 'subject-length'
  | 'preview-text-length'
  | 'html-validate'
  | 'caniemail'
  | 'klaviyo-syntax'
  | 'unresolved-variable';

/** The parts of brand.yaml the checks read. */
export interface EmailBrand {
  name?: string;
  postal_address?: string;
  website?: string;
  locale?: string;
  email_clients?: string[];
}

/** Budgets from `qa:` in the root config (and brand). */
export interface QaBudgets {
  size_warning_kb?: number;
  size_error_kb?: number;
  subject_max?: number;
  preview_text_max?: number;
}

/** A part of the email a check reads, with where its characters came from. */
export interface EmailPart {
  /** Display path findings in this part are reported at when no map is given. */
  file: string;
  content: string;
  /** Lines above `content` in `file` (front matter), when there is no source map. */
  lineOffset?: number;
  /** Maps an offset in `content` to its source position (the assembly's source map). */
  sourceMap?: Pick<AssembledSourceMap, 'locate'>;
}

export interface CheckEmailInput {
  /** Display path of the template's HTML file: where findings without a position go (line 1). */
  templateFile: string;
  /** The assembled HTML (Klaviyo tags intact): a string reported at `templateFile`, or a part with its map. */
  html: string | EmailPart;
  /** The plain-text part: the `.txt` file assembled, or the text generated from the HTML. */
  text?: string | EmailPart;
  frontMatter: { subject?: unknown; preview_text?: unknown; transactional?: unknown; [key: string]: unknown };
  /** Where front matter keys are written, for subject and preview text findings. */
  frontMatterPositions?: Partial<
    Record<'subject' | 'preview_text' | 'transactional', { line: number; col: number }>
  >;
  brand: EmailBrand;
  /** The template's key is listed in `transactional_templates`. */
  transactionalAllowed: boolean;
  /** Rule id -> severity, the brand's laid over the root's. Unknown ids are ignored. */
  severities?: Readonly<Record<string, RuleSeverity>>;
  budgets?: QaBudgets;
  /** caniemail client ids or globs; default the brand's `email_clients`, else a common set. */
  emailClients?: string[];
  /** The sample named by the front matter, for the unresolved-variable rule. */
  sample?: PreviewSample;
}

export interface Finding {
  at: SourcePosition;
  message: string;
  fix?: string;
  /** A finding milder than the rule's severity (the size warning threshold, a Klaviyo syntax warning). */
  severity?: Severity;
  /** The client-support rule's feature and clients, kept on the diagnostic. */
  clientSupport?: ClientSupport;
}

/** The input with both parts as EmailPart. */
export type NormalisedInput = Omit<CheckEmailInput, 'html' | 'text'> & { html: EmailPart; text?: EmailPart };

export interface QaContext {
  input: NormalisedInput;
  /** Position of the template file's first line, for findings about the whole email. */
  fileStart: SourcePosition;
  locateHtml(offset: number): SourcePosition;
  locateText(offset: number): SourcePosition;
  /** The email is transactional and allowed to be. */
  transactional: boolean;
  /** The HTML's elements, parsed once. */
  elements(): HtmlElement[];
}

export interface QaRule {
  id: QaRuleId;
  defaultSeverity: 'warning' | 'error';
  /** One line for documentation and `--list-rules`. */
  description: string;
  /** Runs a third-party checker over the whole document, whose time grows faster than the document's size:
   * skipped above {@link DEEP_CHECK_MAX_BYTES}. */
  wholeDocument?: true;
  check(context: QaContext): Finding[];
}

/**
 * The largest HTML the whole-document checkers run on. Above Gmail's clipping size an email is already an error
 * (size-budget); html-validate's element-walking rules grow faster than linearly (a 256 KB document of empty
 * elements took minutes), so a hostile template must not get to run them.
 */
export const DEEP_CHECK_MAX_BYTES = 128 * 1024;

export type { Diagnostic };
