/**
 * Parsing of the scalar values store exports write as text. Each parser returns a value or a reason, never a
 * guess: an ambiguous timestamp or amount is a bad row, not a silently shifted event.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i;

/** `2024-03-05 14:22:10 -0500` (Shopify) or ISO 8601 with a zone -> ISO 8601 UTC, to the second. */
export function parseTimestamp(text: string): Parsed<string> {
  const m = TIMESTAMP.exec(text.trim());
  if (!m)
    return { ok: false, reason: `'${text}' is not a timestamp with a time zone (2024-03-05 14:22:10 -0500)` };
  const [, y, mo, d, h, mi, s = '00', , zone = 'Z'] = m;
  const offset = /^(z|utc)$/i.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  const valid =
    !Number.isNaN(date.getTime()) && Number(mo) <= 12 && Number(d) <= 31 && Number(h) < 24 && Number(mi) < 60;
  if (!valid) return { ok: false, reason: `'${text}' is not a real date and time` };
  return { ok: true, value: date.toISOString().replace('.000Z', 'Z') };
}

const MONEY = /^-?\d+(\.\d+)?$/;

/** A decimal amount as exports write it (`12.50`); empty is zero, anything else is a bad value. */
export function parseMoney(text: string | undefined): Parsed<number> {
  const t = (text ?? '').trim();
  if (t === '') return { ok: true, value: 0 };
  if (!MONEY.test(t))
    return { ok: false, reason: `'${t}' is not an amount (digits with a '.' decimal point)` };
  return { ok: true, value: Math.round(Number(t) * 100) / 100 };
}

/** A positive whole number of items. */
export function parseQuantity(text: string | undefined): Parsed<number> {
  const t = (text ?? '').trim();
  if (!/^\d+$/.test(t) || Number(t) === 0)
    return { ok: false, reason: `'${t}' is not a quantity (a whole number from 1)` };
  return { ok: true, value: Number(t) };
}

/** Shopify writes yes/no (older exports true/false); empty means the export does not say. */
export function parseYesNo(text: string | undefined): Parsed<boolean | undefined> {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return { ok: true, value: undefined };
  if (t === 'yes' || t === 'true') return { ok: true, value: true };
  if (t === 'no' || t === 'false') return { ok: true, value: false };
  return { ok: false, reason: `'${text}' is neither yes nor no` };
}

// Deliberately plain: Klaviyo rejects a whole bulk request for one malformed email, so anything odd is caught
// here, per row, instead of there, per thousand.
const EMAIL = /^[^\s@",;<>()[\]\\]+@[^\s@",;<>()[\]\\]+\.([a-z]{2,}|xn--[a-z0-9-]+)$/i;

/** The email lower-cased, or a reason. Empty is `undefined` (no email), not an error. */
export function parseEmail(text: string | undefined): Parsed<string | undefined> {
  const t = (text ?? '').trim();
  if (t === '') return { ok: true, value: undefined };
  if (!EMAIL.test(t)) return { ok: false, reason: `'${t}' is not an email address` };
  return { ok: true, value: t.toLowerCase() };
}

/**
 * TikTok Shop hands out relay addresses instead of the buyer's email; they bounce after fulfilment and
 * TikTok's policy forbids marketing to them. Matched by domain so new regional relays are caught too.
 */
const RELAY_DOMAINS = [/(^|\.)scs\d*\.tiktokw\.[a-z]+$/, /(^|\.)scs\d*\.tiktok\.com$/];

export function isRelayEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return RELAY_DOMAINS.some((re) => re.test(domain));
}

/**
 * The phone in E.164 (`+` and 8-15 digits) after dropping the formatting people type (spaces, dashes, dots,
 * brackets, Excel's leading apostrophe), or undefined. National numbers without a country code are not
 * guessed: a wrong country would text a stranger.
 */
export function e164Phone(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  let t = phone
    .trim()
    .replace(/^'/, '')
    .replace(/[\s\-.()]/g, '');
  if (t.startsWith('00')) t = `+${t.slice(2)}`;
  return /^\+[1-9]\d{7,14}$/.test(t) ? t : undefined;
}

/** Comma-separated lists (tags, discount codes), trimmed, empties dropped. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Trimmed text, or undefined when empty. */
export function present(text: string | undefined): string | undefined {
  const t = (text ?? '').trim();
  return t === '' ? undefined : t;
}
