/**
 * Two values side by side in one line each, without hiding their difference: a long value is cut around the
 * part that changed (`…Thanks for [joining] the…`), never into two identical prefixes.
 */
import type { JsonValue } from '../../engine/plan.js';

/** Characters of unchanged text kept on each side of a change. */
const CONTEXT = 24;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** `text` shortened to `max` characters (a one-value display, where nothing is compared). */
export function shorten(text: string, max = 80): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The differing region of two texts with a little context, the same cut applied to both: what is left out is
 * common to both, so the two excerpts differ exactly where the texts do.
 */
export function differingExcerpts(before: string, after: string, max = 80): [string, string] {
  const a = oneLine(before);
  const b = oneLine(after);
  if (a.length <= max && b.length <= max) return [a, b];
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix += 1;
  const start = Math.max(0, prefix - CONTEXT);
  const cut = (text: string): string => {
    const end = Math.min(text.length, text.length - suffix + CONTEXT);
    const middle = text.slice(start, end);
    // The changed part itself is never cut: a long changed part shows whole.
    return `${start > 0 ? '…' : ''}${middle}${end < text.length ? '…' : ''}`;
  };
  return [cut(a), cut(b)];
}

/** A JSON value as one line, as the plan shows a value. */
export function jsonText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Both sides of a change as display strings that differ where the values differ (strings quoted). */
export function valuePair(before: JsonValue | undefined, after: JsonValue | undefined): [string, string] {
  if (before === undefined || after === undefined) {
    const show = (v: JsonValue | undefined): string =>
      v === undefined ? '(unset)' : quoteIfString(v, shorten(jsonText(v)));
    return [show(before), show(after)];
  }
  const [a, b] = differingExcerpts(jsonText(before), jsonText(after));
  return [quoteIfString(before, a), quoteIfString(after, b)];
}

function quoteIfString(value: JsonValue, text: string): string {
  return typeof value === 'string' ? JSON.stringify(text) : text;
}
