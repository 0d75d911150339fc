/**
 * Runs the email QA rules over one assembled template and returns diagnostics at file:line:col. Each rule has a
 * default severity a brand can change (`rules: { link-https: warning }`) or turn off.
 */
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostic.js';
import { lineLocator } from '../klaviyo-language/parser.js';
import { postalAddressRequired, unsubscribeRequired } from './compliance-rules.js';
import { previewTextLength, sizeBudget, subjectLength } from './budget-rules.js';
import { scanElements, type HtmlElement } from './html-scan.js';
import { klaviyoSyntax, unresolvedVariable } from './klaviyo-rules.js';
import { htmlLang, imgAlt, linkHttps, noForm, noScript } from './markup-rules.js';
import {
  DEEP_CHECK_MAX_BYTES,
  type CheckEmailInput,
  type EmailPart,
  type NormalisedInput,
  type QaContext,
  type QaRule,
  type QaRuleId,
  type RuleSeverity,
} from './types.js';
import { caniemailSupport } from './client-support.js';
import { htmlValidate } from './validator-rules.js';

/**
 * The version of the rules' behaviour. Cached QA results are keyed on it: bump it whenever a rule may report
 * differently for the same input (a new rule, a changed message, position or severity).
 */
export const QA_RULES_VERSION = 4;

export const QA_RULES: readonly QaRule[] = [
  sizeBudget,
  unsubscribeRequired,
  postalAddressRequired,
  imgAlt,
  htmlLang,
  linkHttps,
  noScript,
  noForm,
  subjectLength,
  previewTextLength,
  htmlValidate,
  caniemailSupport,
  klaviyoSyntax,
  unresolvedVariable,
];

export const QA_RULE_IDS: readonly QaRuleId[] = QA_RULES.map((r) => r.id);

function partLocator(part: EmailPart): (offset: number) => SourcePosition {
  if (part.sourceMap) {
    const map = part.sourceMap;
    return (offset) => map.locate(offset);
  }
  return lineLocator(part.content, part.file, part.lineOffset ?? 0);
}

/** The severity a rule runs at for this brand. */
export function ruleSeverity(rule: QaRule, severities: CheckEmailInput['severities']): RuleSeverity {
  const configured = severities?.[rule.id];
  return configured === 'off' || configured === 'warning' || configured === 'error'
    ? configured
    : rule.defaultSeverity;
}

export function checkEmail(raw: CheckEmailInput): Diagnostic[] {
  const html: EmailPart =
    typeof raw.html === 'string' ? { file: raw.templateFile, content: raw.html } : raw.html;
  const { text, ...rest } = raw;
  const input: NormalisedInput = { ...rest, html };
  if (typeof text === 'string') input.text = { file: raw.templateFile, content: text };
  else if (text) input.text = text;
  let elements: HtmlElement[] | undefined;
  const context: QaContext = {
    input,
    fileStart: { file: input.templateFile, line: 1, col: 1 },
    locateHtml: partLocator(html),
    locateText: input.text ? partLocator(input.text) : () => ({ file: input.templateFile, line: 1, col: 1 }),
    transactional: input.frontMatter.transactional === true && input.transactionalAllowed,
    elements: () => (elements ??= scanElements(html.content)),
  };
  const out: Diagnostic[] = [];
  const bytes = Buffer.byteLength(html.content, 'utf8');
  for (const rule of QA_RULES) {
    const severity = ruleSeverity(rule, input.severities);
    if (severity === 'off') continue;
    if (rule.wholeDocument && bytes > DEEP_CHECK_MAX_BYTES) {
      out.push(
        diagnostic(
          context.fileStart,
          rule.id,
          'warning',
          `not checked: the HTML is ${(bytes / 1024).toFixed(0)} KB, over the ${DEEP_CHECK_MAX_BYTES / 1024} KB this check runs on`,
          'bring the email under the size budget; the check runs again then',
        ),
      );
      continue;
    }
    for (const finding of rule.check(context)) {
      const level = severity === 'warning' || finding.severity === 'warning' ? 'warning' : 'error';
      const d = diagnostic(finding.at, rule.id, level, finding.message, finding.fix);
      if (finding.clientSupport) d.clientSupport = finding.clientSupport;
      out.push(d);
    }
  }
  return out;
}
