/**
 * Build-time assembly of an email: the template body (and its `.txt` part) run through Handlebars written as
 * `[[ ]]`, wrapped in its layout, with partials looked up by name. Klaviyo's own `{{ }}`, `{% %}` and `{# #}`
 * come out byte for byte. Every problem is a Diagnostic at the file, line and column where it was written,
 * whether that is the template, its layout or a partial; the returned source map does the same for any
 * position in the output.
 */
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostic.js';
import { didYouMean } from '../../project/diagnostics.js';
import {
  BUILD_NAME,
  createHandlebars,
  prepareUnit,
  unitPosition,
  type BuildUnit,
  type HandlebarsEnv,
} from './compile-unit.js';
import { MarkerTable, type AssembledSourceMap, type ValueLocator } from './source-map.js';

export type { AssembledSourceMap, SourceMapDescription, ValueLocator } from './source-map.js';

/** A layout or partial file. `file` is its display path, `source` its whole text. */
export interface SourceFile {
  file: string;
  source: string;
}

export interface AssemblerOptions {
  /** brand.yaml, exposed to templates as `brand` (`[[brand.tokens.color_primary]]`). */
  brand: Readonly<Record<string, unknown>>;
  /** Layouts by name (`shared/layouts/<name>.html`). */
  layouts: ReadonlyMap<string, SourceFile>;
  /** Partials by name, the brand's already laid over the shared ones (see `mergePartials`). */
  partials: ReadonlyMap<string, SourceFile>;
}

export interface TemplateInput {
  /** Display path of the template file. */
  file: string;
  /** The text after the front matter. */
  body: string;
  /** 1-based line in `file` where `body` starts. */
  bodyStartLine: number;
  /** The front matter, exposed as `template` (`[[template.subject]]`); `layout` picks the layout. */
  frontMatter: Readonly<Record<string, unknown>>;
  /** Where `layout:` is written, for an unknown layout; the file's first line otherwise. */
  layoutPosition?: { line: number; col: number };
  /** Where `brand.*` and `template.*` values are written: the source map points their text there. */
  locateValue?: ValueLocator;
}

export interface TextPartInput {
  /** Display path of the `.txt` file. */
  file: string;
  source: string;
  /** The HTML template's front matter, exposed as `template`. No layout applies to a text part. */
  frontMatter: Readonly<Record<string, unknown>>;
  /** Where `brand.*` and `template.*` values are written: the source map points their text there. */
  locateValue?: ValueLocator;
}

export interface HtmlAssembly {
  /** The assembled HTML, when there were no errors. */
  html?: string;
  diagnostics: Diagnostic[];
  /** Maps positions in `html` back to the template, layout and partial files. */
  sourceMap?: AssembledSourceMap;
}

export interface TextAssembly {
  text?: string;
  diagnostics: Diagnostic[];
  sourceMap?: AssembledSourceMap;
}

type Output = BuildUnit['output'];

/** The brand's partials replace shared ones with the same name. */
export function mergePartials(
  shared: ReadonlyMap<string, SourceFile>,
  brand: ReadonlyMap<string, SourceFile>,
): Map<string, SourceFile> {
  const merged = new Map(shared);
  for (const [name, file] of brand) merged.set(name, file);
  return merged;
}

/** Assembles one HTML template. For many templates of one brand, reuse an `Assembler`. */
export function assembleTemplate(input: AssemblerOptions & TemplateInput): HtmlAssembly {
  return new Assembler(input).html(input);
}

/** Assembles one `.txt` part. */
export function assembleTextPart(input: AssemblerOptions & TextPartInput): TextAssembly {
  return new Assembler(input).text(input);
}

class BuildFailure extends Error {
  constructor(
    readonly unit: BuildUnit,
    readonly failure: unknown,
    readonly includedFrom: BuildUnit | undefined,
  ) {
    super('build failure');
  }
}

/** Assembles the templates of one brand, compiling each layout and partial once. */
export class Assembler {
  private readonly hb: HandlebarsEnv = createHandlebars();
  private readonly markers = new MarkerTable();
  private readonly units = new Map<string, BuildUnit>();
  private readonly partialFunctions = new Map<Output, Record<string, Handlebars.TemplateDelegate>>();
  private readonly partialNames: ReadonlySet<string>;
  private readonly stack: BuildUnit[] = [];

