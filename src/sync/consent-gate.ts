/**
 * The one place that decides whether a sync may subscribe someone. Pure: a source customer, the brand's
 * policy and (when read) Klaviyo's current consent -> per channel, subscribe or skip with a reason code.
 * Subscribing in Klaviyo lifts unsubscribes and suppressions, so every doubt is a skip.
 */
import type { ChannelConsent, ConsentChannel, SourceCustomer } from './model.js';
import { e164Phone, isRelayEmail } from './text-values.js';

export type SkipReason =
  | 'no-email'
  | 'relay-email'
  | 'no-phone'
  | 'phone-not-e164'
  | 'no-consent'
  | 'declined'
  | 'no-provenance'
  | 'consent-undated'
  | 'consent-in-future'
  | 'opted-out-in-klaviyo'
  | 'undeliverable-in-klaviyo'
  | 'already-subscribed';

export type ChannelDecision =
  | {
      action: 'subscribe';
      channel: ConsentChannel;
      /** The email or E.164 phone to subscribe. */
      address: string;
      /** Set only with a real past consent date: the job then needs `historical_import: true`. */
      consentedAt?: string;
      provenance: string;
    }
  | { action: 'skip'; channel: ConsentChannel; reason: SkipReason; detail: string };

export interface ConsentPolicy {
  /** Whether a yes without a date (Shopify's CSV columns) may subscribe, through the list's double opt-in. */
  acceptUndatedConsent: boolean;
}

/** Klaviyo's view of one channel, from `additional-fields[profile]=subscriptions`. */
export interface KlaviyoChannelState {
  consent: 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'NEVER_SUBSCRIBED';
  consentTimestamp?: string;
  suppressions?: { reason: string; timestamp?: string }[];
}

export type KlaviyoConsentState = Partial<Record<ConsentChannel, KlaviyoChannelState>>;

export interface ConsentVerdict {
  email: ChannelDecision;
  sms: ChannelDecision;
}

export function decideConsent(
  customer: SourceCustomer,
  policy: ConsentPolicy,
  now: Date,
  klaviyo: KlaviyoConsentState = {},
): ConsentVerdict {
  return {
    email: decideChannel('email', customer, policy, now, klaviyo.email),
    sms: decideChannel('sms', customer, policy, now, klaviyo.sms),
  };
}

/** Suppressions a subscribe cannot lift: the address does not receive mail, consent or not. */
const UNDELIVERABLE = new Set(['HARD_BOUNCE', 'INVALID_EMAIL']);

function decideChannel(
  channel: ConsentChannel,
  customer: SourceCustomer,
  policy: ConsentPolicy,
  now: Date,
  klaviyo: KlaviyoChannelState | undefined,
): ChannelDecision {
  const skip = (reason: SkipReason, detail: string): ChannelDecision => ({
    action: 'skip',
    channel,
    reason,
    detail,
  });
  let address: string;
  if (channel === 'email') {
    const email = customer.identity.email;
    if (email === undefined) return skip('no-email', 'the source has no email');
    if (isRelayEmail(email))
      return skip('relay-email', `${email} is a marketplace relay address, never marketable`);
    address = email;
  } else {
    const phone = customer.identity.phone;
    if (phone === undefined) return skip('no-phone', 'the source has no phone');
    const e164 = e164Phone(phone);
    if (e164 === undefined)
      return skip('phone-not-e164', `'${phone}' is not an E.164 number (+ and country code)`);
    address = e164;
  }
  const consent: ChannelConsent = customer.consent[channel];
  if (consent.state === 'unknown') return skip('no-consent', `the source states no ${channel} consent`);
  if (consent.state === 'declined') return skip('declined', `the source says no to ${channel} marketing`);
  if (!consent.provenance)
    return skip('no-provenance', `the ${channel} consent does not say where it was given`);
  if (consent.at !== undefined && Date.parse(consent.at) > now.getTime())
    return skip('consent-in-future', `the ${channel} consent is dated ${consent.at}, after now`);
  if (consent.at === undefined && !policy.acceptUndatedConsent)
    return skip('consent-undated', `the ${channel} consent has no date and the policy requires one`);
  if (klaviyo) {
    const blocked = klaviyoBlock(klaviyo, consent.at);
    if (blocked) return skip(blocked.reason, blocked.detail);
  }
  const decision: ChannelDecision = { action: 'subscribe', channel, address, provenance: consent.provenance };
  if (consent.at !== undefined) decision.consentedAt = consent.at;
  return decision;
}

function klaviyoBlock(
  state: KlaviyoChannelState,
  sourceAt: string | undefined,
): { reason: SkipReason; detail: string } | undefined {
  const suppressions = state.suppressions ?? [];
  const undeliverable = suppressions.find((s) => UNDELIVERABLE.has(s.reason));
  if (undeliverable)
    return { reason: 'undeliverable-in-klaviyo', detail: `Klaviyo suppresses it: ${undeliverable.reason}` };
  // Opt-outs Klaviyo knows, with when. One the source consent does not post-date wins.
  const optOuts = suppressions.map((s) => ({ what: `suppressed (${s.reason})`, at: s.timestamp }));
  if (state.consent === 'UNSUBSCRIBED') optOuts.push({ what: 'unsubscribed', at: state.consentTimestamp });
  for (const optOut of optOuts) {
    const newer =
      sourceAt !== undefined && optOut.at !== undefined && Date.parse(sourceAt) > Date.parse(optOut.at);
    if (!newer)
      return {
        reason: 'opted-out-in-klaviyo',
        detail: `Klaviyo holds it ${optOut.what}${optOut.at ? ` since ${optOut.at}` : ''}, not before the source consent${sourceAt ? ` of ${sourceAt}` : ' (undated)'}`,
      };
  }
  if (state.consent === 'SUBSCRIBED' && optOuts.length === 0)
    return { reason: 'already-subscribed', detail: 'Klaviyo already holds it subscribed' };
  return undefined;
}

/** Skips counted by channel and reason, as the run reports them. */
export type SkipTally = Record<ConsentChannel, Partial<Record<SkipReason, number>>>;

export function emptyTally(): SkipTally {
  return { email: {}, sms: {} };
}

export function countSkips(tally: SkipTally, verdict: ConsentVerdict): void {
  for (const decision of [verdict.email, verdict.sms])
    if (decision.action === 'skip')
      tally[decision.channel][decision.reason] = (tally[decision.channel][decision.reason] ?? 0) + 1;
}
