/**
 * Reading marketing files from disk: directory listings, text decoding and YAML parsing, each failure turned
 * into a diagnostic. The only module of src/project that touches the filesystem.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import { decodeText, parseYaml, type YamlSource } from './yaml-source.js';

export const KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export interface FileSystemView {
  cwd: string;
  /** Absolute path of the marketing directory. */
  root: string;
}

export function displayPath(view: FileSystemView, absolute: string): string {
  const rel = relative(view.cwd, absolute) || '.';
  return rel.split(sep).join('/');
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export interface Entry {
  name: string;
  path: string;
  directory: boolean;
}

/** Entries of a directory, sorted, without dotfiles; an absent directory is empty. */
export async function listDirectory(path: string): Promise<Entry[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, path: join(path, e.name), directory: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

export type TextRead = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Reads a file as UTF-8 text; binary content, unreadable files and (unless allowed) empty files are diagnostics. */
export async function readText(view: FileSystemView, path: string, allowEmpty = false): Promise<TextRead> {
  const file = displayPath(view, path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      diagnostics: [fileDiagnostic(file, 'unreadable-file', `cannot read the file (${code})`)],
    };
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      diagnostics: [
        fileDiagnostic(file, 'binary-file', `the file ${decoded.reason}`, 'save it as UTF-8 text'),
      ],
    };
  }
  if (!allowEmpty && decoded.text.trim() === '') {
    return { ok: false, diagnostics: [fileDiagnostic(file, 'empty-file', 'the file is empty')] };
  }
  return { ok: true, text: decoded.text };
}

export type YamlRead = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

/** Reads and parses a YAML file whose top level must be a mapping. */
export async function readYamlFile(view: FileSystemView, path: string): Promise<YamlRead> {
  const read = await readText(view, path);
  if (!read.ok) return read;
  return parseYamlMapping(displayPath(view, path), read.text);
}

export function parseYamlMapping(file: string, text: string, lineOffset = 0): YamlRead {
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

export function fileDiagnostic(
  file: string,
  rule: string,
  message: string,
  fix?: string,
  line = 1,
): Diagnostic {
  const d: Diagnostic = { file, line, col: 1, rule, severity: 'error', message };
  if (fix !== undefined) d.fix = fix;
  return d;
}
