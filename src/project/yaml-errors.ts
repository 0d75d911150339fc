/**
 * The first YAML syntax error of a file, said plainly, at the line to change. One mistake (a line indented
 * too deep) makes the parser report several errors, the first of them on the line above the mistake; a
 * person needs the one line and what to do about it.
 */
import type { YAMLError } from 'yaml';

export interface PlainYamlError {
  /** 0-based offset in the text where the mistake is. */
  offset: number;
  message: string;
  fix?: string;
}

interface Line {
  start: number;
  text: string;
  indent: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    lines.push({ start, text: line, indent: line.length - line.trimStart().length });
    start += raw.length + 1;
  }
  return lines;
}

const blank = (line: Line): boolean => line.text.trim() === '' || line.text.trimStart().startsWith('#');

/** `key: value` with the value on the same line: a key nothing can be nested under. */
const KEY_WITH_VALUE = /^\s*(?:-\s+)?([^\s#:][^:#]*?):\s+[^\s#]/;

/** `- value`: a list item that is a plain value, which cannot hold keys either. */
const SCALAR_ITEM = /^\s*(-\s+[^\s#:][^:#]*)$/;

/**
 * From the line the parser stopped at: the first later line indented deeper than a `key: value` line above
 * it (a key that already has its value cannot hold nested keys).
 */
function overIndented(lines: Line[], from: number): { line: Line; key: string } | undefined {
  let above: Line | undefined;
  for (let i = from; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (blank(line)) continue;
    if (above && line.indent > above.indent && !line.text.trimStart().startsWith('-')) {
      const key = KEY_WITH_VALUE.exec(above.text)?.[1] ?? SCALAR_ITEM.exec(above.text)?.[1];
      if (key !== undefined) return { line, key: key.trim() };
    }
    above = line;
    if (i > from + 50) break;
  }
  return undefined;
}

function lineIndexAt(lines: Line[], offset: number): number {
  let index = 0;
  while (index + 1 < lines.length && lines[index + 1]!.start <= offset) index += 1;
  return index;
}

/** The first of `errors` in the text, in words a newcomer can act on; the parser's own words otherwise. */
export function plainYamlError(
  text: string,
  errors: readonly YAMLError[],
  parserMessage: string,
): PlainYamlError {
  const first = [...errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
  const lines = linesOf(text);
  const at = lineIndexAt(lines, first.pos[0]);
  switch (first.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BAD_INDENT': {
      const found = overIndented(lines, Math.max(0, at - 1));
      if (found) {
        return {
          offset: found.line.start + found.line.indent,
          message: found.key.startsWith('-')
            ? `this line is indented deeper than the list item above it ('${found.key}'), which is a plain value`
            : `this line is indented deeper than the key above it ('${found.key}:'), which already has a value`,
          fix: found.key.startsWith('-')
            ? `indent it as far as the '-' to start another item, or write the item as a mapping ('- key: value')`
            : `indent it as far as '${found.key}:' to make it the next key, or move the value of '${found.key}:' to its own indented line`,
        };
      }
      break;
    }
    case 'TAB_AS_INDENT':
      return {
        offset: first.pos[0],
        message: 'this line is indented with a tab; YAML indents with spaces only',
        fix: 'replace the tab with spaces (two per level)',
      };
    case 'MISSING_CHAR':
      if (/without - indicator/.test(parserMessage)) {
        return {
          offset: first.pos[0],
          message: "this line's indentation does not match the list item above it",
          fix: "indent it as far as the first key after the item's '- ', or start a new item with '- '",
        };
      }
      break;
    default:
      break;
  }
  return { offset: first.pos[0], message: parserMessage };
}
