/**
 * One source file (a template body, a layout or a partial) turned into a Handlebars template function, with
 * everything needed to point an error back at the file: the pre-pass column map, the build expressions by
 * location, and the static problems found before anything runs.
 */
import Handlebars from 'handlebars';
import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { didYouMean } from '../../project/diagnostics.js';
import { originalColumn, toHandlebars, type Prepassed } from './prepass.js';
import type { MarkerTable } from './source-map.js';

export type UnitKind = 'template' | 'layout' | 'partial';

export interface BuildUnit {
  kind: UnitKind;
  /** Text parts compile without HTML escaping. */
  output: 'html' | 'text';
  /** The layout or partial name. */
  name?: string;
  file: string;
  /** Added to a line in `source` to get the line in `file` (the front matter above a template body). */
  lineOffset: number;
  prepassed: Prepassed;
  /** Build expressions by `line:column0` of the pre-passed text, for messages. */
  paths: Map<string, string>;
  /** Every path expression, for errors Handlebars reports without a location. */
  pathList: Array<{ original: string; parts: string[]; line: number; column0: number }>;
  /** Partial names this file includes (checked to exist). */
  partials: string[];
  template?: Handlebars.TemplateDelegate;
  /** Problems found before running: syntax, unknown partials, unknown helpers. */
  diagnostics: Diagnostic[];
}

/** Partial and layout names: lowercase words and folders, never leaving marketing/. */
export const BUILD_NAME = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/;

/** Property names that reach Object.prototype: refused so templates cannot probe the runtime. */
const UNSAFE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

interface HandlebarsInternals {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: CompileOptions): unknown };
  JavaScriptCompiler: new () => {
    compile(environment: unknown, options: CompileOptions, context: undefined, asObject: boolean): unknown;
  };
  template(spec: unknown): Handlebars.TemplateDelegate;
  Parser: { lexer?: { yylloc?: { first_line?: number; first_column?: number } } };
}

export type HandlebarsEnv = typeof Handlebars;

/** An isolated Handlebars with only the side-effect-free built-in helpers. */
export function createHandlebars(): HandlebarsEnv {
  const hb = Handlebars.create();
  hb.unregisterHelper('log');
  return hb;
}

function compileOptions(kind: 'html' | 'text'): CompileOptions {
  return {
    strict: true,
    knownHelpersOnly: true,
    knownHelpers: { log: false },
    data: true,
    noEscape: kind === 'text',
  };
}

export interface PrepareOptions {
  hb: HandlebarsEnv;
  markers: MarkerTable;
  kind: UnitKind;
  name?: string;
  file: string;
  source: string;
  lineOffset: number;
  output: 'html' | 'text';
  /** Names a `[[> name]]` may use. */
  partialNames: ReadonlySet<string>;
}

export function prepareUnit(options: PrepareOptions): BuildUnit {
  const { hb, file, lineOffset } = options;
  const prepassed = toHandlebars(options.source);
  const unit: BuildUnit = {
    kind: options.kind,
    output: options.output,
    file,
    lineOffset,
    prepassed,
    paths: new Map(),
    pathList: [],
    partials: [],
    diagnostics: [],
  };
  if (options.name !== undefined) unit.name = options.name;
  for (const p of prepassed.problems) {
    unit.diagnostics.push(
      diagnostic({ file, line: p.line + lineOffset, col: p.col }, p.rule, 'error', p.message, p.fix),
    );
  }
  if (unit.diagnostics.length > 0) return unit;

  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(prepassed.text);
  } catch (error) {
    unit.diagnostics.push(parseErrorDiagnostic(hb, unit, error));
    return unit;
  }

  const inlineNames = new Set<string>();
  walk(ast, (node) => {
    if (node.type === 'DecoratorBlock') {
      const block = node as unknown as hbs.AST.BlockStatement;
      const first = block.params[0];
      if (block.path.original === 'inline' && first?.type === 'StringLiteral') {
        inlineNames.add((first as hbs.AST.StringLiteral).value);
      }
    }
  });
  walk(ast, (node) => checkNode(node, unit, options, inlineNames));
  if (unit.diagnostics.length > 0) return unit;

  injectMarkers(ast, unit, options.markers);

  try {
    const internals = hb as unknown as HandlebarsInternals;
    const compileOpts = compileOptions(options.output);
    const environment = new internals.Compiler().compile(ast, compileOpts);
    const spec = new internals.JavaScriptCompiler().compile(environment, compileOpts, undefined, true);
    unit.template = internals.template(spec);
  } catch (error) {
    unit.diagnostics.push(compileErrorDiagnostic(unit, error));
  }
  return unit;
}

