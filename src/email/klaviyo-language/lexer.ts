/**
 * Splits a template into text and the three kinds of Klaviyo tags: `{{ variable }}`, `{% tag %}` and
 * `{# comment #}`. Like Django, a tag ends at the first closing delimiter; a tag that never closes is an error.
 */

export interface TagToken {
  type: 'variable' | 'block' | 'comment';
  start: number;
  end: number;
  /** Where the text between the delimiters starts and ends. */
  innerStart: number;
  innerEnd: number;
}

export type Token = { type: 'text'; start: number; end: number } | TagToken;

export interface LexProblem {
  offset: number;
  severity: 'error' | 'warning';
  message: string;
  fix?: string;
}

const CLOSERS = { '{': '}}', '%': '%}', '#': '#}' } as const;
const TYPES = { '{': 'variable', '%': 'block', '#': 'comment' } as const;

export function lex(source: string): { tokens: Token[]; problems: LexProblem[] } {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let textStart = 0;
  let i = source.indexOf('{');
  while (i !== -1 && i < source.length - 1) {
    const kind = source[i + 1];
    if (kind !== '{' && kind !== '%' && kind !== '#') {
      i = source.indexOf('{', i + 1);
      continue;
    }
    const closer = CLOSERS[kind];
    const close = source.indexOf(closer, i + 2);
    if (close === -1) {
      problems.push({
        offset: i,
        severity: 'error',
        message: `'{${kind}' is never closed with '${closer}'`,
        fix: `close the tag with '${closer}', or remove the stray '{${kind}'`,
      });
      // Read on as text: the tags after it are still tags.
      i = source.indexOf('{', i + 2);
      continue;
    }
    const newline = source.indexOf('\n', i);
    const spansLines = newline !== -1 && newline < close;
    // A tag left open runs into the next one: report the opener alone and read on from there, so the tags
    // after it (an unsubscribe link, the address) are still seen and nothing else is blamed.
    if (spansLines && nextOpener(source, i + 2) < close) {
      problems.push({
        offset: i,
        severity: 'error',
        message: `'{${kind}' is not closed on its line: the next tag starts before any '${closer}'`,
        fix: `close it with '${closer}' on the same line, or remove the stray '{${kind}'`,
      });
      i = source.indexOf('{', i + 2);
      continue;
    }
    if (i > textStart) tokens.push({ type: 'text', start: textStart, end: i });
    tokens.push({ type: TYPES[kind], start: i, end: close + 2, innerStart: i + 2, innerEnd: close });
    if (spansLines) {
      problems.push({
        offset: i,
        severity: 'warning',
        message:
          'this tag spans several lines; Klaviyo (like Django) only recognises tags written on one line',
        fix: 'put the whole tag on one line',
      });
    }
    textStart = close + 2;
    i = source.indexOf('{', textStart);
  }
  if (textStart < source.length) tokens.push({ type: 'text', start: textStart, end: source.length });
  return { tokens, problems };
}

/** Offset of the next `{{`, `{%` or `{#` from `from`, or Infinity. */
function nextOpener(source: string, from: number): number {
  const m = /\{[{%#]/g;
  m.lastIndex = from;
  return m.exec(source)?.index ?? Infinity;
}
