/**
 * The filters Klaviyo's editor accepts: its own (lookup, floatadd, multiply, base64_encode, format_date_string,
 * missing_product_image, ...) and the built-in Django ones people use in emails, with Django's semantics.
 */
import { DEFAULT_DATE_FORMAT, DEFAULT_TIME_FORMAT, formatDate, parseDate } from './date-format.js';
import {
  SafeString,
  escapeHtml,
  isPlainObject,
  isTruthy,
  iterate,
  lengthOf,
  toInteger,
  toNumber,
  toText,
} from './values.js';

export interface FilterEnv {
  autoescape: boolean;
  /** Seeds `random`, so a preview is the same every time. */
  seed: number;
  /** Where the filter is written: part of `random`'s seed. */
  offset: number;
  /** The image `missing_product_image` substitutes. */
  missingProductImage: string;
}

export interface FilterSpec {
  arg: 'none' | 'optional' | 'required';
  /** An argument to show in "needs an argument" messages. */
  example?: string;
  apply(value: unknown, arg: unknown, env: FilterEnv): unknown;
}

const text = (value: unknown): string => toText(value);

function numeric(fn: (n: number, arg: unknown) => number | undefined): FilterSpec['apply'] {
  return (value, arg) => {
    const n = toNumber(value);
    if (n === undefined) return '';
    const result = fn(n, arg);
    return result === undefined || Number.isNaN(result) ? '' : result;
  };
}

/** Python's title(), then Django's fixes for apostrophes and digits. */
function titleCase(value: string): string {
  let out = '';
  let previousIsLetter = false;
  for (const ch of value) {
    const isLetter = ch.toLowerCase() !== ch.toUpperCase();
    out += isLetter ? (previousIsLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousIsLetter = isLetter;
  }
  return out
    .replace(/([a-z])'([A-Z])/g, (_, a: string, b: string) => `${a}'${b.toLowerCase()}`)
    .replace(/\d([A-Z])/g, (m) => m.toLowerCase());
}

/** Rounds the decimal written by `String(n)` half up, as Django's Decimal does: 2.675 -> 2.68. */
export function roundHalfUp(n: number, places: number): string {
  const negative = n < 0 || Object.is(n, -0);
  const [mantissa = '0', exponentText = '0'] = String(Math.abs(n)).split('e');
  const exponent = Number(exponentText);
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (digits.length < point + places + 1) digits = digits.padEnd(point + places + 1, '0');
  const keep = digits
    .slice(0, point + places)
    .split('')
    .map(Number);
  if (Number(digits[point + places]) >= 5) {
    let k = keep.length - 1;
    while (k >= 0 && keep[k] === 9) {
      keep[k] = 0;
      k -= 1;
    }
    if (k >= 0) keep[k]! += 1;
    else {
      keep.unshift(1);
      point += 1;
    }
  }
  const kept = keep.join('').padStart(point + places, '0');
  const intPart = kept.slice(0, kept.length - places).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = places > 0 ? kept.slice(kept.length - places) : '';
  const isZero = /^0*$/.test(intPart + fracPart);
  return `${negative && !isZero ? '-' : ''}${intPart}${places > 0 ? `.${fracPart}` : ''}`;
}

function groupThousands(formatted: string): string {
  const [intPart = '', fracPart] = formatted.split('.');
  const sign = intPart.startsWith('-') ? '-' : '';
  const digits = sign ? intPart.slice(1) : intPart;
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${grouped}${fracPart !== undefined ? `.${fracPart}` : ''}`;
}

function floatformat(value: unknown, arg: unknown): unknown {
  const n = toNumber(value);
  if (n === undefined || !Number.isFinite(n)) return '';
  let spec = arg === undefined ? '-1' : text(arg);
  let grouping = false;
  while (/[gu]$/.test(spec)) {
    if (spec.endsWith('g')) grouping = true;
    spec = spec.slice(0, -1);
  }
  if (spec === '') spec = '-1';
  const places = toInteger(spec);
  if (places === undefined) return value;
  let out: string;
  if (places < 0 && Number.isInteger(n)) out = roundHalfUp(n, 0);
  else if (places < 0 && roundHalfUp(n, -places).split('.')[1]!.replace(/0+$/, '') === '')
    out = roundHalfUp(n, 0);
  else out = roundHalfUp(n, Math.abs(places));
  return grouping ? groupThousands(out) : out;
}

/** Python slice syntax: `':3'`, `'1:'`, `'::2'`, `'-2:'`. */
function slice(value: unknown, arg: unknown): unknown {
  const items = typeof value === 'string' ? Array.from(value) : Array.isArray(value) ? value : undefined;
  if (!items) return value ?? '';
  const parts = text(arg).split(':');
  if (parts.length > 3) return value;
  const nums = parts.map((p) => (p.trim() === '' ? undefined : toInteger(p)));
  if (parts.some((p, i) => p.trim() !== '' && nums[i] === undefined)) return value;
  let result: unknown[];
  if (parts.length === 1) {
    const index = nums[0];
    if (index === undefined) return value;
    result = items.slice(index, index === -1 ? undefined : index + 1);
  } else {
    const step = nums[2] ?? 1;
    if (step === 0) return value;
    const len = items.length;
    const norm = (v: number | undefined, dflt: number): number => {
      if (v === undefined) return dflt;
      if (v < 0) return Math.max(step > 0 ? 0 : -1, v + len);
      return Math.min(v, step > 0 ? len : len - 1);
    };
    const start = norm(nums[0], step > 0 ? 0 : len - 1);
    const stop = norm(nums[1], step > 0 ? len : -1);
    result = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) result.push(items[i]);
  }
  return typeof value === 'string' ? result.join('') : result;
}

function stripTags(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('<', i);
    if (open === -1) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, open);
    const close = value.indexOf('>', open + 1);
    if (close === -1) {
      out += value.slice(open);
      break;
    }
    i = close + 1;
  }
  return out;
}