type AnyNode = hbs.AST.Node & Record<string, unknown>;

function walk(node: hbs.AST.Node, visit: (node: AnyNode) => void): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      for (let k = current.length - 1; k >= 0; k -= 1) stack.push(current[k]);
      continue;
    }
    if (!current || typeof current !== 'object' || typeof (current as AnyNode).type !== 'string') continue;
    const n = current as AnyNode;
    visit(n);
    for (const [key, value] of Object.entries(n)) {
      if (key !== 'loc' && value && typeof value === 'object') stack.push(value);
    }
  }
}

/** The position in the unit's file of a Handlebars location (1-based line, 0-based column, pre-passed text). */
export function unitPosition(unit: BuildUnit, line: number, column0: number): { line: number; col: number } {
  return { line: line + unit.lineOffset, col: originalColumn(unit.prepassed, line, column0) };
}

function at(unit: BuildUnit, loc: hbs.AST.SourceLocation | undefined) {
  const pos = loc
    ? unitPosition(unit, loc.start.line, loc.start.column)
    : { line: unit.lineOffset + 1, col: 1 };
  return { file: unit.file, ...pos };
}

function checkNode(node: AnyNode, unit: BuildUnit, options: PrepareOptions, inlineNames: Set<string>): void {
  if (node.type === 'PathExpression') {
    const path = node as unknown as hbs.AST.PathExpression;
    const loc = path.loc;
    unit.paths.set(`${loc.start.line}:${loc.start.column}`, path.original);
    unit.pathList.push({
      original: path.original,
      parts: path.parts,
      line: loc.start.line,
      column0: loc.start.column,
    });
    const unsafe = path.parts.find((part) => UNSAFE_NAMES.has(part));
    if (unsafe !== undefined) {
      unit.diagnostics.push(
        diagnostic(
          at(unit, loc),
          'build-unknown-variable',
          'error',
          `'${unsafe}' is not a build-time variable (it names a JavaScript built-in)`,
          'use a key from brand.yaml or the front matter',
        ),
      );
    }
    return;
  }
  if (node.type === 'MustacheStatement' && unit.kind === 'layout' && options.output === 'html') {
    const mustache = node as unknown as hbs.AST.MustacheStatement;
    const path = mustache.path as hbs.AST.PathExpression;
    if (path.original === 'body' && mustache.escaped) {
      unit.diagnostics.push(
        diagnostic(
          at(unit, mustache.loc),
          'build-layout-body',
          'error',
          '[[body]] would HTML-escape the email body',
          'insert it raw with [[[body]]]',
        ),
      );
    }
    return;
  }
  if (node.type === 'Decorator' || node.type === 'DecoratorBlock') {
    const decorator = node as unknown as hbs.AST.MustacheStatement;
    const name = (decorator.path as hbs.AST.PathExpression).original;
    if (node.type === 'Decorator' || name !== 'inline') {
      unit.diagnostics.push(
        diagnostic(
          at(unit, decorator.loc),
          'build-syntax',
          'error',
          `the decorator '*${name}' is not supported`,
          'use [[#*inline "name"]]…[[/inline]] or a partial file',
        ),
      );
    }
    return;
  }
  if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') return;
  const partial = node as unknown as hbs.AST.PartialStatement;
  const nameNode = partial.name as hbs.AST.Node;
  let name: string;
  if (nameNode.type === 'PathExpression') {
    name = (nameNode as hbs.AST.PathExpression).original;
  } else if (nameNode.type === 'StringLiteral') {
    name = (nameNode as hbs.AST.StringLiteral).value;
  } else {
    unit.diagnostics.push(
      diagnostic(
        at(unit, partial.loc),
        'build-partial-name',
        'error',
        'a partial name must be written out, not computed',
        'write [[> name]] with the partial file name',
      ),
    );
    return;
  }
  if (name === '@partial-block' || inlineNames.has(name)) return;
  if (!BUILD_NAME.test(name)) {
    const leaves =
      name.includes('..') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\\');
    unit.diagnostics.push(
      diagnostic(
        at(unit, partial.loc),
        'build-partial-name',
        'error',
        leaves
          ? `the partial name '${name}' points outside the partials folders; partials cannot leave marketing/`
          : `'${name}' is not a valid partial name`,
        'name a file in brands/<brand>/partials/ or shared/partials/ (lowercase letters, digits, - and /)',
      ),
    );
    return;
  }
  if (!options.partialNames.has(name)) {
    const close = didYouMean(name, options.partialNames);
    unit.diagnostics.push(
      diagnostic(
        at(unit, partial.loc),
        'build-unknown-partial',
        'error',
        `there is no partial '${name}' in this brand's partials/ or in shared/partials/`,
        close !== undefined ? `did you mean '${close}'?` : `create partials/${name}.html`,
      ),
    );
    return;
  }
  if (!unit.partials.includes(name)) unit.partials.push(name);
}

