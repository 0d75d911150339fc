import { describe, expect, it } from 'vitest';
import {
  countSkips,
  decideConsent,
  emptyTally,
  type KlaviyoConsentState,
} from '../../src/sync/consent-gate.js';
import type { SourceCustomer } from '../../src/sync/model.js';

const now = new Date('2026-12-01T00:00:00Z');
const dated = { acceptUndatedConsent: false };
const undatedOk = { acceptUndatedConsent: true };

function customer(overrides: Partial<SourceCustomer> = {}): SourceCustomer {
  return {
    source: 'shop',
    from: { file: 'customers.csv', line: 2 },
    identity: { email: 'ada@example.com', phone: '+1 415 555 0100' },
    consent: {
      email: { state: 'granted', at: '2026-06-01T00:00:00Z', provenance: 'checkout checkbox' },
      sms: { state: 'granted', at: '2026-06-01T00:00:00Z', provenance: 'checkout checkbox' },
    },
    properties: {},
    ...overrides,
  };
}

const reasonOf = (d: { action: string; reason?: string }) => (d.action === 'skip' ? d.reason : 'subscribe');

describe('the consent gate', () => {
  it('subscribes explicit, dated, attributed consent per channel, as a historical import', () => {
    const v = decideConsent(customer(), dated, now);
    expect(v.email).toEqual({
      action: 'subscribe',
      channel: 'email',
      address: 'ada@example.com',
      consentedAt: '2026-06-01T00:00:00Z',
      provenance: 'checkout checkbox',
    });
    expect(v.sms).toMatchObject({ action: 'subscribe', address: '+14155550100' });
  });

  it('needs consent stated for that channel: unknown and declined skip', () => {
    const v = decideConsent(
      customer({ consent: { email: { state: 'unknown' }, sms: { state: 'declined', provenance: 'x' } } }),
      dated,
      now,
    );
    expect([reasonOf(v.email), reasonOf(v.sms)]).toEqual(['no-consent', 'declined']);
  });

  it('needs provenance', () => {
    const v = decideConsent(
      customer({
        consent: { email: { state: 'granted', at: '2026-06-01T00:00:00Z' }, sms: { state: 'unknown' } },
      }),
      dated,
      now,
    );
    expect(reasonOf(v.email)).toBe('no-provenance');
  });

  it('uses a historical date only when real and past; undated consent only when the policy accepts it, without a date', () => {
    const undated = customer({
      consent: { email: { state: 'granted', provenance: 'csv' }, sms: { state: 'unknown' } },
    });
    expect(reasonOf(decideConsent(undated, dated, now).email)).toBe('consent-undated');
    const allowed = decideConsent(undated, undatedOk, now).email;
    expect(allowed).toMatchObject({ action: 'subscribe' });
    expect(allowed).not.toHaveProperty('consentedAt');
    const future = customer({
      consent: {
        email: { state: 'granted', at: '2027-01-01T00:00:00Z', provenance: 'x' },
        sms: { state: 'unknown' },
      },
    });
    expect(reasonOf(decideConsent(future, undatedOk, now).email)).toBe('consent-in-future');
  });

  it('never re-subscribes someone Klaviyo holds unsubscribed or suppressed more recently than the source consent', () => {
    const unsubscribedAfter: KlaviyoConsentState = {
      email: { consent: 'UNSUBSCRIBED', consentTimestamp: '2026-09-01T00:00:00Z' },
    };
    const unsubscribedBefore: KlaviyoConsentState = {
      email: { consent: 'UNSUBSCRIBED', consentTimestamp: '2026-01-01T00:00:00Z' },
    };
    const suppressedAfter: KlaviyoConsentState = {
      email: {
        consent: 'NEVER_SUBSCRIBED',
        suppressions: [{ reason: 'USER_SUPPRESSED', timestamp: '2026-07-01T00:00:00Z' }],
      },
    };
    const smsStopped: KlaviyoConsentState = {
      sms: { consent: 'UNSUBSCRIBED', consentTimestamp: '2026-08-01T00:00:00Z' },
    };
    expect(reasonOf(decideConsent(customer(), dated, now, unsubscribedAfter).email)).toBe(
      'opted-out-in-klaviyo',
    );
    expect(reasonOf(decideConsent(customer(), dated, now, suppressedAfter).email)).toBe(
      'opted-out-in-klaviyo',
    );
    expect(reasonOf(decideConsent(customer(), dated, now, smsStopped).sms)).toBe('opted-out-in-klaviyo');
    expect(reasonOf(decideConsent(customer(), dated, now, unsubscribedBefore).email)).toBe('subscribe');
    // Undated source consent cannot be newer than anything.
    const undated = customer({
      consent: { email: { state: 'granted', provenance: 'csv' }, sms: { state: 'unknown' } },
    });
    expect(reasonOf(decideConsent(undated, undatedOk, now, unsubscribedBefore).email)).toBe(
      'opted-out-in-klaviyo',
    );
    const bounced: KlaviyoConsentState = {
      email: {
        consent: 'UNSUBSCRIBED',
        suppressions: [{ reason: 'HARD_BOUNCE', timestamp: '2020-01-01T00:00:00Z' }],
      },
    };
    expect(reasonOf(decideConsent(customer(), dated, now, bounced).email)).toBe('undeliverable-in-klaviyo');
    expect(reasonOf(decideConsent(customer(), dated, now, { email: { consent: 'SUBSCRIBED' } }).email)).toBe(
      'already-subscribed',
    );
  });

  it('texts only E.164 numbers', () => {
    expect(
      reasonOf(
        decideConsent(customer({ identity: { email: 'a@b.co', phone: '(415) 555-0100' } }), dated, now).sms,
      ),
    ).toBe('phone-not-e164');
    expect(reasonOf(decideConsent(customer({ identity: { email: 'a@b.co' } }), dated, now).sms)).toBe(
      'no-phone',
    );
    expect(
      reasonOf(
        decideConsent(customer({ identity: { email: 'a@b.co', phone: "'+44 20 7946 0958" } }), dated, now)
          .sms,
      ),
    ).toBe('subscribe');
  });

  it('never subscribes a TikTok relay address, whatever the consent says', () => {
    for (const email of ['a1b2@scs.tiktokw.us', 'c3@scs3.tiktok.com', 'd4@scs2.tiktokw.eu']) {
      expect(reasonOf(decideConsent(customer({ identity: { email } }), undatedOk, now).email)).toBe(
        'relay-email',
      );
    }
    expect(
      reasonOf(decideConsent(customer({ identity: { email: 'fan@tiktok.com' } }), dated, now).email),
    ).toBe('subscribe');
    expect(reasonOf(decideConsent(customer({ identity: {} }), dated, now).email)).toBe('no-email');
  });

  it('counts every skip by channel and reason', () => {
    const tally = emptyTally();
    countSkips(tally, decideConsent(customer({ identity: { email: 'x@scs.tiktokw.us' } }), dated, now));
    countSkips(tally, decideConsent(customer({ identity: { email: 'y@scs.tiktokw.us' } }), dated, now));
    countSkips(tally, decideConsent(customer(), dated, now));
    expect(tally).toEqual({ email: { 'relay-email': 2 }, sms: { 'no-phone': 2 } });
  });
});
