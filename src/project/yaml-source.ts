/**
 * YAML with source positions: parse a file once, keep the document and its line counter, and answer "where
 * is the node at this path?" for every later check (schema, references, compile, Klaviyo spec).
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { fileDiagnostic, type Diagnostic } from './diagnostics.js';
import { plainYamlError } from './yaml-errors.js';

export type YamlPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  col: number;
}

/** A parsed YAML file (or a template's front matter) that can point back into its own text. */
export interface YamlSource {
  /** Display path, relative to the working directory. */
  file: string;
  /** The plain JavaScript value of the document (`undefined` for an empty document). */
  value: unknown;
  /** Position of the node at `path`; with `key`, of the map key naming it. Falls back to the deepest ancestor. */
  locate(path: YamlPath, options?: { key?: boolean }): Position;
}

export type ParsedYaml =
  { ok: true; source: YamlSource; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Decodes bytes as UTF-8 text with LF line endings, or says why they are not text. Line endings are normalised
 * here, once, before any parsing: a Windows checkout (CRLF) then gives the same diagnostics, the same templates
 * and so the same plan as a Linux one.
 */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.includes(0)) return { ok: false, reason: 'contains NUL bytes (a binary file?)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'is not valid UTF-8 text' };
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return { ok: true, text: text.replace(/\r\n?/g, '\n') };
}

/**
 * Parses YAML text. Never throws: syntax errors, several documents or an alias bomb become diagnostics.
 * `lineOffset` shifts reported lines (front matter starts below the opening `---`).
 */
export function parseYaml(file: string, text: string, lineOffset = 0): ParsedYaml {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // Duplicate keys are found below, in one pass: yaml's own check compares each key with every earlier one,
    // which takes seconds on a mapping of 1 MiB and minutes on one of short keys.
    doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false, strict: true });
  } catch (error) {
    return {
      ok: false,
      diagnostics: [yamlDiagnostic(file, { line: 1 + lineOffset, col: 1 }, messageOf(error))],
    };
  }
  const position = (offset: number): Position => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line + lineOffset, col: pos.col };
  };
  // One mistake makes the parser report several errors: the first, said plainly, is the one to act on.
  const syntax =
    doc.errors.length > 0 ? plainYamlError(text, doc.errors, firstLine(doc.errors[0]!.message)) : undefined;
  const problems: Diagnostic[] = [
    ...(syntax ? [yamlDiagnostic(file, position(syntax.offset), syntax.message, syntax.fix)] : []),
    ...duplicateKeyOffsets(doc).map((offset): Diagnostic => {
      const at = position(offset);
      return {
        file,
        line: at.line,
        col: at.col,
        rule: 'duplicate-key',
        severity: 'error',
        message: 'duplicate key: a key may appear only once in a mapping',
        fix: 'remove or rename one of the two entries',
      };
    }),
  ];
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      diagnostics: [yamlDiagnostic(file, { line: 1 + lineOffset, col: 1 }, messageOf(error))],
    };
  }
  const locate = (path: YamlPath, options?: { key?: boolean }): Position => {
    const found = findNode(doc, path, options?.key ?? false);
    return found === undefined ? { line: 1 + lineOffset, col: 1 } : position(found);
  };
  return { ok: true, source: { file, value: value ?? undefined, locate }, diagnostics: [] };
}

export type YamlMapping = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

/** Parses a YAML file (or front matter) whose top level must be a mapping. */
export function parseYamlMapping(file: string, text: string, lineOffset = 0): YamlMapping {
  const parsed = parseYaml(file, text, lineOffset);
  if (!parsed.ok) return parsed;
  const value = parsed.source.value;
  if (value === undefined || value === null) {
    return {
      ok: false,
      diagnostics: [
        fileDiagnostic(
          file,
          'empty-file',
          'the file has no content, only comments or blank lines',
          undefined,
          1 + lineOffset,
        ),
      ],
    };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    const at = parsed.source.locate([]);
    return {
      ok: false,
      diagnostics: [
        {
          file,
          line: at.line,
          col: at.col,
          rule: 'schema',
          severity: 'error',
          message: `the top level must be a mapping of keys to values, not ${Array.isArray(value) ? 'a list' : 'a single value'}`,
        },
      ],
    };
  }
  return { ok: true, source: parsed.source };
}

/** Offsets of keys repeated within their mapping, compared as yaml's own check does: scalars by value. */
function duplicateKeyOffsets(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) offsets.push(key.range?.[0] ?? 0);
        else seen.add(key.value);
      }
    },
  });
  return offsets;
}

/** Offset of the node at `path` (or of its deepest existing ancestor). */
function findNode(doc: Document.Parsed, path: YamlPath, wantKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i += 1) {
    const segment = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) break;
      keyNode = pair.key;
      next = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      if (next === undefined) break;
    } else {
      break;
    }
    const last = i === path.length - 1;
    const target = last && wantKey && keyNode !== undefined ? keyNode : next;
    offset = rangeStart(target) ?? offset;
    node = next;
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function yamlDiagnostic(file: string, at: Position, message: string, fix?: string): Diagnostic {
  const d: Diagnostic = { file, line: at.line, col: at.col, rule: 'yaml-syntax', severity: 'error', message };
  if (fix !== undefined) d.fix = fix;
  return d;
}

function messageOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}

/** yaml's messages carry " at line L, column C:" and a code frame; the position is reported separately. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}