function urlencode(value: unknown, arg: unknown): string {
  const safe = arg === undefined ? '/' : text(arg);
  let out = '';
  for (const byte of Buffer.from(text(value), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out +=
      /[A-Za-z0-9_.\-~]/.test(ch) || (byte < 128 && safe.includes(ch))
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function base64Decode(value: unknown, urlSafe: boolean): string {
  let input = text(value).trim();
  if (urlSafe) input = input.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input)) return '';
  return Buffer.from(input, 'base64').toString('utf8');
}

function pluralize(value: unknown, arg: unknown): string {
  const spec = arg === undefined ? 's' : text(arg);
  if (spec.split(',').length > 2) return '';
  const [singular, plural] = spec.includes(',') ? (spec.split(',') as [string, string]) : ['', spec];
  const n = toNumber(value);
  if (n !== undefined && typeof value !== 'object') return n === 1 ? singular : plural;
  if (Array.isArray(value) || isPlainObject(value)) return lengthOf(value) === 1 ? singular : plural;
  return '';
}

function yesno(value: unknown, arg: unknown): string {
  const words = (arg === undefined ? 'yes,no,maybe' : text(arg)).split(',');
  if (words.length < 2) return text(value);
  const [yes, no, maybe = no] = words as [string, string, string?];
  if (value === null || value === undefined) return maybe!;
  return isTruthy(value) ? yes : no;
}

/** A deterministic pick: the same template and seed always choose the same item. */
function pick(value: unknown, env: FilterEnv): unknown {
  const items = iterate(value);
  if (!items || items.length === 0) return '';
  let hash = 2166136261 ^ env.seed;
  for (const ch of `${env.offset}:${items.length}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
  return items[(hash >>> 0) % items.length];
}

function lookup(value: unknown, arg: unknown): unknown {
  const key = arg instanceof SafeString ? arg.value : arg;
  if (Array.isArray(value)) {
    const index = toInteger(key);
    return index === undefined ? undefined : value[index < 0 ? value.length + index : index];
  }
  if (isPlainObject(value)) {
    const name = typeof key === 'number' ? String(key) : key;
    return typeof name === 'string' && Object.prototype.hasOwnProperty.call(value, name)
      ? value[name]
      : undefined;
  }
  return undefined;
}

function join(value: unknown, arg: unknown, env: FilterEnv): unknown {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? Array.from(value) : undefined;
  if (!items) return value ?? '';
  if (!env.autoescape) return items.map(text).join(text(arg));
  const piece = (v: unknown): string => (v instanceof SafeString ? v.value : escapeHtml(text(v)));
  return new SafeString(items.map(piece).join(piece(arg)));
}

function add(value: unknown, arg: unknown): unknown {
  const a = toInteger(value);
  const b = toInteger(arg);
  if (a !== undefined && b !== undefined && typeof value !== 'object' && typeof arg !== 'object')
    return a + b;
  if (typeof value === 'number' && typeof arg === 'number') return value + arg;
  if (typeof value === 'string' && typeof arg === 'string') return value + arg;
  if (Array.isArray(value) && Array.isArray(arg)) return [...value, ...arg];
  return '';
}

function dictsort(value: unknown, arg: unknown, reverse: boolean): unknown {
  if (!Array.isArray(value)) return '';
  const key = text(arg);
  const keyOf = (item: unknown): unknown => (isPlainObject(item) ? item[key] : undefined);
  const sorted = [...value].sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return text(x) < text(y) ? -1 : text(x) > text(y) ? 1 : 0;
  });
  return reverse ? sorted.reverse() : sorted;
}

function padTo(value: unknown, arg: unknown, where: 'left' | 'right' | 'center'): string {
  const s = text(value);
  const width = toInteger(arg) ?? 0;
  if (s.length >= width) return s;
  const total = width - s.length;
  if (where === 'left') return s + ' '.repeat(total);
  if (where === 'right') return ' '.repeat(total) + s;
  const left = Math.floor(total / 2) + (total % 2 && width % 2 ? 1 : 0);
  return ' '.repeat(left) + s + ' '.repeat(total - left);
}

const entries: Array<[string, FilterSpec]> = [
  ['default', { arg: 'required', example: "'there'", apply: (v, a) => (isTruthy(v) ? v : a) }],
  [
    'default_if_none',
    { arg: 'required', example: "'there'", apply: (v, a) => (v === null || v === undefined ? a : v) },
  ],
  ['lookup', { arg: 'required', example: "'Loyalty Points'", apply: lookup }],
  ['title', { arg: 'none', apply: (v) => titleCase(text(v)) }],
  ['upper', { arg: 'none', apply: (v) => text(v).toUpperCase() }],
  ['lower', { arg: 'none', apply: (v) => text(v).toLowerCase() }],
  ['capfirst', { arg: 'none', apply: (v) => text(v).charAt(0).toUpperCase() + text(v).slice(1) }],
  ['capitalize', { arg: 'none', apply: (v) => text(v).charAt(0).toUpperCase() + text(v).slice(1) }],
  ['floatformat', { arg: 'optional', apply: floatformat }],
  [
    'truncatechars',
    {
      arg: 'required',
      example: '20',
      apply: (v, a) => {
        const n = toInteger(a);
        const chars = Array.from(text(v));
        if (n === undefined || chars.length <= n) return text(v);
        return n < 1 ? '…' : chars.slice(0, n - 1).join('') + '…';
      },
    },
  ],
  [
    'truncatewords',
    {
      arg: 'required',
      example: '10',
      apply: (v, a) => {
        const n = toInteger(a);
        const words = text(v).trim().split(/\s+/).filter(Boolean);
        if (n === undefined || words.length <= n) return words.join(' ');
        return `${words.slice(0, Math.max(0, n)).join(' ')} …`;
      },
    },
  ],
  [
    'date',
    {
      arg: 'optional',
      apply: (v, a) => {
        const date = parseDate(v);
        return date ? formatDate(date, a === undefined ? DEFAULT_DATE_FORMAT : text(a)) : '';
      },
    },
  ],
  [
    'time',
    {
      arg: 'optional',
      apply: (v, a) => {
        const date = parseDate(v);
        return date ? formatDate(date, a === undefined ? DEFAULT_TIME_FORMAT : text(a)) : '';
      },
    },
  ],
  ['format_date_string', { arg: 'none', apply: (v) => parseDate(v) ?? '' }],
  ['length', { arg: 'none', apply: (v) => lengthOf(v) }],
  ['count', { arg: 'none', apply: (v) => lengthOf(v) }],
  ['join', { arg: 'required', example: "', '", apply: join }],
  ['first', { arg: 'none', apply: (v) => iterate(v)?.[0] ?? '' }],
  [
    'last',
    {
      arg: 'none',
      apply: (v) => {
        const items = iterate(v);
        return items && items.length > 0 ? items[items.length - 1] : '';
      },
    },
  ],
  ['add', { arg: 'required', example: '1', apply: add }],
  ['floatadd', { arg: 'required', example: '1.5', apply: numeric((n, a) => n + (toNumber(a) ?? NaN)) }],
  ['multiply', { arg: 'required', example: '2', apply: numeric((n, a) => n * (toNumber(a) ?? NaN)) }],
  ['abs', { arg: 'none', apply: numeric((n) => Math.abs(n)) }],
  ['ceil', { arg: 'none', apply: numeric((n) => Math.ceil(n)) }],
  ['at_least', { arg: 'required', example: '0', apply: numeric((n, a) => Math.max(n, toNumber(a) ?? NaN)) }],
  ['at_most', { arg: 'required', example: '100', apply: numeric((n, a) => Math.min(n, toNumber(a) ?? NaN)) }],
  [
    'divisibleby',
    {
      arg: 'required',
      example: '2',
      apply: (v, a) => {
        const n = toInteger(v);
        const d = toInteger(a);
        return n === undefined || !d ? false : n % d === 0;
      },
    },
  ],
  ['striptags', { arg: 'none', apply: (v) => stripTags(text(v)) }],
  ['cut', { arg: 'required', example: "' '", apply: (v, a) => text(v).split(text(a)).join('') }],
  ['slice', { arg: 'required', example: "':3'", apply: slice }],
  ['yesno', { arg: 'optional', apply: yesno }],
  ['pluralize', { arg: 'optional', apply: pluralize }],
  ['urlencode', { arg: 'optional', apply: urlencode }],
  [
    'escape',
    { arg: 'none', apply: (v) => (v instanceof SafeString ? v : new SafeString(escapeHtml(text(v)))) },
  ],
  ['force_escape', { arg: 'none', apply: (v) => new SafeString(escapeHtml(text(v))) }],
  ['safe', { arg: 'none', apply: (v) => new SafeString(text(v)) }],
  ['random', { arg: 'none', apply: (v, _a, env) => pick(v, env) }],
  ['base64_encode', { arg: 'none', apply: (v) => Buffer.from(text(v), 'utf8').toString('base64') }],
  ['base64_decode', { arg: 'none', apply: (v) => base64Decode(v, false) }],
  [
    'base64_url_safe_encode',
    { arg: 'none', apply: (v) => Buffer.from(text(v), 'utf8').toString('base64url') },
  ],
  ['base64_url_safe_decode', { arg: 'none', apply: (v) => base64Decode(v, true) }],
  [
    'missing_product_image',
    { arg: 'none', apply: (v, _a, env) => (isTruthy(v) ? v : env.missingProductImage) },
  ],
  ['append', { arg: 'required', example: "'…'", apply: (v, a) => text(v) + text(a) }],
  [
    'concat',
    {
      arg: 'required',
      example: 'other_list',
      apply: (v, a) => [...(iterate(v) ?? []), ...(iterate(a) ?? [])],
    },
  ],
  [
    'compact',
    { arg: 'none', apply: (v) => (Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined) : v) },
  ],
  ['make_list', { arg: 'none', apply: (v) => Array.from(text(v)) }],
  ['wordcount', { arg: 'none', apply: (v) => text(v).trim().split(/\s+/).filter(Boolean).length }],
  [
    'slugify',
    {
      arg: 'none',
      apply: (v) =>
        text(v)
          .normalize('NFKD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/[-\s]+/g, '-'),
    },
  ],
  [
    'linebreaksbr',
    {
      arg: 'none',
      apply: (v, _a, env) => {
        const s = v instanceof SafeString || !env.autoescape ? text(v) : escapeHtml(text(v));
        return new SafeString(s.replace(/\r\n|\r|\n/g, '<br>'));
      },
    },
  ],
  [
    'linebreaks',
    {
      arg: 'none',
      apply: (v, _a, env) => {
        const s = v instanceof SafeString || !env.autoescape ? text(v) : escapeHtml(text(v));
        const paragraphs = s.replace(/\r\n|\r/g, '\n').split(/\n{2,}/);
        return new SafeString(paragraphs.map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('\n\n'));
      },
    },
  ],
  [
    'addslashes',
    { arg: 'none', apply: (v) => text(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/'/g, "\\'") },
  ],
  ['ljust', { arg: 'required', example: '10', apply: (v, a) => padTo(v, a, 'left') }],
  ['rjust', { arg: 'required', example: '10', apply: (v, a) => padTo(v, a, 'right') }],
  ['center', { arg: 'required', example: '10', apply: (v, a) => padTo(v, a, 'center') }],
  ['dictsort', { arg: 'required', example: "'name'", apply: (v, a) => dictsort(v, a, false) }],
  ['dictsortreversed', { arg: 'required', example: "'name'", apply: (v, a) => dictsort(v, a, true) }],
];

export const FILTERS: ReadonlyMap<string, FilterSpec> = new Map(entries);
