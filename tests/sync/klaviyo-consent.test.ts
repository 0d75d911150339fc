import { expect, it } from 'vitest';
import { decideConsent } from '../../src/sync/consent-gate.js';
import { consentStateOf } from '../../src/sync/klaviyo-consent.js';
import type { SourceCustomer } from '../../src/sync/model.js';

const customer: SourceCustomer = {
  source: 'shop',
  from: { file: 'c.csv', line: 2 },
  identity: { email: 'a@example.com' },
  consent: {
    email: { state: 'granted', at: '2026-06-01T10:00:00Z', provenance: 'form' },
    sms: { state: 'unknown' },
  },
  properties: {},
};
const now = new Date('2026-12-01T00:00:00Z');

it("reads Klaviyo's subscriptions, zone-less timestamps as UTC, into the gate", () => {
  // Unsubscribed one minute after the source consent, written without a zone: still more recent.
  const later = consentStateOf({
    email: { marketing: { consent: 'UNSUBSCRIBED', consent_timestamp: '2026-06-01T10:01:00.000000' } },
  } as never);
  expect(later).toEqual({
    email: { consent: 'UNSUBSCRIBED', consentTimestamp: '2026-06-01T10:01:00.000000Z' },
  });
  expect(decideConsent(customer, { acceptUndatedConsent: false }, now, later).email).toMatchObject({
    action: 'skip',
    reason: 'opted-out-in-klaviyo',
  });
  const earlier = consentStateOf({
    email: {
      marketing: {
        consent: 'NEVER_SUBSCRIBED',
        suppression: [{ reason: 'USER_SUPPRESSED', timestamp: '2026-05-01T00:00:00+00:00' }],
      },
    },
  } as never);
  expect(decideConsent(customer, { acceptUndatedConsent: false }, now, earlier).email).toMatchObject({
    action: 'subscribe',
  });
  expect(consentStateOf({ email: { marketing: { consent: 'SOMETHING_NEW' } } } as never).email?.consent).toBe(
    'UNSUBSCRIBED',
  );
});
