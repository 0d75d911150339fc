/**
 * Parses a Klaviyo template into a syntax tree: block structure (`if/elif/else`, `for/empty`, `catalog`,
 * `comment`, `verbatim`), output tags and Klaviyo's own tags. Problems are diagnostics at the source line and
 * column; a template with errors has no tree.
 */
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostic.js';
import { didYouMean } from '../../project/diagnostics.js';
import type { Condition, FilterExpression, KlaviyoTagName, KlaviyoTemplate, Node } from './ast.js';
import { ExprParser, ParseFailure, tokenize, type ExprProblem } from './expression.js';
import { lex, type TagToken, type Token } from './lexer.js';

export interface ParseOptions {
  /** Display path reported in diagnostics. */
  file: string;
  /** Lines above `source` in `file` (front matter). Ignored when `locate` is given. */
  lineOffset?: number;
  /** Maps an offset in `source` to its file position (for assembled HTML, the assembly's source map). */
  locate?: (offset: number) => SourcePosition;
}

export interface ParseResult {
  /** The tree, when the template has no errors. */
  ast?: KlaviyoTemplate;
  /** Errors and warnings, rule `klaviyo-syntax`. */
  diagnostics: Diagnostic[];
}

export const KLAVIYO_SYNTAX_RULE = 'klaviyo-syntax';

/** Klaviyo's tags and how many arguments each takes. */
const SIMPLE_TAGS: ReadonlyMap<KlaviyoTagName, { min: number; max: number; example: string }> = new Map([
  ['unsubscribe', { min: 0, max: 1, example: "{% unsubscribe 'Unsubscribe' %}" }],
  ['unsubscribe_link', { min: 0, max: 0, example: '{% unsubscribe_link %}' }],
  ['unsubscribe_url', { min: 0, max: 0, example: '{% unsubscribe_url %}' }],
  ['manage_preferences', { min: 0, max: 1, example: "{% manage_preferences 'Manage preferences' %}" }],
  ['manage_preferences_link', { min: 0, max: 0, example: '{% manage_preferences_link %}' }],
  ['web_view', { min: 0, max: 1, example: "{% web_view 'View in browser' %}" }],
  ['web_view_link', { min: 0, max: 0, example: '{% web_view_link %}' }],
  ['current_year', { min: 0, max: 0, example: '{% current_year %}' }],
  ['coupon_code', { min: 1, max: 1, example: "{% coupon_code 'WELCOME10' %}" }],
  ['currency_format', { min: 1, max: 1, example: "{% currency_format event|lookup:'$value' %}" }],
  ['now', { min: 1, max: 1, example: '{% now "Y" %}' }],
  ['firstof', { min: 1, max: 20, example: "{% firstof first_name 'friend' %}" }],
  ['cycle', { min: 1, max: 20, example: "{% cycle 'odd' 'even' %}" }],
]);

const BLOCK_TAGS = ['if', 'for', 'catalog', 'comment', 'verbatim'];
const UNSUPPORTED: Record<string, string> = {
  include: 'Klaviyo templates cannot include other templates; use a build-time partial [[> name]]',
  extends: 'Klaviyo templates cannot extend other templates; use a layout in the front matter',
  block: 'Klaviyo templates have no {% block %}; use a layout in the front matter',
  load: 'Klaviyo does not load template libraries',
  with: 'Klaviyo does not support {% with %}; repeat the expression or use a filter',
  url: 'Klaviyo has no {% url %}; write the link',
  csrf_token: 'emails have no CSRF token',
  endwith: 'Klaviyo does not support {% with %}',
  endblock: 'Klaviyo templates have no {% block %}',
  autoescape: 'Klaviyo escapes output itself; use |safe or |escape on one value',
  endautoescape: 'Klaviyo escapes output itself; use |safe or |escape on one value',
};
const CLOSERS: Record<string, string> = {
  if: 'endif',
  for: 'endfor',
  catalog: 'endcatalog',
  comment: 'endcomment',
  verbatim: 'endverbatim',
};
const OPENER_OF: Record<string, string> = {
  elif: 'if',
  else: 'if',
  endif: 'if',
  empty: 'for',
  endfor: 'for',
  endcatalog: 'catalog',
  endcomment: 'comment',
  endverbatim: 'verbatim',
};

