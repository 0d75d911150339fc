/**
 * Renders a parsed Klaviyo template with preview data, with Klaviyo's semantics: a missing variable prints
 * nothing and is false, output is HTML-escaped unless `|safe`, and Klaviyo's own tags become deterministic
 * placeholders (links to a preview host, a sample coupon code). Missing data is reported as warnings.
 */
import type { Condition, FilterExpression, KlaviyoTemplate, Node, Operand } from './ast.js';
import { formatDate } from './date-format.js';
import { FILTERS, type FilterEnv } from './filters.js';
import {
  SafeString,
  compareValues,
  contains,
  escapeHtml,
  isPlainObject,
  isTruthy,
  iterate,
  looseEquals,
  toNumber,
  toText,
} from './values.js';

export interface RenderOptions {
  /** HTML-escape output (Django's autoescape). Default true; false for subjects, text parts and SMS. */
  autoescape?: boolean;
  /** How link tags print: an `<a>` element (html) or `label: url` (text). Default html. */
  mode?: 'html' | 'text';
  /** Named in unresolved-variable warnings ("not in sample 'new-subscriber'"). */
  sampleName?: string;
  /** The clock for `{% current_year %}` and `{% now %}`. Default 2026-01-01T00:00:00Z, so previews are stable. */
  now?: Date;
  /** Seeds `|random`. Default 0. */
  seed?: number;
  /** Product fixtures for `{% catalog id %}`, by id. */
  catalog?: Readonly<Record<string, unknown>>;
  /** Codes for `{% coupon_code 'Name' %}`, by coupon name. */
  coupons?: Readonly<Record<string, string>>;
  /** Where placeholder links point. Default https://preview.invalid */
  linkBase?: string;
  /** For `{% currency_format %}`. Defaults USD and en-US. */
  currency?: string;
  locale?: string;
  /** Output beyond this many characters is cut off with a warning. Default 5,000,000. */
  maxOutputLength?: number;
}

export type RenderWarningKind = 'unresolved-variable' | 'catalog-item' | 'not-iterable' | 'output-limit';

export interface RenderWarning {
  kind: RenderWarningKind;
  file: string;
  line: number;
  col: number;
  /** The expression as written, e.g. `event.Items` or `person|lookup:'Loyalty Tier'`. */
  path: string;
  message: string;
}

export interface RenderResult {
  output: string;
  warnings: RenderWarning[];
}

export const DEFAULT_PREVIEW_NOW = new Date(Date.UTC(2026, 0, 1));
export const DEFAULT_LINK_BASE = 'https://preview.invalid';
const DEFAULTING = new Set(['default', 'default_if_none']);

const LINK_TAGS: Record<string, { path: string; label: string }> = {
  unsubscribe: { path: 'unsubscribe', label: 'Unsubscribe' },
  manage_preferences: { path: 'manage-preferences', label: 'Manage Preferences' },
  web_view: { path: 'web-view', label: 'View in browser' },
};

class OutputLimit extends Error {}

type Frame = Record<string, unknown>;

export function renderKlaviyoTemplate(
  template: KlaviyoTemplate,
  context: Readonly<Record<string, unknown>>,
  options: RenderOptions = {},
): RenderResult {
  const renderer = new Renderer(template, context, options);
  return renderer.run();
}

class Renderer {
  private readonly chunks: string[] = [];
  private length = 0;
  private readonly warnings: RenderWarning[] = [];
  private readonly warned = new Set<string>();
  private readonly frames: Frame[] = [];
  private readonly cycles = new Map<number, number>();
  private readonly autoescape: boolean;
  private readonly limit: number;
  private readonly base: string;
  private readonly env: FilterEnv;

  constructor(
    private readonly template: KlaviyoTemplate,
    private readonly context: Readonly<Record<string, unknown>>,
    private readonly options: RenderOptions,
  ) {
    this.autoescape = options.autoescape ?? true;
    this.limit = options.maxOutputLength ?? 5_000_000;
    this.base = (options.linkBase ?? DEFAULT_LINK_BASE).replace(/\/+$/, '');
    this.env = {
      autoescape: this.autoescape,
      seed: options.seed ?? 0,
      offset: 0,
      missingProductImage: `${this.base}/missing-product-image.png`,
    };
  }

  run(): RenderResult {
    try {
      this.nodes(this.template.nodes);
    } catch (error) {
      if (!(error instanceof OutputLimit)) throw error;
      this.warn('output-limit', 0, '', `the rendered output passed ${this.limit} characters and was cut off`);
    }
    return { output: this.chunks.join(''), warnings: this.warnings };
  }

  private write(text: string): void {
    this.length += text.length;
    if (this.length > this.limit) throw new OutputLimit();
    this.chunks.push(text);
  }

