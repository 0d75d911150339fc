/**
 * The pre-pass that lets Handlebars run over a file written in two languages: Klaviyo's `{{ }}` (kept byte for
 * byte) and our build-time `[[ ]]`. Every Klaviyo `{{` is escaped as `\{{` (Handlebars then emits it as literal
 * text), and only the `[[`/`[[[` that open a build expression, with their matching `]]`/`]]]`, become
 * Handlebars delimiters. A `]]` outside an expression is left alone, so it is reported as leftover instead of
 * silently turning into `}}`.
 *
 * Only backslashes are inserted, so lines never move and a column maps back by counting the insertions before it.
 */
import { MARKER_LEAD } from './source-map.js';

export interface PrepassProblem {
  /** 1-based, in the pre-pass input. */
  line: number;
  /** 1-based, in the pre-pass input. */
  col: number;
  rule: string;
  message: string;
  fix?: string;
}

export interface Prepassed {
  /** The Handlebars source. */
  text: string;
  /** Per 1-based line: the 0-based columns, in `text`, of the backslashes the pre-pass inserted. */
  insertions: Map<number, number[]>;
  problems: PrepassProblem[];
}

type Mode = 'text' | 'double' | 'triple' | 'comment' | 'long-comment';

const TEXT_STOP = /[{[\\\n\uFDD0\0]/g;

export function toHandlebars(source: string): Prepassed {
  const chunks: string[] = [];
  const insertions = new Map<number, number[]>();
  const problems: PrepassProblem[] = [];
  let line = 1;
  let col = 0; // 0-based column in the input
  let inserted = 0; // backslashes inserted so far on this line
  let mode: Mode = 'text';
  let open = { line: 1, col: 1 };
  let i = 0;

  const copy = (to: number): void => {
    for (let k = i; k < to; k += 1) {
      if (source.charCodeAt(k) === 10) {
        line += 1;
        col = 0;
        inserted = 0;
      } else {
        col += 1;
      }
    }
    chunks.push(source.slice(i, to));
    i = to;
  };

  while (i < source.length) {
    if (mode === 'text') {
      TEXT_STOP.lastIndex = i;
      const hit = TEXT_STOP.exec(source);
      if (!hit) {
        copy(source.length);
        break;
      }
      copy(hit.index);
      const ch = source[i];
      if (ch === '{' && source[i + 1] === '{') {
        let cols = insertions.get(line);
        if (!cols) insertions.set(line, (cols = []));
        cols.push(col + inserted);
        inserted += 1;
        chunks.push('\\');
        copy(i + 2);
      } else if (ch === '[' && source.startsWith('[[', i)) {
        open = { line, col: col + 1 };
        if (source.startsWith('[[[', i)) {
          chunks.push('{{{');
          mode = 'triple';
          advanceColumns(3);
        } else {
          chunks.push('{{');
          mode = source.startsWith('!--', i + 2)
            ? 'long-comment'
            : source[i + 2] === '!'
              ? 'comment'
              : 'double';
          advanceColumns(2);
        }
      } else if (ch === '\\' && (source.startsWith('{{', i + 1) || source.startsWith('[[', i + 1))) {
        const what = source.startsWith('{{', i + 1) ? '\\{{' : '\\[[';
        problems.push({
          line,
          col: col + 1,
          rule: 'build-escaped-braces',
          message: `a literal '${what}' is ambiguous here: Klaviyo tags need no escaping and build expressions cannot be escaped`,
          fix: `remove the backslash (write Klaviyo tags as plain {{ }}; write build expressions as [[ ]])`,
        });
        copy(i + 1);
      } else if (ch === MARKER_LEAD || ch === '\0') {
        problems.push(invisible(ch, line, col));
        copy(i + 1);
      } else {
        copy(i + 1);
      }
      continue;
    }

    // Inside a build expression or comment.
    const ch = source[i];
    if (mode === 'long-comment') {
      if (source.startsWith('--]]', i)) {
        chunks.push('--}}');
        advanceColumns(4);
        mode = 'text';
      } else {
        copy(i + 1);
      }
    } else if (mode === 'comment') {
      if (source.startsWith(']]', i)) {
        chunks.push('}}');
        advanceColumns(2);
        mode = 'text';
      } else {
        copy(i + 1);
      }
    } else if (ch === '"' || ch === "'") {
      copy(endOfString(source, i));
    } else if (source.startsWith('}}', i) || source.startsWith('{{', i)) {
      const closing = source[i] === '}';
      problems.push({
        line,
        col: col + 1,
        rule: 'build-syntax',
        message: closing
          ? "'}}' inside a build expression: build expressions close with ']]'"
          : 'a Klaviyo tag inside a build expression must be a quoted string, e.g. href="{{ url }}"',
        fix: closing ? "close the build expression with ']]'" : 'put the Klaviyo tag in quotes',
      });
      copy(i + 2);
      if (closing) mode = 'text';
    } else if (mode === 'triple' && source.startsWith(']]]', i)) {
      chunks.push('}}}');
      advanceColumns(3);
      mode = 'text';
    } else if (mode === 'double' && source.startsWith(']]', i)) {
      chunks.push('}}');
      advanceColumns(2);
      mode = 'text';
    } else if (ch === MARKER_LEAD || ch === '\0') {
      problems.push(invisible(ch, line, col));
      copy(i + 1);
    } else {
      copy(i + 1);
    }
  }

  if (mode !== 'text') {
    const closer = mode === 'triple' ? ']]]' : mode === 'long-comment' ? '--]]' : ']]';
    problems.push({
      line: open.line,
      col: open.col,
      rule: 'build-syntax',
      message: `this build expression is never closed with '${closer}'`,
      fix: `close it with '${closer}'`,
    });
  }

  return { text: chunks.join(''), insertions, problems };

  function advanceColumns(n: number): void {
    col += n;
    i += n;
  }
}

/** Characters neither Handlebars nor the source markers can carry. */
function invisible(ch: string, line: number, col: number): PrepassProblem {
  return {
    line,
    col: col + 1,
    rule: 'build-syntax',
    message: `the file contains ${ch === '\0' ? 'a NUL character' : 'U+FDD0, a Unicode noncharacter'}`,
    fix: 'delete the invisible character',
  };
}

/** The index just past the string literal opening at `start`; the end of input when it never closes. */
function endOfString(source: string, start: number): number {
  const quote = source[start];
  for (let k = start + 1; k < source.length; k += 1) {
    const c = source[k];
    if (c === '\\' && quote === '"' && source[k + 1] === '"') {
      k += 1;
    } else if (c === quote) {
      return k + 1;
    } else if (c === ']' && source.startsWith(']]', k) && source.indexOf(quote!, k) === -1) {
      // An unbalanced quote: stop here so the expression still closes and Handlebars reports the real error.
      return k;
    }
  }
  return source.length;
}

/** The 1-based column in the pre-pass input for a 0-based column in its output (a Handlebars location). */
export function originalColumn(prepassed: Prepassed, line: number, column0: number): number {
  const cols = prepassed.insertions.get(line);
  if (!cols) return column0 + 1;
  let before = 0;
  for (const c of cols) if (c < column0) before += 1;
  return column0 - before + 1;
}