  constructor(private readonly options: AssemblerOptions) {
    this.partialNames = new Set([...options.partials.keys()].filter((name) => BUILD_NAME.test(name)));
  }

  html(input: TemplateInput): HtmlAssembly {
    const diagnostics: Diagnostic[] = [];
    const template = this.prepare(
      'html',
      'template',
      undefined,
      input.file,
      input.body,
      input.bodyStartLine - 1,
    );
    const units = [template];
    const layoutName = input.frontMatter.layout;
    let layout: BuildUnit | undefined;
    if (layoutName !== undefined && layoutName !== null) {
      const where = { file: input.file, ...(input.layoutPosition ?? { line: 1, col: 1 }) };
      const name = typeof layoutName === 'string' ? layoutName : '';
      const found = BUILD_NAME.test(name) ? this.options.layouts.get(name) : undefined;
      if (!found) {
        const close = didYouMean(name, this.options.layouts.keys());
        diagnostics.push(
          diagnostic(
            where,
            'build-unknown-layout',
            'error',
            BUILD_NAME.test(name)
              ? `there is no layout '${name}' in shared/layouts/`
              : `'${String(layoutName)}' is not a layout name; layouts cannot leave marketing/`,
            close !== undefined
              ? `did you mean '${close}'?`
              : BUILD_NAME.test(name)
                ? `create shared/layouts/${name}.html`
                : 'use the name of a file in shared/layouts/ (lowercase letters, digits, - and /)',
          ),
        );
      } else {
        layout = this.unit('html', 'layout', name, found);
        units.push(layout);
        if (layout.template && !layout.pathList.some((p) => p.original === 'body')) {
          diagnostics.push(
            diagnostic(
              { file: found.file, line: 1, col: 1 },
              'build-layout-body',
              'error',
              `the layout '${name}' never inserts the template body`,
              'put [[[body]]] where the email content goes',
            ),
          );
        }
      }
    }
    diagnostics.push(...this.closureDiagnostics('html', units));
    if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

    const context = buildContext(this.options.brand, input.frontMatter);
    let output = this.run(template, context, diagnostics);
    if (output !== undefined && layout) {
      output = this.run(layout, { ...context, body: output }, diagnostics);
    }
    if (output === undefined) return { diagnostics };
    const { text, map } = this.markers.strip(
      output,
      { file: input.file, line: input.bodyStartLine, col: 1 },
      input.locateValue,
    );
    diagnostics.push(...leftoverChecks(text, map));
    const result: HtmlAssembly = { diagnostics, sourceMap: map };
    if (!diagnostics.some((d) => d.severity === 'error')) result.html = text;
    return result;
  }

  text(input: TextPartInput): TextAssembly {
    const diagnostics: Diagnostic[] = [];
    const part = this.prepare('text', 'template', undefined, input.file, input.source, 0);
    diagnostics.push(...this.closureDiagnostics('text', [part]));
    if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
    const output = this.run(part, buildContext(this.options.brand, input.frontMatter), diagnostics);
    if (output === undefined) return { diagnostics };
    const { text, map } = this.markers.strip(
      output,
      { file: input.file, line: 1, col: 1 },
      input.locateValue,
    );
    diagnostics.push(...leftoverChecks(text, map));
    const result: TextAssembly = { diagnostics, sourceMap: map };
    if (!diagnostics.some((d) => d.severity === 'error')) result.text = text;
    return result;
  }

  private prepare(
    output: Output,
    kind: BuildUnit['kind'],
    name: string | undefined,
    file: string,
    source: string,
    lineOffset: number,
  ): BuildUnit {
    const options = {
      hb: this.hb,
      markers: this.markers,
      kind,
      file,
      source,
      lineOffset,
      output,
      partialNames: this.partialNames,
    };
    return prepareUnit(name === undefined ? options : { ...options, name });
  }

  private unit(output: Output, kind: 'layout' | 'partial', name: string, file: SourceFile): BuildUnit {
    const key = `${output}:${kind}:${name}`;
    let unit = this.units.get(key);
    if (!unit) {
      unit = this.prepare(output, kind, name, file.file, file.source, 0);
      this.units.set(key, unit);
    }
    return unit;
  }

