import { describe, expect, it } from 'vitest';
import {
  e164Phone,
  isRelayEmail,
  parseEmail,
  parseMoney,
  parseTimestamp,
} from '../../src/sync/text-values.js';

describe('export values', () => {
  it('reads Shopify and ISO timestamps to UTC, and refuses ones without a zone or impossible ones', () => {
    expect(parseTimestamp('2024-03-05 14:22:10 -0500')).toEqual({ ok: true, value: '2024-03-05T19:22:10Z' });
    expect(parseTimestamp('2024-03-05T14:22:10.250+05:30')).toEqual({
      ok: true,
      value: '2024-03-05T08:52:10Z',
    });
    expect(parseTimestamp('2024-03-05 14:22 UTC')).toEqual({ ok: true, value: '2024-03-05T14:22:00Z' });
    expect(parseTimestamp('2024-03-05 14:22:10').ok).toBe(false);
    expect(parseTimestamp('2024-13-05 14:22:10 Z').ok).toBe(false);
  });

  it('reads amounts with a decimal point only', () => {
    expect(parseMoney('12.5')).toEqual({ ok: true, value: 12.5 });
    expect(parseMoney('')).toEqual({ ok: true, value: 0 });
    expect(parseMoney('$12').ok).toBe(false);
  });

  it('accepts plain and internationalised emails, refuses what would fail a whole Klaviyo batch', () => {
    expect(parseEmail(' Ana@Example.COM ')).toEqual({ ok: true, value: 'ana@example.com' });
    expect(parseEmail('ana@example.xn--p1ai').ok).toBe(true);
    for (const bad of ['ana', 'ana@example', 'a b@example.com', 'ana@@example.com'])
      expect(parseEmail(bad).ok).toBe(false);
  });

  it('keeps E.164 phones only, after dropping typed formatting', () => {
    expect(e164Phone('+1 (415) 555-0100')).toBe('+14155550100');
    expect(e164Phone('0044 20 7946 0958')).toBe('+442079460958');
    expect(e164Phone('(415) 555-0100')).toBeUndefined();
    expect(e164Phone('+1 415 ***')).toBeUndefined();
  });

  it('knows TikTok relay domains, not TikTok itself', () => {
    expect(isRelayEmail('x@scs.tiktokw.us')).toBe(true);
    expect(isRelayEmail('x@scs3.tiktok.com')).toBe(true);
    expect(isRelayEmail('x@tiktok.com')).toBe(false);
  });
});
