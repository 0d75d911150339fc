/** Replaces Klaviyo private keys in text that is about to leave the client (errors, log events). */
export type Redactor = (text: string) => string;

const PRIVATE_KEY_PATTERN = /\bpk_[A-Za-z0-9_-]{6,}/g;
export const REDACTED = '***';

export function createRedactor(apiKey: string): Redactor {
  return (text) => {
    let out = text;
    // The exact key first: it may not look like a `pk_` key (OAuth tokens, test keys).
    if (apiKey.length >= 4) out = out.split(apiKey).join(REDACTED);
    return out.replace(PRIVATE_KEY_PATTERN, `pk_${REDACTED}`);
  };
}

/** A deep copy of a JSON value with every string redacted; values that are not JSON are dropped. */
export function redactJson<T>(value: T, redact: Redactor): T {
  if (value === undefined) return value;
  try {
    return JSON.parse(
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v)),
    ) as T;
  } catch {
    return undefined as T;
  }
}
