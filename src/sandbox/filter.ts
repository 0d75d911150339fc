/**
 * Klaviyo's `?filter=` syntax: `equals(name,"x")`, `any(id,["a","b"])`, `greater-than(updated,2026-07-01T00:00:00Z)`,
 * comma-separated expressions ANDed, plus `and(...)`, `or(...)`, `not(...)`.
 */
import { invalid } from './errors.js';

export type FilterValue = string | number | boolean | null | FilterValue[];

export type FilterExpr =
  | { op: 'and' | 'or' | 'not'; args: FilterExpr[] }
  | { op: string; field: string; value?: FilterValue; quoted: boolean };

const COMBINATORS = new Set(['and', 'or', 'not']);

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw invalid(`Invalid filter provided: ${message} (at character ${this.pos} of '${this.text}').`, {
      parameter: 'filter',
    });
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpaces(): void {
    while (this.peek() === ' ') this.pos += 1;
  }

  expect(char: string): void {
    this.skipSpaces();
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.pos += 1;
  }

  done(): boolean {
    this.skipSpaces();
    return this.pos >= this.text.length;
  }

  /** expr (',' expr)* up to the end or a closing parenthesis. */
  list(): FilterExpr[] {
    const exprs = [this.expr()];
    this.skipSpaces();
    while (this.peek() === ',') {
      this.pos += 1;
      exprs.push(this.expr());
      this.skipSpaces();
    }
    return exprs;
  }

  expr(): FilterExpr {
    this.skipSpaces();
    const match = /^[a-z][a-z-]*/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected an operator such as equals(');
    const op = match[0];
    this.pos += op.length;
    this.expect('(');
    if (COMBINATORS.has(op)) {
      const args = this.list();
      this.expect(')');
      return { op: op as 'and' | 'or' | 'not', args };
    }
    this.skipSpaces();
    const field = this.bareToken();
    if (!field) this.fail('expected a field name');
    this.skipSpaces();
    let value: FilterValue | undefined;
    let quoted = false;
    if (this.peek() === ',') {
      this.pos += 1;
      this.skipSpaces();
      quoted = this.peek() === '"' || this.peek() === "'";
      value = this.value();
    }
    this.expect(')');
    return { op, field, ...(value !== undefined ? { value } : {}), quoted };
  }

  value(): FilterValue {
    this.skipSpaces();
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted(c);
    if (c === '[') {
      this.pos += 1;
      const items: FilterValue[] = [];
      this.skipSpaces();
      if (this.peek() === ']') {
        this.pos += 1;
        return items;
      }
      for (;;) {
        items.push(this.value());
        this.skipSpaces();
        if (this.peek() === ',') {
          this.pos += 1;
          continue;
        }
        this.expect(']');
        return items;
      }
    }
    const token = this.bareToken();
    if (!token) this.fail('expected a value');
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    return token; // datetimes are written unquoted
  }

  quoted(quote: string): string {
    this.pos += 1;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated string');
      this.pos += 1;
      if (c === '\\') {
        out += this.peek() ?? '';
        this.pos += 1;
      } else if (c === quote) return out;
      else out += c;
    }
  }

  bareToken(): string {
    const match = /^[^,()[\]"' ]+/.exec(this.text.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }
}

export function parseFilter(text: string): FilterExpr[] {
  const parser = new Parser(text);
  if (parser.done()) parser.fail('empty filter');
  const exprs = parser.list();
  if (!parser.done()) parser.fail('unexpected text');
  return exprs;
}

/** Field names and operators used anywhere in the expressions, to check them against what the operation allows. */
export function filterTerms(exprs: FilterExpr[]): Array<{ op: string; field: string }> {
  return exprs.flatMap((e) => ('args' in e ? filterTerms(e.args) : [{ op: e.op, field: e.field }]));
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

function compare(a: unknown, b: FilterValue): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (DATE_LIKE.test(a) && DATE_LIKE.test(b)) {
      const [ta, tb] = [Date.parse(a), Date.parse(b)];
      if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

function equals(a: unknown, b: FilterValue): boolean {
  if (Array.isArray(b)) return b.some((item) => equals(a, item));
  return compare(a, b) === 0 || a === b;
}

/** Evaluates the expressions (ANDed) against one object; `field` reads a field of it. */
export function matchesFilter(exprs: FilterExpr[], field: (name: string) => unknown): boolean {
  return exprs.every((e) => evaluate(e, field));
}

function evaluate(e: FilterExpr, field: (name: string) => unknown): boolean {
  if ('args' in e) {
    if (e.op === 'and') return e.args.every((a) => evaluate(a, field));
    if (e.op === 'or') return e.args.some((a) => evaluate(a, field));
    return !e.args.every((a) => evaluate(a, field));
  }
  const actual = field(e.field);
  const v = e.value ?? null;
  const cmp = (): number | undefined => compare(actual, v);
  switch (e.op) {
    case 'equals':
      return equals(actual, v);
    case 'any':
      return Array.isArray(v) && v.some((item) => equals(actual, item));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => equals(item, v));
      return typeof actual === 'string' && typeof v === 'string' && actual.includes(v);
    case 'contains-any':
      return (
        Array.isArray(actual) && Array.isArray(v) && v.some((item) => actual.some((a) => equals(a, item)))
      );
    case 'contains-all':
      return (
        Array.isArray(actual) && Array.isArray(v) && v.every((item) => actual.some((a) => equals(a, item)))
      );
    case 'starts-with':
      return typeof actual === 'string' && typeof v === 'string' && actual.startsWith(v);
    case 'ends-with':
      return typeof actual === 'string' && typeof v === 'string' && actual.endsWith(v);
    case 'greater-than':
      return (cmp() ?? 0) > 0 && cmp() !== undefined;
    case 'greater-or-equal':
      return cmp() !== undefined && cmp()! >= 0;
    case 'less-than':
      return cmp() !== undefined && cmp()! < 0;
    case 'less-or-equal':
      return cmp() !== undefined && cmp()! <= 0;
    case 'has':
      return actual !== undefined && actual !== null;
    default:
      throw invalid(`Invalid filter provided: unknown operator '${e.op}'.`, { parameter: 'filter' });
  }
}
