/**
 * Values as Klaviyo's (Python/Django) engine sees them: truthiness, `str()`, equality and ordering, and the
 * "safe" marking that turns off HTML escaping.
 */

/** A string that is already HTML (from `|safe`, `|escape` or a Klaviyo link tag): printed as is. */
export class SafeString {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof SafeString)
  );
}

/** Python truthiness; a missing value is falsy. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof SafeString) return value.value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's `str()`: what `{{ value }}` prints before escaping. A missing value prints nothing. */
export function toText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof SafeString) return value.value;
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof Date) return formatDateTime(value);
  return repr(value, 0);
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00:00`;
}

/** Python's `repr()`, used when a list or dict is printed. */
function repr(value: unknown, depth: number): string {
  if (depth > 8) return '...';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value instanceof SafeString) return repr(value.value, depth);
  if (Array.isArray(value)) return `[${value.map((v) => repr(v, depth + 1)).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${repr(k, depth + 1)}: ${repr(v, depth + 1)}`)
      .join(', ')}}`;
  }
  if (value === undefined) return 'None';
  return toText(value);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};

/** Django's `escape`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A number from a number, a boolean or a numeric string; undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = typeof value === 'string' ? value : value instanceof SafeString ? value.value : undefined;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Python's `int()`: floats truncate, strings must be whole numbers. */
export function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = typeof value === 'string' ? value : value instanceof SafeString ? value.value : undefined;
  if (text === undefined || !/^\s*[-+]?\d+\s*$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}

function unwrap(value: unknown): unknown {
  if (value instanceof SafeString) return value.value;
  return value === undefined ? null : value;
}

/** Python's `==` (a missing value is None). */
export function looseEquals(a: unknown, b: unknown): boolean {
  const x = unwrap(a);
  const y = unwrap(b);
  if (x === null || y === null) return x === y;
  const xn = typeof x === 'number' || typeof x === 'boolean';
  const yn = typeof y === 'number' || typeof y === 'boolean';
  if (xn && yn) return Number(x) === Number(y);
  if (typeof x === 'string' && typeof y === 'string') return x === y;
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => looseEquals(v, y[i]));
  }
  if (isPlainObject(x) && isPlainObject(y)) {
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => k in y && looseEquals(x[k], y[k]));
  }
  return false;
}

/** Python ordering: negative, zero or positive; undefined when Python would raise (Django's `if` is then false). */
export function compareValues(a: unknown, b: unknown): number | undefined {
  const x = unwrap(a);
  const y = unwrap(b);
  const xn = typeof x === 'number' || typeof x === 'boolean';
  const yn = typeof y === 'number' || typeof y === 'boolean';
  if (xn && yn) return Math.sign(Number(x) - Number(y));
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (x instanceof Date && y instanceof Date) return Math.sign(x.getTime() - y.getTime());
  if (Array.isArray(x) && Array.isArray(y)) {
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      if (looseEquals(x[i], y[i])) continue;
      return compareValues(x[i], y[i]);
    }
    return Math.sign(x.length - y.length);
  }
  return undefined;
}

/** Python's `in`. */
export function contains(container: unknown, item: unknown): boolean {
  const c = unwrap(container);
  if (typeof c === 'string') {
    const needle = unwrap(item);
    return typeof needle === 'string' && c.includes(needle);
  }
  if (Array.isArray(c)) return c.some((v) => looseEquals(v, item));
  if (isPlainObject(c)) {
    const key = unwrap(item);
    return typeof key === 'string' && Object.prototype.hasOwnProperty.call(c, key);
  }
  return false;
}

/** The items a `for` loop visits: a list's items, a string's characters, a dict's keys. */
export function iterate(value: unknown): unknown[] | undefined {
  const v = value instanceof SafeString ? value.value : value;
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isPlainObject(v)) return Object.keys(v);
  return undefined;
}

/** Length as Django's `length` sees it (0 for what has none). */
export function lengthOf(value: unknown): number {
  const v = value instanceof SafeString ? value.value : value;
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  return 0;
}
