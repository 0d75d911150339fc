/**
 * Expressions inside tags: filter expressions (`person|lookup:'Loyalty Points'|default:0`) and `if` conditions
 * (`a > 1 and not b in c`). A small tokenizer and a recursive-descent parser following Django's rules: no space
 * after `:`, operators in conditions separated by spaces, no parentheses, precedence or < and < not < comparisons.
 */
import type { ComparisonOperator, Condition, FilterCall, FilterExpression, Operand } from './ast.js';
import { didYouMean } from '../../project/diagnostics.js';
import { FILTERS } from './filters.js';

export interface ExprToken {
  type: 'string' | 'number' | 'word' | 'op' | 'pipe' | 'colon' | 'comma' | 'assign' | 'paren' | 'bad';
  text: string;
  start: number;
  end: number;
  /** Whitespace separates it from the previous token (or it is the first). */
  spaceBefore: boolean;
  value?: string | number;
}

export interface ExprProblem {
  offset: number;
  message: string;
  fix?: string;
}

const WORD_CHAR_UNICODE = /[\p{L}\p{N}]/u;

/** Django's `\w` plus `.` (paths) and `$` (caught later with a lookup hint); ASCII without a regex. */
function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 95 ||
      code === 46 ||
      code === 36
    );
  }
  return WORD_CHAR_UNICODE.test(c);
}
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function tokenize(source: string, start: number, end: number): ExprToken[] {
  const tokens: ExprToken[] = [];
  let i = start;
  let space = true;
  while (i < end) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      space = true;
      i += 1;
      continue;
    }
    const tokenStart = i;
    let type: ExprToken['type'];
    let value: string | number | undefined;
    if (c === '"' || c === "'") {
      let text = '';
      let k = i + 1;
      let closed = false;
      while (k < end) {
        const d = source[k]!;
        if (d === '\\' && k + 1 < end) {
          text += source[k + 1];
          k += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          k += 1;
          break;
        }
        text += d;
        k += 1;
      }
      type = closed ? 'string' : 'bad';
      value = text;
      i = k;
    } else if (isWordChar(c) || (c === '-' && i + 1 < end && /[\d.]/.test(source[i + 1]!))) {
      let k = i + 1;
      while (k < end && isWordChar(source[k]!)) k += 1;
      const text = source.slice(i, k);
      if (NUMBER.test(text)) {
        type = 'number';
        value = Number(text);
      } else {
        type = 'word';
      }
      i = k;
    } else if (
      source.startsWith('==', i) ||
      source.startsWith('!=', i) ||
      source.startsWith('<=', i) ||
      source.startsWith('>=', i)
    ) {
      type = 'op';
      i += 2;
    } else if (c === '<' || c === '>') {
      type = 'op';
      i += 1;
    } else if (c === '=') {
      type = 'assign';
      i += 1;
    } else if (c === '|') {
      type = 'pipe';
      i += 1;
    } else if (c === ':') {
      type = 'colon';
      i += 1;
    } else if (c === ',') {
      type = 'comma';
      i += 1;
    } else if (c === '(' || c === ')') {
      type = 'paren';
      i += 1;
    } else {
      type = 'bad';
      i += 1;
    }
    const token: ExprToken = {
      type,
      text: source.slice(tokenStart, i),
      start: tokenStart,
      end: i,
      spaceBefore: space,
    };
    if (value !== undefined) token.value = value;
    tokens.push(token);
    space = false;
  }
  return tokens;
}

export class ParseFailure extends Error {
  constructor(readonly problem: ExprProblem) {
    super(problem.message);
  }
}

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is']);

/** A cursor over the tokens of one tag. Methods throw ParseFailure with the offset of the problem. */
export class ExprParser {
  private pos = 0;

  constructor(
    readonly source: string,
    readonly tokens: ExprToken[],
    /** Where the tag's content ends, for "expected ... at the end" messages. */
    readonly end: number,
  ) {}