/**
 * Tags each piece of literal content with source markers: one where it starts and one after each newline.
 * Runs after whitespace control, so the markers never change what Handlebars strips.
 */
function injectMarkers(ast: hbs.AST.Program, unit: BuildUnit, markers: MarkerTable): void {
  const fileId = markers.fileId(unit.file);
  walk(ast, (node) => {
    if (node.type !== 'ContentStatement') return;
    const content = node as unknown as hbs.AST.ContentStatement;
    const value = content.value;
    if (value.length === 0) return;
    // The published types call `original` StripFlags; at run time it is the text before whitespace control.
    const original = content.original as unknown as string;
    // Whitespace control removed only whitespace around the value: find where it starts in the original.
    let skip = 0;
    while (skip < original.length && /\s/.test(original[skip]!) && !original.startsWith(value, skip))
      skip += 1;
    let line = content.loc.start.line;
    let column0 = content.loc.start.column;
    for (let k = 0; k < skip && k < original.length; k += 1) {
      if (original.charCodeAt(k) === 10) {
        line += 1;
        column0 = 0;
      } else {
        column0 += 1;
      }
    }
    const first = unitPosition(unit, line, column0);
    const parts: string[] = [markers.marker(fileId, first.line, first.col)];
    let from = 0;
    for (let nl = value.indexOf('\n'); nl !== -1; nl = value.indexOf('\n', nl + 1)) {
      line += 1;
      parts.push(value.slice(from, nl + 1), markers.marker(fileId, line + unit.lineOffset, 1));
      from = nl + 1;
    }
    parts.push(value.slice(from));
    content.value = parts.join('');
  });
  markValues(ast, unit, markers, fileId);
}

/** The brand's and the front matter's values, by the path a source map's `locateValue` is asked for. */
const VALUE_ROOTS = new Set(['brand', 'template']);

/**
 * Puts a value marker before every expression that prints a brand or front matter value as it is
 * (`[[brand.name]]`, `[[[template.subject]]]`), so what that text contains is reported where the value is
 * written. Expressions with helpers, parameters or block context keep pointing at the expression.
 */
function markValues(program: hbs.AST.Program, unit: BuildUnit, markers: MarkerTable, fileId: number): void {
  const body: hbs.AST.Statement[] = [];
  for (const statement of program.body) {
    const path = valuePath(statement);
    if (path !== undefined) {
      const pos = unitPosition(unit, statement.loc.start.line, statement.loc.start.column);
      const marker = markers.marker(fileId, pos.line, pos.col, path);
      body.push({
        type: 'ContentStatement',
        value: marker,
        original: marker,
        loc: statement.loc,
      } as unknown as hbs.AST.ContentStatement);
    }
    // Only `if` and `unless` keep the context: inside `each` or `with`, `brand.x` is the item's.
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      const name =
        block.path.type === 'PathExpression' ? (block.path as hbs.AST.PathExpression).original : '';
      if (name === 'if' || name === 'unless') {
        if (block.program) markValues(block.program, unit, markers, fileId);
        if (block.inverse) markValues(block.inverse, unit, markers, fileId);
      }
    }
    body.push(statement);
  }
  program.body = body;
}

