import { createHmac } from 'node:crypto';

/**
 * TikTok Shop Open API request signing (Partner API, 202309 versions). The signature covers the path, every query
 * parameter but `sign` and the access token, and the body bytes exactly as transmitted: re-serialising the body
 * after signing is the classic cause of error 106001, so callers pass the very string they send.
 */

/** Query keys never signed: the signature itself and the token, which travels in a header. */
export const UNSIGNED_QUERY_KEYS: ReadonlySet<string> = new Set([
  'sign',
  'access_token',
  'x-tts-access-token',
]);

export interface SignatureInput {
  appSecret: string;
  /** The URL path only, e.g. `/order/202309/orders/search`: no scheme, host or query. */
  path: string;
  /** Query parameters as sent (values decoded). Pairs keep repeated keys; a record is the common case. */
  query: Readonly<Record<string, string>> | Iterable<readonly [string, string]>;
  /** The request body exactly as transmitted; omit for GET, multipart uploads or an empty body. */
  body?: string | Uint8Array | undefined;
}

function queryPairs(query: SignatureInput['query']): Array<readonly [string, string]> {
  if (Symbol.iterator in query) return [...(query as Iterable<readonly [string, string]>)];
  return Object.entries(query as Record<string, string>);
}

/** Byte order of the UTF-8 keys, as PHP's ksort and .NET's ordinal comparer give for TikTok's ASCII keys. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The lowercase hex HMAC-SHA256, keyed with the app secret, of
 * `secret + path + Σ(key + value, sorted by key) + body + secret`.
 */
export function signRequest(input: SignatureInput): string {
  const signed = queryPairs(input.query)
    .filter(([key]) => !UNSIGNED_QUERY_KEYS.has(key))
    .sort(([a], [b]) => compareKeys(a, b));
  const hmac = createHmac('sha256', input.appSecret);
  hmac.update(input.appSecret, 'utf8');
  hmac.update(input.path, 'utf8');
  for (const [key, value] of signed) hmac.update(key + value, 'utf8');
  if (input.body !== undefined)
    hmac.update(typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body);
  hmac.update(input.appSecret, 'utf8');
  return hmac.digest('hex');
}