interface BlockEnd {
  name: string;
  token: TagToken;
  parser: ExprParser;
}

export function parseKlaviyoTemplate(source: string, options: ParseOptions): ParseResult {
  const locate = options.locate ?? lineLocator(source, options.file, options.lineOffset ?? 0);
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number, severity: 'error' | 'warning', message: string, fix?: string): void => {
    diagnostics.push(diagnostic(locate(offset), KLAVIYO_SYNTAX_RULE, severity, message, fix));
  };
  const { tokens, problems } = lex(source);
  for (const p of problems) report(p.offset, p.severity, p.message, p.fix);
  const parser = new TemplateParser(source, tokens, report, locate);
  const { nodes } = parser.body(new Set());
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { ast: { nodes, source, file: options.file, locate }, diagnostics };
}

/** Line and column from a table of line starts. */
export function lineLocator(
  source: string,
  file: string,
  lineOffset: number,
): (offset: number) => SourcePosition {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1 + lineOffset, col: offset - starts[lo]! + 1 };
  };
}

type Report = (offset: number, severity: 'error' | 'warning', message: string, fix?: string) => void;

const NEVER: Condition = {
  kind: 'test',
  expr: { operand: { kind: 'literal', value: false, start: 0 }, filters: [], start: 0, text: 'False' },
};

