import { createHash, randomBytes, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function pick(alphabet: string, byte: number): string {
  return alphabet[byte % alphabet.length]!;
}

/**
 * Klaviyo-like ids. Short ids start with a letter so they never look like array indexes (object key order
 * stays insertion order in the store).
 */
export const ids = {
  /** 6 alphanumerics, like flow, list, segment, template and metric ids (`XVTP5Q`). */
  short(): string {
    const bytes = randomBytes(6);
    let id = pick(UPPER, bytes[0]!);
    for (let i = 1; i < 6; i++) id += pick(ALPHANUMERIC, bytes[i]!);
    return id;
  },
  /** 26 Crockford base-32 characters, time-prefixed, like flow action, message and profile ids. */
  ulid(nowMs: number): string {
    let time = '';
    let t = Math.max(0, Math.floor(nowMs));
    for (let i = 0; i < 10; i++) {
      time = CROCKFORD[t % 32]! + time;
      t = Math.floor(t / 32);
    }
    const bytes = randomBytes(16);
    let random = '';
    for (const byte of bytes) random += pick(CROCKFORD, byte);
    return time + random;
  },
  /** Tag and tag-group ids are UUIDs. */
  uuid(): string {
    return randomUUID();
  },
};

/** The stable account id an unknown `pk_` key opens: same key, same account, across restarts. */
export function accountIdForKey(apiKey: string): string {
  const digest = createHash('sha256').update(apiKey).digest();
  let id = pick(UPPER, digest[0]!);
  for (let i = 1; i < 6; i++) id += pick(ALPHANUMERIC, digest[i]!);
  return id;
}
