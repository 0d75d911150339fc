/**
 * caniemail's support data for the brand's email clients: one finding per feature the email uses that a client
 * does not support, at the first place it is used. Property features are checked against the declarations the
 * email really writes (css-declarations.ts): caniemail alone reports `transform` for `text-transform`.
 */
import { caniemail, rawData, type CanIEmailOptions } from 'caniemail';
import { cssDeclarations, type CssDeclaration } from './css-declarations.js';
import type { Finding, QaContext, QaRule } from './types.js';

export const DEFAULT_EMAIL_CLIENTS = ['gmail.desktop-webmail', 'apple-mail.macos', 'outlook.windows'];

/** The finding's message: the accepted-feature filter rewrites it when it removes some of the clients. */
export function clientSupportMessage(feature: string, clients: readonly string[]): string {
  return `\`${feature}\` is not supported by ${clients.join(', ')}`;
}

/** Every feature caniemail knows, by the title its findings name it with. */
export const CLIENT_FEATURES: ReadonlySet<string> = new Set(
  (rawData as { data: Array<{ title: string }> }).data.map((f) => f.title),
);

/**
 * caniemail's CSS property features and the exact property names each stands for, derived from the titles as
 * caniemail derives them (`font shorthand` -> font, `height property` -> height).
 */
const PROPERTY_FEATURES: ReadonlyMap<string, readonly string[]> = new Map(
  (rawData as { data: Array<{ title: string; category: string }> }).data.flatMap(
    ({ title, category }): Array<[string, string[]]> => {
      if (category !== 'css') return [];
      if (title === 'left, right, top, bottom') return [[title, ['left', 'right', 'top', 'bottom']]];
      const name = title
        .trim()
        .replace(/ shorthand$/, '')
        .replace(/ property$/, '');
      return /^[a-z-]+$/.test(name) ? [[title, [name]]] : [];
    },
  ),
);

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

/** What this rule reads of caniemail's issue (the type is not exported). */
interface CaniemailIssue {
  title: string;
  notes: string[];
  position?: { start: { line: number; column: number }; source?: string };
}

/** Where caniemail's issue is, by its own position (HTML line:col, or line:col inside a <style> block). */
function issueOffset(
  html: string,
  issue: CaniemailIssue,
  starts: number[],
  styles: ReturnType<typeof styleBlocks>,
): number | undefined {
  const position = issue.position;
  if (position && position.source === undefined)
    return (starts[position.start.line - 1] ?? 0) + Math.max(0, position.start.column - 1);
  if (position) return styleOffset(html, styles, position.start.line, position.start.column, issue.title);
  const found = html.indexOf(issue.title);
  return found === -1 ? undefined : found;
}

interface FeatureUse {
  clients: string[];
  notes: string[];
  offset: number | undefined;
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
    let declarations: CssDeclaration[] | undefined;
    const features = new Map<string, FeatureUse | null>();
    for (const [client, issues] of result.issues.errors) {
      for (const issue of issues) {
        let feature = features.get(issue.title);
        if (feature === undefined) {
          const properties = PROPERTY_FEATURES.get(issue.title);
          if (properties) {
            declarations ??= cssDeclarations(html);
            const used = declarations.find((d) => properties.includes(d.property));
            // No declaration names the property: caniemail matched it inside another name.
            feature = used ? { clients: [], notes: [], offset: used.offset } : null;
          } else {
            feature = { clients: [], notes: [], offset: issueOffset(html, issue, starts, styles) };
          }
          features.set(issue.title, feature);
        }
        if (feature === null) continue;
        if (!feature.clients.includes(client)) feature.clients.push(client);
        for (const note of issue.notes) if (!feature.notes.includes(note)) feature.notes.push(note);
      }
    }
    const findings: Finding[] = [];
    for (const [title, feature] of features) {
      if (feature === null) continue;
      const finding: Finding = {
        at: feature.offset === undefined ? context.fileStart : context.locateHtml(feature.offset),
        message: clientSupportMessage(title, feature.clients),
        clientSupport: { feature: title, clients: feature.clients },
      };
      if (feature.notes.length > 0) finding.fix = feature.notes.join(' ').slice(0, 300);
      findings.push(finding);
    }
    return findings;
  },
};
