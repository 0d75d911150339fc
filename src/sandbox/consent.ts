/**
 * Marketing consent on a sandbox profile, shaped as Klaviyo reads it back with
 * `additional-fields[profile]=subscriptions`: per channel a consent value, its timestamp and method, and (email)
 * the suppressions that block sending whatever the consent says.
 */
import { obj, type JsonObject } from './json.js';
import type { ProfileRecord } from './store.js';

export type Channel = 'email' | 'sms';

/** Suppressions a subscribe lifts (Klaviyo names spam reports SPAM_REPORT in the call, SPAM_COMPLAINT on reads). */
const LIFTED_BY_SUBSCRIBE = new Set(['UNSUBSCRIBE', 'SPAM_REPORT', 'SPAM_COMPLAINT', 'USER_SUPPRESSED']);

/** The channel's `marketing` object on the profile, created when missing. */
export function marketingOf(profile: ProfileRecord, channel: Channel): JsonObject {
  const subscriptions = obj(profile.attributes.subscriptions);
  const channelState = obj(subscriptions[channel]);
  const marketing = obj(channelState.marketing);
  channelState.marketing = marketing;
  subscriptions[channel] = channelState;
  profile.attributes.subscriptions = subscriptions;
  return marketing;
}

export interface ConsentChange {
  consent: 'SUBSCRIBED' | 'UNSUBSCRIBED';
  /** When the person gave (or withdrew) consent; `now` unless a historical import says otherwise. */
  at: string;
  now: string;
  method?: string;
  methodDetail?: string | null;
}

/** Records a consent change on one channel; a subscribe lifts opt-out suppressions but never bounces. */
export function setConsent(profile: ProfileRecord, channel: Channel, change: ConsentChange): void {
  const marketing = marketingOf(profile, channel);
  if (channel === 'email') {
    const current = Array.isArray(marketing.suppression) ? marketing.suppression : [];
    marketing.suppression =
      change.consent === 'SUBSCRIBED'
        ? current.filter((s) => !LIFTED_BY_SUBSCRIBE.has(String(obj(s).reason)))
        : current;
  }
  const suppressed = Array.isArray(marketing.suppression) && marketing.suppression.length > 0;
  Object.assign(marketing, {
    consent: change.consent,
    consent_timestamp: change.at,
    last_updated: change.now,
    method: change.method ?? 'API',
    method_detail: change.methodDetail ?? null,
    [`can_receive_${channel}_marketing`]: change.consent === 'SUBSCRIBED' && !suppressed,
  });
}
