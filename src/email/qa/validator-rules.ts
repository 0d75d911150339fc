/**
 * Third-party checks with an email point of view: html-validate with a rule set for table-based email HTML, and
 * caniemail's support data for the brand's email clients.
 */
import { caniemail, type CanIEmailOptions } from 'caniemail';
import { HtmlValidate, StaticConfigLoader, type ConfigData } from 'html-validate';
import { lex } from '../klaviyo-language/lexer.js';
import type { Finding, QaContext, QaRule } from './types.js';

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

export const DEFAULT_EMAIL_CLIENTS = ['gmail.desktop-webmail', 'apple-mail.macos', 'outlook.windows'];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Where each <style> block's CSS starts in the HTML. */
function styleBlocks(html: string): Array<{ start: number; end: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  const open = /<style\b[^>]*>/gi;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const start = m.index + m[0].length;
    const close = html.toLowerCase().indexOf('</style', start);
    const end = close === -1 ? html.length : close;
    blocks.push({ start, end });
    open.lastIndex = end;
  }
  return blocks;
}

/**
 * caniemail places a CSS finding by line and column inside its <style> block, without saying which block:
 * take the first block where that position exists and the feature's text is found from there.
 */
function styleOffset(
  html: string,
  blocks: Array<{ start: number; end: number }>,
  line: number,
  column: number,
  title: string,
): number | undefined {
  for (const block of blocks) {
    const css = html.slice(block.start, block.end);
    const starts = lineStarts(css);
    const lineStart = starts[line - 1];
    if (lineStart === undefined) continue;
    const offset = lineStart + Math.max(0, column - 1);
    if (offset >= css.length) continue;
    const near = css.toLowerCase().indexOf(title.toLowerCase(), offset);
    if (near !== -1 && near - offset < 400) return block.start + near;
    if (blocks.length === 1 || !/^[a-z-]+$/i.test(title)) return block.start + offset;
  }
  const found = html.indexOf(title);
  return found === -1 ? undefined : found;
}

export const caniemailSupport: QaRule = {
  id: 'caniemail',
  defaultSeverity: 'warning',
  description: "HTML and CSS features the brand's email clients do not support (caniemail.com data).",
  wholeDocument: true,
  check(context: QaContext) {
    const clients = context.input.emailClients ?? context.input.brand.email_clients ?? DEFAULT_EMAIL_CLIENTS;
    const html = context.input.html.content;
    let result: ReturnType<typeof caniemail>;
    try {
      result = caniemail({ clients: clients as CanIEmailOptions['clients'], html });
    } catch (error) {
      return [
        {
          at: context.fileStart,
          message: `caniemail could not check this email: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'use client ids like gmail.desktop-webmail, apple-mail.ios, outlook.windows in email_clients',
        },
      ];
    }
    const starts = lineStarts(html);
    const styles = styleBlocks(html);
    const features = new Map<string, { clients: string[]; notes: string[]; offset: number | undefined }>();
    for (const [client, issues] of result.issues.errors) {
      for (const issue of issues) {
        let feature = features.get(issue.title);
        if (!feature) {
          let offset: number | undefined;
          const position = issue.position;
          if (position && position.source === undefined) {
            offset = (starts[position.start.line - 1] ?? 0) + Math.max(0, position.start.column - 1);
          } else if (position) {
            offset = styleOffset(html, styles, position.start.line, position.start.column, issue.title);
          } else {
            const found = html.indexOf(issue.title);
            offset = found === -1 ? undefined : found;
          }
          feature = { clients: [], notes: [], offset };
          features.set(issue.title, feature);
        }
        if (!feature.clients.includes(client)) feature.clients.push(client);
        for (const note of issue.notes) if (!feature.notes.includes(note)) feature.notes.push(note);
      }
    }
    return [...features].map(([title, feature]) => {
      const finding: Finding = {
        at: feature.offset === undefined ? context.fileStart : context.locateHtml(feature.offset),
        message: `\`${title}\` is not supported by ${feature.clients.join(', ')}`,
      };
      if (feature.notes.length > 0) finding.fix = feature.notes.join(' ').slice(0, 300);
      return finding;
    });
  },
};
