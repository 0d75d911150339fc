/** The shape checks Klaviyo applies to profile identifiers before it accepts them. */

/** Loose on purpose: one `@`, no spaces, a dot in the domain (Klaviyo refuses `a@b`, `a b@c.d`, `@c.d`). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && EMAIL.test(value);
}

export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/** Klaviyo compares emails case-insensitively. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
