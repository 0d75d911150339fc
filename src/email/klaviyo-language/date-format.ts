/**
 * Django's `date` format characters (`'F j, Y'`, `'D, d M Y'`), in UTC: previews have no recipient time zone.
 */
import { SafeString } from './values.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTHS_AP = [
  'Jan.',
  'Feb.',
  'March',
  'April',
  'May',
  'June',
  'July',
  'Aug.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A date from a Date, an ISO 8601 string (`2026-03-14`, `2026-03-14T09:30:00Z`, `2026-03-14 09:30:00`) or a Unix
 * timestamp in seconds. Anything else is undefined.
 */
export function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Klaviyo timestamps are seconds; a value this large can only be milliseconds.
    const date = new Date(Math.abs(value) > 1e11 ? value : value * 1000);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const text =
    typeof value === 'string' ? value.trim() : value instanceof SafeString ? value.value.trim() : undefined;
  if (text === undefined || text.length > 40) return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  let time = Date.UTC(
    Number(y),
    month - 1,
    day,
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.slice(0, 3).padEnd(3, '0')),
  );
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const date = new Date(time);
  // Reject 2026-02-31 and friends rather than rolling over.
  if (!zone && date.getUTCDate() !== day) return undefined;
  return date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isoWeek(date: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

function englishSuffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th';
}

function twelveHour(hours: number): number {
  return hours % 12 === 0 ? 12 : hours % 12;
}

function timeF(date: Date): string {
  const h = twelveHour(date.getUTCHours());
  const m = date.getUTCMinutes();
  return m === 0 ? String(h) : `${h}:${pad(m)}`;
}

function formatChar(c: string, date: Date): string | undefined {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const hours = date.getUTCHours();
  const weekday = date.getUTCDay();
  switch (c) {
    case 'a':
      return hours < 12 ? 'a.m.' : 'p.m.';
    case 'A':
      return hours < 12 ? 'AM' : 'PM';
    case 'b':
      return MONTHS[month]!.slice(0, 3).toLowerCase();
    case 'c':
      return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    case 'd':
      return pad(day);
    case 'D':
      return DAYS[weekday]!.slice(0, 3);
    case 'e':
      return '';
    case 'E':
    case 'F':
      return MONTHS[month];
    case 'f':
      return timeF(date);
    case 'g':
      return String(twelveHour(hours));
    case 'G':
      return String(hours);
    case 'h':
      return pad(twelveHour(hours));
    case 'H':
      return pad(hours);
    case 'i':
      return pad(date.getUTCMinutes());
    case 'I':
      return '0';
    case 'j':
      return String(day);
    case 'l':
      return DAYS[weekday];
    case 'L':
      return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 'True' : 'False';
    case 'm':
      return pad(month + 1);
    case 'M':
      return MONTHS[month]!.slice(0, 3);
    case 'n':
      return String(month + 1);
    case 'N':
      return MONTHS_AP[month];
    case 'o':
      return String(isoWeek(date).year);
    case 'O':
      return '+0000';
    case 'P':
      if (date.getUTCMinutes() === 0 && hours === 0) return 'midnight';
      if (date.getUTCMinutes() === 0 && hours === 12) return 'noon';
      return `${timeF(date)} ${hours < 12 ? 'a.m.' : 'p.m.'}`;
    case 'r':
      return `${DAYS[weekday]!.slice(0, 3)}, ${pad(day)} ${MONTHS[month]!.slice(0, 3)} ${year} ${pad(hours)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
    case 's':
      return pad(date.getUTCSeconds());
    case 'S':
      return englishSuffix(day);
    case 't':
      return String(new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
    case 'T':
      return 'UTC';
    case 'u':
      return pad(date.getUTCMilliseconds() * 1000, 6);
    case 'U':
      return String(Math.floor(date.getTime() / 1000));
    case 'w':
      return String(weekday);
    case 'W':
      return String(isoWeek(date).week);
    case 'y':
      return pad(year % 100);
    case 'Y':
      return String(year);
    case 'z':
      return String(Math.round((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1);
    case 'Z':
      return '0';
    default:
      return undefined;
  }
}

/** Formats with Django's format characters; `\` makes the next character literal. */
export function formatDate(date: Date, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i += 1) {
    const c = format[i]!;
    if (c === '\\') {
      i += 1;
      if (i < format.length) out += format[i];
      continue;
    }
    out += formatChar(c, date) ?? c;
  }
  return out;
}

/** Django's default DATE_FORMAT and TIME_FORMAT. */
export const DEFAULT_DATE_FORMAT = 'N j, Y';
export const DEFAULT_TIME_FORMAT = 'P';