  /** The static problems of the given units and of every partial they include, transitively. */
  private closureDiagnostics(output: Output, roots: BuildUnit[]): Diagnostic[] {
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const unit = queue.shift()!;
      out.push(...unit.diagnostics);
      for (const name of unit.partials) {
        if (seen.has(name)) continue;
        seen.add(name);
        const file = this.options.partials.get(name);
        if (file) queue.push(this.unit(output, 'partial', name, file));
      }
    }
    return out;
  }

  private partialsFor(output: Output): Record<string, Handlebars.TemplateDelegate> {
    let partials = this.partialFunctions.get(output);
    if (partials) return partials;
    partials = Object.create(null) as Record<string, Handlebars.TemplateDelegate>;
    for (const name of this.partialNames) {
      const file = this.options.partials.get(name)!;
      partials[name] = (context: unknown, options?: Handlebars.RuntimeOptions) => {
        const unit = this.unit(output, 'partial', name, file);
        if (!unit.template)
          throw new BuildFailure(unit, new Error('the partial did not compile'), this.top());
        const includedFrom = this.top();
        this.stack.push(unit);
        try {
          return unit.template(context, options);
        } catch (error) {
          throw error instanceof BuildFailure ? error : new BuildFailure(unit, error, includedFrom);
        } finally {
          this.stack.pop();
        }
      };
    }
    this.partialFunctions.set(output, partials);
    return partials;
  }

  private top(): BuildUnit | undefined {
    return this.stack[this.stack.length - 1];
  }

  private run(
    unit: BuildUnit,
    context: Record<string, unknown>,
    diagnostics: Diagnostic[],
  ): string | undefined {
    if (!unit.template) return undefined;
    this.stack.push(unit);
    try {
      return unit.template(context, {
        partials: this.partialsFor(unit.output),
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (error) {
      const failure = error instanceof BuildFailure ? error : new BuildFailure(unit, error, undefined);
      diagnostics.push(runtimeDiagnostic(failure, context));
      return undefined;
    } finally {
      this.stack.length = 0;
    }
  }
}

/** Fresh copies of the data, so a template can never alter what the caller holds. */
function buildContext(
  brand: Readonly<Record<string, unknown>>,
  frontMatter: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return { brand: detach(brand, 0), template: detach(frontMatter, 0) };
}

function detach(value: unknown, depth: number): unknown {
  if (depth > 32) return undefined;
  if (Array.isArray(value)) return value.map((v) => detach(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== '__proto__') out[k] = detach(v, depth + 1);
    }
    return out;
  }
  return value;
}

function runtimeDiagnostic(failure: BuildFailure, context: Record<string, unknown>): Diagnostic {
  const { unit } = failure;
  const error = failure.failure as { message?: unknown; lineNumber?: unknown; column?: unknown };
  const message = typeof error?.message === 'string' ? error.message : String(failure.failure);
  const where = describeUnit(unit, failure.includedFrom);
  const start: SourcePosition = { file: unit.file, line: unit.lineOffset + 1, col: 1 };

  const undefinedName = /^"([^"]*)" not defined in/.exec(message)?.[1];
  if (
    undefinedName !== undefined &&
    typeof error.lineNumber === 'number' &&
    typeof error.column === 'number'
  ) {
    const pos = { file: unit.file, ...unitPosition(unit, error.lineNumber, error.column) };
    const path = findPath(unit, error.lineNumber, error.column, undefinedName);
    // `brand.nope.x` fails on `x` with nothing to look in: name the first part that is missing.
    const missing = /not defined in (?:undefined|null)/.test(message)
      ? (firstMissing(path, context) ?? undefinedName)
      : undefinedName;
    return diagnostic(
      pos,
      'build-unknown-variable',
      'error',
      `[[${path}]]: '${missing}' is not defined${where}`,
      variableFix(unit, path, missing.split('.').pop() ?? missing, context),
    );
  }

  const reading = /Cannot read propert(?:y|ies) of (?:undefined|null) \(reading '([^']*)'\)/.exec(
    message,
  )?.[1];
  if (reading !== undefined) {
    const entry = unit.pathList.find((p) => p.parts.indexOf(reading) >= 1);
    if (entry) {
      const parent = entry.parts.slice(0, entry.parts.indexOf(reading)).join('.');
      return diagnostic(
        { file: unit.file, ...unitPosition(unit, entry.line, entry.column0) },
        'build-unknown-variable',
        'error',
        `[[${entry.original}]]: '${parent}' is not defined${where}`,
        variableFix(unit, parent, parent.split('.').pop() ?? parent, context),
      );
    }
  }

  if (typeof error.lineNumber === 'number' && typeof error.column === 'number') {
    return diagnostic(
      { file: unit.file, ...unitPosition(unit, error.lineNumber, error.column) },
      'build-error',
      'error',
      `${message.replace(/ - \d+:\d+$/, '')}${where}`,
    );
  }
  return diagnostic(start, 'build-error', 'error', `the build failed: ${message}${where}`);
}

