/**
 * Klaviyo's view of a profile's consent (`additional-fields[profile]=subscriptions`) in the consent gate's
 * terms. Klaviyo writes these timestamps in UTC, sometimes without a zone; they are read as UTC, never as
 * the machine's local time.
 */
import type { KlaviyoSchemas } from '../klaviyo/index.js';
import type { KlaviyoChannelState, KlaviyoConsentState } from './consent-gate.js';

type Subscriptions = KlaviyoSchemas['schemas']['Subscriptions'];

export function consentStateOf(subscriptions: Subscriptions | null | undefined): KlaviyoConsentState {
  const state: KlaviyoConsentState = {};
  const email = subscriptions?.email?.marketing;
  const sms = subscriptions?.sms?.marketing;
  if (email) {
    const channel = channelState(email.consent, email.consent_timestamp);
    const suppressions = (email.suppression ?? []).map((s) => ({
      reason: s.reason,
      timestamp: utc(s.timestamp),
    }));
    if (suppressions.length > 0) channel.suppressions = suppressions;
    state.email = channel;
  }
  if (sms) state.sms = channelState(sms.consent, sms.consent_timestamp);
  return state;
}

function channelState(
  consent: string | undefined,
  timestamp: string | null | undefined,
): KlaviyoChannelState {
  // Anything Klaviyo may add later that is not a plain yes counts as an opt-out: the gate then skips.
  const known = consent === 'SUBSCRIBED' || consent === 'NEVER_SUBSCRIBED' ? consent : 'UNSUBSCRIBED';
  const channel: KlaviyoChannelState = { consent: known };
  const at = utc(timestamp);
  if (at !== undefined) channel.consentTimestamp = at;
  return channel;
}

function utc(timestamp: string | null | undefined): string | undefined {
  if (!timestamp) return undefined;
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(timestamp) ? timestamp : `${timestamp}Z`;
}