  peek(offset = 0): ExprToken | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): ExprToken | undefined {
    const token = this.tokens[this.pos];
    if (token) this.pos += 1;
    return token;
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  isWord(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'word' && token.text === text;
  }

  fail(message: string, at?: ExprToken, fix?: string): never {
    const problem: ExprProblem = { offset: at?.start ?? this.end, message };
    if (fix !== undefined) problem.fix = fix;
    throw new ParseFailure(problem);
  }

  expectEnd(what: string): void {
    const extra = this.peek();
    if (extra) {
      this.fail(
        `unexpected '${excerpt(this.source.slice(extra.start, this.end))}' after ${what}`,
        extra,
        'remove it, or check for a missing operator or a space inside a filter',
      );
    }
  }

  /**
   * `operand|filter:arg...`. Inside `{% %}` tags Django splits on spaces, so there a filter must touch its `|`;
   * in `{{ }}` spaces around `|` are allowed.
   */
  filterExpression(options: { spacedPipes: boolean }): FilterExpression {
    const first = this.peek();
    const operand = this.operand('a value');
    const filters: FilterCall[] = [];
    let last = this.tokens[this.pos - 1]!;
    while (this.peek()?.type === 'pipe') {
      const pipe = this.next()!;
      const name = this.next();
      if (!options.spacedPipes && (pipe.spaceBefore || name?.spaceBefore)) {
        this.fail(
          "no spaces around '|' inside a {% %} tag",
          pipe,
          `write ${last.text}|${name?.text ?? 'filter'}`,
        );
      }
      if (!name || name.type !== 'word' || name.text.includes('.') || name.text.includes('$')) {
        this.fail("expected a filter name after '|'", name ?? pipe);
      }
      const spec = FILTERS.get(name.text);
      if (!spec) {
        this.fail(`unknown filter '${name.text}'`, name, filterSuggestion(name.text));
      }
      const call: FilterCall = { name: name.text, start: name.start };
      last = name;
      const colon = this.peek();
      if (colon?.type === 'colon') {
        if (colon.spaceBefore)
          this.fail("no space before ':' in a filter argument", colon, `write ${name.text}:…`);
        this.next();
        const arg = this.peek();
        if (!arg || arg.spaceBefore) {
          this.fail("no space after ':' in a filter argument", arg ?? colon, `write ${name.text}:'value'`);
        }
        call.arg = this.operand(`an argument for '${name.text}'`);
        last = this.tokens[this.pos - 1]!;
      }
      if (spec.arg === 'required' && call.arg === undefined) {
        this.fail(
          `the filter '${name.text}' needs an argument`,
          name,
          `write ${name.text}:${spec.example ?? "'…'"}`,
        );
      }
      if (spec.arg === 'none' && call.arg !== undefined) {
        this.fail(`the filter '${name.text}' takes no argument`, colon, `write |${name.text}`);
      }
      filters.push(call);
    }
    const start = first!.start;
    return { operand, filters, start, text: this.source.slice(start, last.end) };
  }

  private operand(what: string): Operand {
    const token = this.next();
    if (!token) this.fail(`expected ${what}`);
    switch (token.type) {
      case 'string':
        return { kind: 'literal', value: String(token.value), start: token.start };
      case 'number':
        return { kind: 'literal', value: Number(token.value), start: token.start };
      case 'word':
        return wordOperand(this, token);
      case 'bad':
        if (token.text.startsWith('"') || token.text.startsWith("'")) {
          this.fail('this string is never closed', token, `end it with ${token.text[0]}`);
        }
        this.fail(`unexpected character '${token.text}'`, token);
      // falls through (fail never returns)
      default:
        if (token.type === 'paren') {
          this.fail(
            'parentheses are not supported in Klaviyo conditions',
            token,
            'rely on precedence (not, then and, then or) or split the condition into nested {% if %} tags',
          );
        }
        this.fail(`expected ${what}, found '${token.text}'`, token);
    }
  }

  /** A whole `if` condition. */
  condition(): Condition {
    const condition = this.or();
    this.expectEnd('the condition');
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Condition {
    if (this.isWord('not') && !this.isWord('in', 1)) {
      this.next();
      return { kind: 'not', operand: this.not() };
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const next = this.peek();
    if (next?.type === 'word' && KEYWORDS.has(next.text)) {
      this.fail(`expected a value, found '${next.text}'`, next);
    }
    const left: FilterExpression = this.filterExpression({ spacedPipes: false });
    const op = this.comparisonOperator();
    if (op === undefined) return { kind: 'test', expr: left };
    const right = this.filterExpression({ spacedPipes: false });
    const again = this.peek();
    if (
      again &&
      ((again.type === 'op' && COMPARISONS.has(again.text)) || this.isWord('in') || this.isWord('is'))
    ) {
      this.fail('comparisons cannot be chained', again, 'join two comparisons with and');
    }
    return { kind: 'compare', op, left, right };
  }

  private comparisonOperator(): ComparisonOperator | undefined {
    const token = this.peek();
    if (!token) return undefined;
    if (token.type === 'op' && COMPARISONS.has(token.text)) {
      const after = this.peek(1);
      if (!token.spaceBefore || (after && !after.spaceBefore)) {
        this.fail(`put spaces around '${token.text}'`, token, `write a ${token.text} b`);
      }
      this.next();
      return token.text as ComparisonOperator;
    }
    if (token.type === 'assign') this.fail("'=' is not a comparison", token, "use '=='");
    if (this.isWord('in')) {
      this.next();
      return 'in';
    }
    if (this.isWord('not') && this.isWord('in', 1)) {
      this.next();
      this.next();
      return 'not in';
    }
    if (this.isWord('is')) {
      this.next();
      if (this.isWord('not')) {
        this.next();
        return 'is not';
      }
      return 'is';
    }
    return undefined;
  }
}

function wordOperand(parser: ExprParser, token: ExprToken): Operand {
  const text = token.text;
  if (text === 'True') return { kind: 'literal', value: true, start: token.start };
  if (text === 'False') return { kind: 'literal', value: false, start: token.start };
  if (text === 'None') return { kind: 'literal', value: null, start: token.start };
  const path = text.split('.');
  const dollar = path.findIndex((p) => p.includes('$'));
  if (dollar !== -1) {
    const base = path.slice(0, Math.max(1, dollar)).join('.');
    parser.fail(
      `'${path[dollar]}' cannot be reached with a dot`,
      token,
      `write ${base}|lookup:'${path.slice(dollar).join('.')}'`,
    );
  }
  if (path.some((p) => p === '')) parser.fail(`'${text}' is not a valid variable name`, token);
  const underscore = path.find((p) => p.startsWith('_'));
  if (underscore !== undefined) {
    parser.fail(
      `variables and attributes may not begin with an underscore ('${underscore}')`,
      token,
      `write ${path[0] === underscore ? 'the object' : path.slice(0, path.indexOf(underscore)).join('.')}|lookup:'${underscore}'`,
    );
  }
  return { kind: 'variable', path, text, start: token.start };
}

function filterSuggestion(name: string): string {
  const close = didYouMean(name, FILTERS.keys());
  return close !== undefined
    ? `did you mean '${close}'?`
    : 'see the Klaviyo filter glossary for the filters Klaviyo supports';
}

/** The start of some template text for a message: its first line, at most 40 characters. */
function excerpt(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > 40 || line.length < text.trim().length ? `${line.slice(0, 40)}…` : line;
}
