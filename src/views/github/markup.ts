/**
 * Markdown and HTML building blocks for everything posted to GitHub. Every piece of user text (names, messages,
 * subjects, file paths) goes through one of these escapes: a name must never open a tag, close a hidden marker,
 * break a table row or turn into a link.
 */
import { escapeMarkdown } from '../plan/index.js';

export { escapeMarkdown };

/** For text inside HTML elements (`<summary>`, `<code>`), where markdown is not rendered. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Table cell text: escaped, on one line (a line break ends a markdown table row). */
export function cell(text: string): string {
  return escapeMarkdown(text.replace(/\r?\n|\r/g, ' '));
}

/** Inline code that survives any content: HTML code element, so backticks in the text cannot close it. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n|\r/g, ' ')}</code>`;
}

/** A markdown link; the label is escaped, the URL must come from us (run and artifact URLs), not from files. */
export function link(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/**
 * JSON that is safe inside an HTML comment: `<`, `>` and `&` as \u escapes, and every `-` that is not the sign
 * of a number (followed by a digit) too, so no `--` (which, with `>` or `!>`, would end the comment) can occur.
 * JSON.parse reads it back unchanged.
 */
export function commentSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/-(?!\d)/g, '\\u002d');
}

/**
 * A value for a `name=value` attribute of a hidden marker: percent-encoded, with `-` encoded wherever a `--`
 * could form, so the marker is one token that cannot end its comment early. Injective: `%` itself is encoded.
 */
export function markerToken(value: string): string {
  // A lone surrogate cannot be percent-encoded (and never names a real brand): it becomes U+FFFD.
  const wellFormed = value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return encodeURIComponent(wellFormed)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/-(?=-|$)/g, '%2D');
}

export function parseMarkerToken(token: string): string | undefined {
  try {
    return decodeURIComponent(token);
  } catch {
    return undefined;
  }
}
