/**
 * A locator answers "where was this value written?" for a path into a loaded object. For a flow that extends a
 * blueprint, the answer may be in the blueprint file; `note` then says which flow pulled it in.
 */
import type { Diagnostic, Severity } from './diagnostics.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

export interface Located {
  file: string;
  line: number;
  col: number;
  /** Context appended to messages, e.g. "in blueprint 'welcome', extended by brands/a/flows/welcome.yaml". */
  note?: string;
}

export type Locator = (path: YamlPath, options?: { key?: boolean }) => Located;

export function locatorOf(source: YamlSource, prefix: YamlPath = [], note?: string): Locator {
  return (path, options) => {
    const at = source.locate([...prefix, ...path], options);
    return note === undefined ? { file: source.file, ...at } : { file: source.file, ...at, note };
  };
}

export function diagnosticAt(
  at: Located,
  rule: string,
  severity: Severity,
  message: string,
  fix?: string,
): Diagnostic {
  const full = at.note ? `${message} (${at.note})` : message;
  const d: Diagnostic = { file: at.file, line: at.line, col: at.col, rule, severity, message: full };
  if (fix !== undefined) d.fix = fix;
  return d;
}

/** Renders a path the way a person reads YAML: steps[2].email.template */
export function describePath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out || '(top level)';
}