  private warn(kind: RenderWarningKind, offset: number, path: string, message: string): void {
    const key = `${kind}:${offset}:${path}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const at = this.template.locate(offset);
    this.warnings.push({ kind, file: at.file, line: at.line, col: at.col, path, message });
  }

  private missing(offset: number, path: string): void {
    const where =
      this.options.sampleName !== undefined
        ? `not in sample '${this.options.sampleName}'`
        : 'not in the preview data';
    this.warn('unresolved-variable', offset, path, `unresolved variable ${path} — ${where}`);
  }

  private nodes(nodes: readonly Node[]): void {
    for (const node of nodes) this.node(node);
  }

  private node(node: Node): void {
    switch (node.kind) {
      case 'text':
        this.write(node.value);
        return;
      case 'output':
        this.write(this.display(this.expression(node.expr, false)));
        return;
      case 'if': {
        for (const branch of node.branches) {
          if (this.condition(branch.condition)) {
            this.nodes(branch.body);
            return;
          }
        }
        if (node.otherwise) this.nodes(node.otherwise);
        return;
      }
      case 'for':
        this.loop(node);
        return;
      case 'catalog': {
        const id = toText(this.expression(node.id, false));
        const item =
          this.options.catalog && Object.prototype.hasOwnProperty.call(this.options.catalog, id)
            ? this.options.catalog[id]
            : undefined;
        if (item === undefined) {
          this.warn(
            'catalog-item',
            node.start,
            id,
            `catalog item '${id}' is not in the sample's catalog; the block renders empty`,
          );
          return;
        }
        this.frames.push({ catalog_item: item });
        try {
          this.nodes(node.body);
        } finally {
          this.frames.pop();
        }
        return;
      }
      case 'tag':
        this.write(this.tag(node));
        return;
    }
  }

  private display(value: unknown): string {
    if (value instanceof SafeString) return value.value;
    const text = toText(value);
    return this.autoescape ? escapeHtml(text) : text;
  }

  private loop(node: Extract<Node, { kind: 'for' }>): void {
    const value = this.expression(node.iterable, node.empty !== undefined);
    let items = iterate(value);
    if (items === undefined && value !== undefined && value !== null) {
      this.warn(
        'not-iterable',
        node.iterable.start,
        node.iterable.text,
        `${node.iterable.text} is not a list; the loop renders nothing`,
      );
    }
    if (!items || items.length === 0) {
      if (node.empty) this.nodes(node.empty);
      return;
    }
    if (node.reversed) items = [...items].reverse();
    const parent = this.lookupName('forloop');
    const count = items.length;
    for (let i = 0; i < count; i += 1) {
      const item = items[i];
      const frame: Frame = {
        forloop: {
          counter: i + 1,
          counter0: i,
          revcounter: count - i,
          revcounter0: count - i - 1,
          first: i === 0,
          last: i === count - 1,
          parentloop: parent ?? {},
        },
      };
      if (node.targets.length === 1) {
        frame[node.targets[0]!] = item;
      } else {
        const parts = iterate(item) ?? [];
        node.targets.forEach((name, k) => {
          frame[name] = parts[k];
        });
      }
      this.frames.push(frame);
      try {
        this.nodes(node.body);
      } finally {
        this.frames.pop();
      }
    }
  }

  private condition(condition: Condition): boolean {
    switch (condition.kind) {
      case 'or':
        return this.condition(condition.left) || this.condition(condition.right);
      case 'and':
        return this.condition(condition.left) && this.condition(condition.right);
      case 'not':
        return !this.condition(condition.operand);
      case 'test': {
        // `{% if event.coupon %}` tests whether a value exists: its absence is not worth a warning.
        const bare = condition.expr.filters.length === 0;
        return isTruthy(this.expression(condition.expr, bare));
      }
      case 'compare': {
        const left = this.expression(condition.left, false);
        const right = this.expression(condition.right, false);
        switch (condition.op) {
          case '==':
            return looseEquals(left, right);
          case '!=':
            return !looseEquals(left, right);
          case '<':
          case '>':
          case '<=':
          case '>=': {
            const c = compareValues(left, right);
            if (c === undefined) return false;
            return condition.op === '<'
              ? c < 0
              : condition.op === '>'
                ? c > 0
                : condition.op === '<='
                  ? c <= 0
                  : c >= 0;
          }
          case 'in':
            return contains(right, left);
          case 'not in':
            return !contains(right, left);
          case 'is':
            return identical(left, right);
          case 'is not':
            return !identical(left, right);
        }
      }
    }
  }

  /** Evaluates `operand|filter...`; `quiet` silences the unresolved-variable warning. */
  private expression(expr: FilterExpression, quiet: boolean): unknown {
    const filters = expr.filters;
    if (filters.length === 0) return this.operand(expr.operand, quiet);
    let defaultedFrom = -1;
    for (let k = 0; k < filters.length && defaultedFrom === -1; k += 1)
      if (DEFAULTING.has(filters[k]!.name)) defaultedFrom = k;
    let value = this.operand(expr.operand, quiet || defaultedFrom !== -1);
    for (let index = 0; index < filters.length; index += 1) {
      const filter = filters[index]!;
      const spec = FILTERS.get(filter.name);
      if (!spec) continue;
      const arg = filter.arg === undefined ? undefined : this.operand(filter.arg, false);
      this.env.offset = filter.start;
      try {
        value = spec.apply(value, arg, this.env);
      } catch {
        value = '';
      }
      if (
        filter.name === 'lookup' &&
        value === undefined &&
        !quiet &&
        (defaultedFrom === -1 || defaultedFrom < index)
      ) {
        this.missing(expr.start, writtenUpTo(expr, index));
      }
    }
    return value;
  }

  private operand(operand: Operand, quiet: boolean): unknown {
    if (operand.kind === 'literal') return operand.value;
    const [head, ...rest] = operand.path;
    let value = this.lookupName(head!);
    for (const part of rest) {
      if (value === undefined || value === null) break;
      value = member(value, part);
    }
    if (value === undefined && !quiet) this.missing(operand.start, operand.text);
    return value;
  }

  private lookupName(name: string): unknown {
    for (let k = this.frames.length - 1; k >= 0; k -= 1) {
      const frame = this.frames[k]!;
      if (Object.prototype.hasOwnProperty.call(frame, name)) return frame[name];
    }
    return Object.prototype.hasOwnProperty.call(this.context, name) ? this.context[name] : undefined;
  }

  private tag(node: Extract<Node, { kind: 'tag' }>): string {
    const args = node.args.map((a) => this.expression(a, false));
    const link = LINK_TAGS[node.name];
    if (link) {
      const url = `${this.base}/${link.path}`;
      const label = args.length > 0 ? toText(args[0]) : link.label;
      if (this.options.mode === 'text') return `${label}: ${url}`;
      return `<a href="${url}">${args[0] instanceof SafeString ? label : escapeHtml(label)}</a>`;
    }
    switch (node.name) {
      case 'unsubscribe_link':
      case 'unsubscribe_url':
        return `${this.base}/unsubscribe`;
      case 'manage_preferences_link':
        return `${this.base}/manage-preferences`;
      case 'web_view_link':
        return `${this.base}/web-view`;
      case 'current_year':
        return String((this.options.now ?? DEFAULT_PREVIEW_NOW).getUTCFullYear());
      case 'now':
        return this.display(formatDate(this.options.now ?? DEFAULT_PREVIEW_NOW, toText(args[0])));
      case 'coupon_code': {
        const name = toText(args[0]);
        const code =
          this.options.coupons?.[name] ??
          `PREVIEW-${
            name
              .toUpperCase()
              .replace(/[^A-Z0-9]+/g, '-')
              .replace(/^-|-$/g, '') || 'COUPON'
          }`;
        return this.display(code);
      }
      case 'currency_format': {
        const amount = toNumber(args[0]);
        if (amount === undefined) return '';
        try {
          return this.display(
            new Intl.NumberFormat(this.options.locale ?? 'en-US', {
              style: 'currency',
              currency: this.options.currency ?? 'USD',
            }).format(amount),
          );
        } catch {
          return this.display(amount.toFixed(2));
        }
      }
      case 'firstof':
        return this.display(args.find((a) => isTruthy(a)) ?? '');
      case 'cycle': {
        const turn = this.cycles.get(node.start) ?? 0;
        this.cycles.set(node.start, turn + 1);
        return this.display(args[turn % args.length]);
      }
      default:
        return '';
    }
  }
}

