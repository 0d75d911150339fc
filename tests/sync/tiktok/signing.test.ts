import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/sync/tiktok/signing.js';

// TikTok's signing guide example; the digest was computed independently from the written algorithm.
const VECTOR = {
  appSecret: 'e59af819cc',
  path: '/event/202309/webhooks',
  query: { app_key: '68xu9ks5p4i8', shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK', timestamp: '1696909648' },
  body: '{"address":"https://partner.tiktokshop.com","event_type": "PACKAGE_UPDATE"}',
};
const VECTOR_SIGN = 'f7ca36a232c721e1ec037d357b5dc51aa7dceda28b119d37122adaa3fb7dd6ca';

describe('signRequest', () => {
  it("matches the test vector of TikTok's signing guide", () => {
    expect(signRequest(VECTOR)).toBe(VECTOR_SIGN);
  });

  it('signs the body as raw bytes: a string and its UTF-8 bytes agree, one space more does not', () => {
    expect(signRequest({ ...VECTOR, body: new TextEncoder().encode(VECTOR.body) })).toBe(VECTOR_SIGN);
    expect(signRequest({ ...VECTOR, body: VECTOR.body.replace('": "', '":"') })).not.toBe(VECTOR_SIGN);
  });

  it('leaves sign, access_token and x-tts-access-token out of the signature', () => {
    const query = { ...VECTOR.query, sign: 'old', access_token: 'tok', 'x-tts-access-token': 'tok' };
    expect(signRequest({ ...VECTOR, query })).toBe(VECTOR_SIGN);
  });

  it('does not depend on the order the query is given in, and signs every other key', () => {
    const reversed = Object.entries(VECTOR.query).reverse();
    expect(signRequest({ ...VECTOR, query: reversed })).toBe(VECTOR_SIGN);
    expect(signRequest({ ...VECTOR, query: { ...VECTOR.query, page_size: '50' } })).not.toBe(VECTOR_SIGN);
  });

  it('sorts keys by byte order (uppercase before lowercase), not by locale', () => {
    // Pairs are concatenated with nothing between them, so {a:1, B:2} signs exactly like one key "B" = "2a1" in
    // byte order ("B" is 0x42, "a" is 0x61), and like "a" = "1B2" in locale order.
    const base = { ...VECTOR, body: undefined };
    const signed = signRequest({ ...base, query: { a: '1', B: '2' } });
    expect(signed).toBe(signRequest({ ...base, query: { B: '2a1' } }));
    expect(signed).not.toBe(signRequest({ ...base, query: { a: '1B2' } }));
  });

  it('covers the path and the secret', () => {
    expect(signRequest({ ...VECTOR, path: '/event/202309/webhooks/' })).not.toBe(VECTOR_SIGN);
    expect(signRequest({ ...VECTOR, appSecret: 'e59af819cd' })).not.toBe(VECTOR_SIGN);
  });
});