function describeUnit(unit: BuildUnit, includedFrom: BuildUnit | undefined): string {
  if (unit.kind === 'partial') {
    return includedFrom
      ? ` (in partial '${unit.name}', included from ${includedFrom.file})`
      : ` (in partial '${unit.name}')`;
  }
  if (unit.kind === 'layout') return ` (in layout '${unit.name}')`;
  return '';
}

/** `brand.nope` for `brand.nope.x` when the context has `brand` but no `brand.nope`. */
function firstMissing(path: string, context: Record<string, unknown>): string | undefined {
  const parts = path.replace(/^@root\./, '').split(/[./]/);
  let scope: unknown = context;
  for (let k = 0; k < parts.length; k += 1) {
    if (!scope || typeof scope !== 'object' || !Object.prototype.hasOwnProperty.call(scope, parts[k]!)) {
      return k === 0 ? undefined : parts.slice(0, k + 1).join('.');
    }
    scope = (scope as Record<string, unknown>)[parts[k]!];
  }
  return undefined;
}

/** The whole path written at a location, e.g. `brand.tokens.colr` for the undefined `colr`. */
function findPath(unit: BuildUnit, line: number, column0: number, name: string): string {
  const exact = unit.paths.get(`${line}:${column0}`);
  if (exact !== undefined) return exact;
  const near = unit.pathList.find((p) => p.line === line && p.parts.includes(name));
  return near?.original ?? name;
}

function variableFix(unit: BuildUnit, path: string, name: string, context: Record<string, unknown>): string {
  const parts = path.replace(/^@root\./, '').split(/[./]/);
  const index = parts.lastIndexOf(name);
  let scope: unknown = context;
  for (const part of parts.slice(0, Math.max(0, index))) {
    scope = scope && typeof scope === 'object' ? (scope as Record<string, unknown>)[part] : undefined;
  }
  if (scope && typeof scope === 'object' && index > 0) {
    const close = didYouMean(name, Object.keys(scope));
    if (close !== undefined) return `did you mean '${parts.slice(0, index).join('.')}.${close}'?`;
    return `'${parts.slice(0, index).join('.')}' has: ${Object.keys(scope).slice(0, 12).join(', ') || 'nothing'}`;
  }
  const roots = unit.kind === 'layout' ? 'brand, template, body' : 'brand, template';
  const hash = unit.kind === 'partial' ? ', or a parameter passed as [[> name key="value"]]' : '';
  return `build-time variables are ${roots}${hash}; guard optional values with [[#if …]]`;
}

/** `[[`/`]]` left in the output, and Klaviyo tags mangled by `[[ ]]`'s HTML escaping. */
function leftoverChecks(text: string, map: AssembledSourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const leftovers = /\[\[|\]\](?!>)/g;
  for (let m = leftovers.exec(text); m && out.length < 20; m = leftovers.exec(text)) {
    out.push(
      diagnostic(
        map.locate(m.index),
        'build-leftover-brackets',
        'error',
        `'${m[0]}' is left in the output: an unbalanced build expression`,
        m[0] === ']]' ? "remove the stray ']]' or open it with '[['" : "close the expression with ']]'",
      ),
    );
  }
  let warned = 0;
  for (const [open, close] of [
    ['{{', '}}'],
    ['{%', '%}'],
  ] as const) {
    for (let start = text.indexOf(open); start !== -1 && warned < 20; start = text.indexOf(open, start + 2)) {
      const end = text.indexOf(close, start + 2);
      if (end === -1) break;
      const tag = text.slice(start, end + 2);
      if (tag.includes('&#x27;') || tag.includes('&#x3D;') || tag.includes('&#x60;')) {
        warned += 1;
        out.push(
          diagnostic(
            map.locate(start),
            'build-escaped-klaviyo-tag',
            'warning',
            `a Klaviyo tag was HTML-escaped by a [[ ]] expression: ${tag.slice(0, 80)}`,
            'insert values that contain Klaviyo tags with the raw form [[[ ]]]',
          ),
        );
      }
    }
  }
  return out;
}