class TemplateParser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly report: Report,
    private readonly locate: (offset: number) => SourcePosition,
  ) {}

  private fail(problem: ExprProblem): void {
    this.report(problem.offset, 'error', problem.message, problem.fix);
  }

  private where(offset: number): string {
    const at = this.locate(offset);
    return `${at.line}:${at.col}`;
  }

  /** The closing tags of the blocks being parsed, innermost last. */
  private readonly open: Array<ReadonlySet<string>> = [];

  /**
   * Nodes up to one of the `stops` tags (returned) or the end of the input. A tag that closes an outer block
   * ends this one without being consumed, so a missing `{% endif %}` is one error, not a cascade.
   */
  body(stops: ReadonlySet<string>): { nodes: Node[]; end?: BlockEnd } {
    this.open.push(stops);
    try {
      return this.parseBody(stops);
    } finally {
      this.open.pop();
    }
  }

  private closesOuter(name: string): boolean {
    for (let k = this.open.length - 2; k >= 0; k -= 1)
      if (this.open[k]!.has(name) && name.startsWith('end')) return true;
    return false;
  }

  private parseBody(stops: ReadonlySet<string>): { nodes: Node[]; end?: BlockEnd } {
    const nodes: Node[] = [];
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index++]!;
      if (token.type === 'text') {
        nodes.push({ kind: 'text', value: this.source.slice(token.start, token.end), start: token.start });
      } else if (token.type === 'variable') {
        const node = this.output(token);
        if (node) nodes.push(node);
      } else if (token.type === 'block') {
        const parser = new ExprParser(
          this.source,
          tokenize(this.source, token.innerStart, token.innerEnd),
          token.innerEnd,
        );
        const nameToken = parser.next();
        if (!nameToken || nameToken.type !== 'word') {
          this.fail({
            offset: token.start,
            message: nameToken ? `'${nameToken.text}' is not a tag name` : 'empty {% %} tag',
          });
          continue;
        }
        const name = nameToken.text;
        if (stops.has(name)) return { nodes, end: { name, token, parser } };
        if (this.closesOuter(name)) {
          this.index -= 1;
          return { nodes };
        }
        const node = this.block(name, token, parser, stops);
        if (node) nodes.push(node);
      }
    }
    return { nodes };
  }

  private output(token: TagToken): Node | undefined {
    const tokens = tokenize(this.source, token.innerStart, token.innerEnd);
    if (tokens.length === 0) {
      this.fail({
        offset: token.start,
        message: 'empty {{ }} tag',
        fix: 'write a variable, e.g. {{ first_name }}',
      });
      return undefined;
    }
    try {
      const parser = new ExprParser(this.source, tokens, token.innerEnd);
      const expr = parser.filterExpression({ spacedPipes: true });
      parser.expectEnd(`'${expr.text}'`);
      return { kind: 'output', expr, start: token.start };
    } catch (error) {
      if (error instanceof ParseFailure) this.fail(error.problem);
      else throw error;
      return undefined;
    }
  }

  private attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ParseFailure) {
        this.fail(error.problem);
        return undefined;
      }
      throw error;
    }
  }

  private block(
    name: string,
    token: TagToken,
    parser: ExprParser,
    stops: ReadonlySet<string>,
  ): Node | undefined {
    const start = token.start;
    switch (name) {
      case 'if':
        return this.ifBlock(token, parser);
      case 'for':
        return this.forBlock(token, parser);
      case 'catalog':
        return this.catalogBlock(token, parser);
      case 'comment':
      case 'verbatim': {
        const closeAt = this.rawUntil(CLOSERS[name]!);
        if (closeAt === undefined) {
          this.report(
            start,
            'error',
            `{% ${name} %} is never closed with {% ${CLOSERS[name]} %}`,
            `add {% ${CLOSERS[name]} %}`,
          );
          return undefined;
        }
        if (name === 'comment') return undefined;
        return { kind: 'text', value: this.source.slice(token.end, closeAt), start: token.end };
      }
      default:
        break;
    }
    const simple = SIMPLE_TAGS.get(name as KlaviyoTagName);
    if (simple) {
      const args: FilterExpression[] = [];
      const ok = this.attempt(() => {
        while (!parser.atEnd()) args.push(parser.filterExpression({ spacedPipes: false }));
        return true;
      });
      if (!ok) return undefined;
      if (args.length < simple.min || args.length > simple.max) {
        this.report(
          start,
          'error',
          simple.max === 0
            ? `{% ${name} %} takes no arguments`
            : `{% ${name} %} takes ${simple.min === simple.max ? simple.min : `${simple.min} to ${simple.max}`} argument${simple.max === 1 ? '' : 's'}`,
          `write ${simple.example}`,
        );
        return undefined;
      }
      return { kind: 'tag', name: name as KlaviyoTagName, args, start };
    }
    const opener = OPENER_OF[name];
    if (opener !== undefined) {
      const expected = [...stops].find((s) => s.startsWith('end'));
      this.report(
        start,
        'error',
        expected
          ? `{% ${name} %} does not belong here: {% ${expected} %} was expected first`
          : `{% ${name} %} has no matching {% ${opener} %}`,
        expected
          ? `close the inner block with {% ${expected} %} before this tag`
          : `remove it or add the {% ${opener} %}`,
      );
      return undefined;
    }
    if (UNSUPPORTED[name] !== undefined) {
      this.report(start, 'error', `unsupported tag {% ${name} %}`, UNSUPPORTED[name]);
      return undefined;
    }
    const close = didYouMean(name, [...SIMPLE_TAGS.keys(), ...BLOCK_TAGS]);
    this.report(
      start,
      'error',
      `unknown tag {% ${name} %}`,
      close !== undefined
        ? `did you mean {% ${close} %}?`
        : 'Klaviyo tags: if, for, catalog, unsubscribe, web_view, manage_preferences, coupon_code, current_year, …',
    );
    return undefined;
  }

  /** Skips to `{% close %}` without parsing what is between; the offset where that tag starts. */
  private rawUntil(close: string): number | undefined {
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index++]!;
      if (token.type !== 'block') continue;
      if (this.source.slice(token.innerStart, token.innerEnd).trim() === close) return token.start;
    }
    return undefined;
  }

  private unclosed(token: Token, opener: string): void {
    this.report(
      token.start,
      'error',
      `{% ${opener} %} at ${this.where(token.start)} is never closed with {% ${CLOSERS[opener]} %}`,
      `add {% ${CLOSERS[opener]} %} where the block ends`,
    );
  }

  private ifBlock(token: TagToken, parser: ExprParser): Node | undefined {
    let condition = this.attempt(() => parser.condition()) ?? NEVER;
    let branchStart = token.start;
    const branches: Array<{ condition: Condition; body: Node[]; start: number }> = [];
    for (;;) {
      const { nodes, end } = this.body(new Set(['elif', 'else', 'endif']));
      branches.push({ condition, body: nodes, start: branchStart });
      if (!end) {
        this.unclosed(token, 'if');
        return undefined;
      }
      if (end.name === 'elif') {
        const elifParser = end.parser;
        condition = this.attempt(() => elifParser.condition()) ?? NEVER;
        branchStart = end.token.start;
        continue;
      }
      if (end.name === 'else') {
        this.attempt(() => end.parser.expectEnd('else'));
        const rest = this.body(new Set(['endif', 'elif', 'else']));
        if (!rest.end) {
          this.unclosed(token, 'if');
          return undefined;
        }
        if (rest.end.name !== 'endif') {
          this.report(
            rest.end.token.start,
            'error',
            `{% ${rest.end.name} %} after {% else %}`,
            'move it before the {% else %}',
          );
        }
        return { kind: 'if', branches, otherwise: rest.nodes, start: token.start };
      }
      this.attempt(() => end.parser.expectEnd('endif'));
      return { kind: 'if', branches, start: token.start };
    }
  }

  private forBlock(token: TagToken, parser: ExprParser): Node | undefined {
    const header = this.attempt(() => {
      const targets: string[] = [];
      for (;;) {
        const target = parser.next();
        if (!target || target.type !== 'word' || target.text.includes('.') || target.text === 'in') {
          parser.fail('expected a loop variable name: {% for item in list %}', target);
        }
        targets.push(target.text);
        if (parser.peek()?.type === 'comma') {
          parser.next();
          continue;
        }
        break;
      }
      if (!parser.isWord('in')) parser.fail("expected 'in': {% for item in list %}", parser.peek());
      parser.next();
      const iterable = parser.filterExpression({ spacedPipes: false });
      let reversed = false;
      if (parser.isWord('reversed')) {
        parser.next();
        reversed = true;
      }
      parser.expectEnd('the loop');
      return { targets, iterable, reversed };
    });
    const { nodes, end } = this.body(new Set(['empty', 'endfor']));
    if (!end) {
      this.unclosed(token, 'for');
      return undefined;
    }
    let empty: Node[] | undefined;
    if (end.name === 'empty') {
      const rest = this.body(new Set(['endfor', 'empty']));
      if (!rest.end) {
        this.unclosed(token, 'for');
        return undefined;
      }
      if (rest.end.name === 'empty')
        this.report(rest.end.token.start, 'error', 'a second {% empty %} in one loop');
      empty = rest.nodes;
    }
    if (!header) return undefined;
    const node: Node = { kind: 'for', ...header, body: nodes, start: token.start };
    if (empty) node.empty = empty;
    return node;
  }

  private catalogBlock(token: TagToken, parser: ExprParser): Node | undefined {
    const header = this.attempt(() => {
      if (parser.atEnd()) parser.fail('expected a product id: {% catalog event.ProductID %}', undefined);
      const id = parser.filterExpression({ spacedPipes: false });
      const options: Record<string, FilterExpression> = {};
      while (!parser.atEnd()) {
        const key = parser.next()!;
        const assign = parser.next();
        if (key.type !== 'word' || assign?.type !== 'assign' || assign.spaceBefore) {
          parser.fail('expected an option like unpublished="cancel"', key);
        }
        const value = parser.peek();
        if (!value || value.spaceBefore)
          parser.fail(`expected a value after '${key.text}='`, value ?? assign);
        options[key.text] = parser.filterExpression({ spacedPipes: false });
      }
      return { id, options };
    });
    const { nodes, end } = this.body(new Set(['endcatalog']));
    if (!end) {
      this.unclosed(token, 'catalog');
      return undefined;
    }
    if (!header) return undefined;
    return { kind: 'catalog', id: header.id, options: header.options, body: nodes, start: token.start };
  }
}