function identical(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  return x === y;
}

function member(value: unknown, key: string): unknown {
  const target = value instanceof SafeString ? value.value : value;
  if (Array.isArray(target) || typeof target === 'string') {
    if (!/^\d+$/.test(key)) return undefined;
    return target[Number(key)];
  }
  if (isPlainObject(target)) {
    if (Object.prototype.hasOwnProperty.call(target, key)) return target[key];
    // Django falls back from a dict key to the dict's methods: `for k, v in d.items`.
    if (key === 'items') return Object.entries(target);
    if (key === 'keys') return Object.keys(target);
    if (key === 'values') return Object.values(target);
  }
  return undefined;
}

/** `person|lookup:'Shoe Size'`: the expression as far as the filter at `index`, for messages. */
function writtenUpTo(expr: FilterExpression, index: number): string {
  let written = expr.operand.kind === 'variable' ? expr.operand.text : operandText(expr.operand);
  for (const filter of expr.filters.slice(0, index + 1)) {
    written += `|${filter.name}${filter.arg ? `:${operandText(filter.arg)}` : ''}`;
  }
  return written;
}

function operandText(operand: Operand): string {
  if (operand.kind === 'variable') return operand.text;
  if (typeof operand.value === 'string') return `'${operand.value}'`;
  return toText(operand.value);
}
