/** html-validate with a rule set for table-based email HTML. caniemail's client support is client-support.ts. */
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { lex } from '../klaviyo-language/lexer.js';
import type { Finding, QaRule } from './types.js';

/**
 * html-validate's recommended rules, minus what email HTML needs: inline styles, legacy presentational
 * attributes (bgcolor, align, width), <center> and <font>, conditional comments, XHTML doctypes, VML.
 * Image alt text has its own rule (img-alt).
 */
export const EMAIL_HTML_VALIDATE_CONFIG: ConfigData = {
  root: true,
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'off',
    'no-conditional-comment': 'off',
    'no-deprecated-attr': 'off',
    deprecated: 'off',
    'prefer-tbody': 'off',
    'element-permitted-content': 'off',
    'element-permitted-parent': 'off',
    'attribute-allowed-values': 'off',
    'doctype-html': 'off',
    'doctype-style': 'off',
    'void-style': 'off',
    'attribute-boolean-style': 'off',
    'attr-quotes': 'off',
    'no-trailing-whitespace': 'off',
    'no-unknown-elements': 'off',
    'element-name': 'off',
    'heading-level': 'off',
    'wcag/h37': 'off',
    'wcag/h63': 'off',
    'no-redundant-role': 'off',
  },
};

let validator: HtmlValidate | undefined;

/** Klaviyo tags blanked out at the same length, so offsets still match the source. */
function withoutKlaviyoTags(html: string): string {
  let out = '';
  let from = 0;
  for (const token of lex(html).tokens) {
    if (token.type === 'text') continue;
    out += html.slice(from, token.start);
    const tag = html.slice(token.start, token.end);
    // A variable stands for some text (non-empty in an attribute); a block tag for nothing.
    out += token.type === 'variable' ? tag.replace(/[^\n]/g, 'x') : tag.replace(/[^\n]/g, ' ');
    from = token.end;
  }
  return out + html.slice(from);
}

export const htmlValidate: QaRule = {
  id: 'html-validate',
  defaultSeverity: 'warning',
  description: 'The HTML is well-formed (html-validate, with an email rule set).',
  wholeDocument: true,
  check(context) {
    validator ??= new HtmlValidate(new StaticConfigLoader(EMAIL_HTML_VALIDATE_CONFIG));
    const report = validator.validateStringSync(withoutKlaviyoTags(context.input.html.content), 'email.html');
    const findings: Finding[] = [];
    for (const result of report.results) {
      for (const message of result.messages) {
        // <html lang> has its own rule (html-lang), with its own severity.
        if (message.ruleId === 'element-required-attributes' && message.message.startsWith('<html>'))
          continue;
        findings.push({
          at: context.locateHtml(message.offset),
          message: `${message.message} (html-validate ${message.ruleId})`,
          fix: `see https://html-validate.org/rules/${message.ruleId}.html`,
        });
      }
    }
    return findings;
  },
};