function valuePath(statement: hbs.AST.Statement): string | undefined {
  if (statement.type !== 'MustacheStatement') return undefined;
  const mustache = statement as hbs.AST.MustacheStatement;
  if (mustache.params.length > 0 || mustache.hash || mustache.path.type !== 'PathExpression')
    return undefined;
  const path = mustache.path as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length < 2 || !VALUE_ROOTS.has(path.parts[0]!))
    return undefined;
  if (path.original.startsWith('this') || path.original.startsWith('.')) return undefined;
  return path.parts.join('.');
}

function parseErrorDiagnostic(hb: HandlebarsEnv, unit: BuildUnit, error: unknown): Diagnostic {
  const e = error as { message?: unknown; lineNumber?: unknown; column?: unknown };
  const raw = typeof e.message === 'string' ? e.message : String(error);
  let line: number | undefined;
  let column0: number | undefined;
  if (typeof e.lineNumber === 'number' && typeof e.column === 'number') {
    line = e.lineNumber;
    column0 = e.column;
  } else {
    const yylloc = (hb as unknown as HandlebarsInternals).Parser.lexer?.yylloc;
    if (typeof yylloc?.first_line === 'number' && typeof yylloc.first_column === 'number') {
      line = yylloc.first_line;
      column0 = yylloc.first_column;
    }
  }
  const pos =
    line !== undefined && column0 !== undefined
      ? unitPosition(unit, line, column0)
      : { line: unit.lineOffset + 1, col: 1 };
  return diagnostic(
    { file: unit.file, ...pos },
    'build-syntax',
    'error',
    `build syntax error: ${describeParseError(raw)}`,
    'check the [[ ]] expression here: every [[#block]] needs its [[/block]], strings need both quotes',
  );
}

/** Handlebars' parse errors quote the pre-passed text; keep the sentence, drop the excerpt. */
function describeParseError(message: string): string {
  const stripped = message.replace(/ - \d+:\d+$/, '');
  const lines = stripped.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting '));
  if (expecting) {
    const got = /got '([^']*)'/.exec(expecting)?.[1];
    return got === 'EOF' ? 'the file ended inside a block or expression' : `unexpected ${describeToken(got)}`;
  }
  return (lines[0] ?? stripped).replace(/\{\{/g, '[[').replace(/\}\}/g, ']]');
}

function describeToken(token: string | undefined): string {
  switch (token) {
    case 'INVALID':
      return 'character in a [[ ]] expression';
    case 'CLOSE':
    case 'CLOSE_UNESCAPED':
      return "']]'";
    case 'OPEN_ENDBLOCK':
      return "'[[/' (a closing block without its opening)";
    case undefined:
      return 'text';
    default:
      return `${token.toLowerCase().replace(/_/g, ' ')}`;
  }
}

function compileErrorDiagnostic(unit: BuildUnit, error: unknown): Diagnostic {
  const e = error as { message?: unknown; lineNumber?: unknown; column?: unknown };
  const raw = typeof e.message === 'string' ? e.message : String(error);
  const pos =
    typeof e.lineNumber === 'number' && typeof e.column === 'number'
      ? unitPosition(unit, e.lineNumber, e.column)
      : { line: unit.lineOffset + 1, col: 1 };
  const helper = /unknown helper (\S+)/.exec(raw)?.[1];
  if (helper !== undefined) {
    return diagnostic(
      { file: unit.file, ...pos },
      'build-unknown-helper',
      'error',
      `'${helper}' is not a build helper (available: if, unless, each, with, lookup)`,
      'use a variable ([[brand.name]]) or one of the built-in block helpers',
    );
  }
  return diagnostic(
    { file: unit.file, ...pos },
    'build-syntax',
    'error',
    `build syntax error: ${raw.replace(/ - \d+:\d+$/, '')}`,
  );
}
