/**
 * What compiling one object (a flow or a segment) accumulates: the symbolic references it makes, the source
 * map from JSON pointers in the compiled definition back to YAML paths, and any problems found on the way.
 */
import type { Diagnostic, Severity } from '../project/diagnostics.js';
import { suggestion } from '../project/diagnostics.js';
import { diagnosticAt, type Locator } from '../project/locator.js';
import type { YamlPath } from '../project/yaml-source.js';
import { refPlaceholder, type RefKind, type SourceLocation, type SymbolicRef } from './desired-state.js';

/** The keys and names an object may refer to. */
export interface ReferenceScope {
  lists: ReadonlySet<string>;
  segments: ReadonlySet<string>;
  templates: ReadonlySet<string>;
  metrics: ReadonlySet<string>;
}

export class CompileContext {
  readonly refs: SymbolicRef[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** JSON pointer (relative to `definition`) -> YAML path, for the nodes that came from a YAML node. */
  readonly sourceMap = new Map<string, YamlPath>();

  constructor(
    readonly at: Locator,
    readonly scope: ReferenceScope,
  ) {}

  map(pointer: string, path: YamlPath): void {
    if (!this.sourceMap.has(pointer)) this.sourceMap.set(pointer, path);
  }

  location(path: YamlPath): SourceLocation {
    const at = this.at(path);
    return { file: at.file, line: at.line, col: at.col };
  }

  report(path: YamlPath, rule: string, message: string, fix?: string, severity: Severity = 'error'): void {
    this.diagnostics.push(diagnosticAt(this.at(path), rule, severity, message, fix));
  }

  /**
   * A placeholder for a reference at `pointer`, recorded in `refs`; an unknown key is reported at `path`
   * (with a did-you-mean), but the placeholder is still returned so compilation can go on.
   */
  ref(kind: RefKind, key: string, pointer: string, path: YamlPath, check = true): string {
    const known = this.known(kind);
    if (check && !known.has(key)) {
      const fix =
        suggestion(key, known) ??
        (kind === 'metric'
          ? "check the spelling, or declare a custom metric under 'metrics:' in klaviyo-gitops.yaml"
          : `add ${kind}s/${key}.${kind === 'template' ? 'html' : 'yaml'} to this brand`);
      this.report(path, `unknown-${kind}`, `unknown ${kind} '${key}'`, fix);
    }
    this.refs.push({ kind, key, pointer, source: this.location(path) });
    return refPlaceholder(kind, key);
  }

  private known(kind: RefKind): ReadonlySet<string> {
    switch (kind) {
      case 'list':
        return this.scope.lists;
      case 'segment':
        return this.scope.segments;
      case 'template':
        return this.scope.templates;
      case 'metric':
        return this.scope.metrics;
    }
  }
}

/** Appends an escaped segment to a JSON pointer. */
export function pointer(base: string, ...segments: Array<string | number>): string {
  return segments.reduce<string>(
    (out, s) => `${out}/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`,
    base,
  );
}
