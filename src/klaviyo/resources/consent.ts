/**
 * Marketing consent: bulk subscribe built from typed grants, and the current consent of profiles looked up by
 * email or phone (for a sync's rule never to re-subscribe someone who opted out later than the source says).
 */
import type { components } from '../generated/openapi.js';
import { PROFILE_LOOKUP_MAX_VALUES, SUBSCRIBE_MAX_PROFILES } from '../bulk/limits.js';
import { paginate } from '../pagination.js';
import { filter } from '../query.js';
import { callOptions, chunk, type CallOptions, type ResourceContext } from './context.js';
import type { ProfileListItem, SubscribeBody } from './types.js';

type S = components['schemas'];
type SubscribeProfile =
  S['SubscriptionCreateJobCreateQuery']['data']['attributes']['profiles']['data'][number];

export type ConsentChannel = 'email' | 'sms';

/** One person's consent to give: identifiers and, per channel, when they consented (for a historical import). */
export interface ConsentGrant {
  email?: string;
  /** E.164 (`+15005550006`); required for SMS consent. */
  phoneNumber?: string;
  profileId?: string;
  channels: Partial<Record<ConsentChannel, { consentedAt?: string }>>;
}

export interface SubscribeOptions extends CallOptions {
  /** Consent already collected elsewhere: no double opt-in, no "Added to list" flows; needs `consentedAt`. */
  historicalImport?: boolean;
  /** Stored on the consent records (the tool, source and run that subscribed). */
  customSource?: string;
  listId?: string;
}

/** A channel's consent as Klaviyo holds it now. */
export interface ChannelConsent {
  /** SUBSCRIBED, UNSUBSCRIBED or NEVER_SUBSCRIBED (others may come). */
  consent: string;
  canReceive: boolean;
  consentTimestamp?: string;
  lastUpdated?: string;
  method?: string;
  /** Email only: what blocks sending whatever the consent says (UNSUBSCRIBE, SPAM_COMPLAINT, HARD_BOUNCE, ...). */
  suppressions: Array<{ reason: string; timestamp?: string }>;
}

export interface ProfileConsent {
  profileId: string;
  email?: string;
  phoneNumber?: string;
  channels: Record<ConsentChannel, ChannelConsent>;
}

const OPT_OUT_SUPPRESSIONS = new Set(['UNSUBSCRIBE', 'SPAM_COMPLAINT', 'SPAM_REPORT', 'USER_SUPPRESSED']);

/**
 * The latest time the person said no on this channel: an unsubscribe, or an opt-out suppression. Undefined when
 * they never did. Compare it with the source's consent time before subscribing.
 */
export function lastOptOut(channel: ChannelConsent): string | undefined {
  const times = channel.suppressions
    .filter((s) => OPT_OUT_SUPPRESSIONS.has(s.reason))
    .map((s) => s.timestamp);
  if (channel.consent === 'UNSUBSCRIBED') times.push(channel.consentTimestamp ?? channel.lastUpdated);
  const known = times.filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  return known.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}

function channelConsent(marketing: unknown, channel: ConsentChannel): ChannelConsent {
  const m = (marketing ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const suppressions = Array.isArray(m.suppression) ? (m.suppression as Array<Record<string, unknown>>) : [];
  const consentTimestamp = text(m.consent_timestamp);
  const lastUpdated = text(m.last_updated);
  const method = text(m.method);
  return {
    consent: text(m.consent) ?? 'NEVER_SUBSCRIBED',
    canReceive: m[`can_receive_${channel}_marketing`] === true,
    ...(consentTimestamp ? { consentTimestamp } : {}),
    ...(lastUpdated ? { lastUpdated } : {}),
    ...(method ? { method } : {}),
    suppressions: suppressions.map((s) => ({
      reason: String(s.reason),
      ...(typeof s.timestamp === 'string' ? { timestamp: s.timestamp } : {}),
    })),
  };
}

export function profileConsentOf(profile: ProfileListItem): ProfileConsent {
  const a = profile.attributes;
  const subscriptions = (a.subscriptions ?? {}) as {
    email?: { marketing?: unknown };
    sms?: { marketing?: unknown };
  };
  return {
    profileId: profile.id ?? '',
    ...(a.email ? { email: a.email } : {}),
    ...(a.phone_number ? { phoneNumber: a.phone_number } : {}),
    channels: {
      email: channelConsent(subscriptions.email?.marketing, 'email'),
      sms: channelConsent(subscriptions.sms?.marketing, 'sms'),
    },
  };
}

function subscribeProfile(grant: ConsentGrant): SubscribeProfile {
  const subscriptions: SubscribeProfile['attributes']['subscriptions'] = {};
  const marketing = (at: { consentedAt?: string }) => ({
    consent: 'SUBSCRIBED' as const,
    ...(at.consentedAt !== undefined ? { consented_at: at.consentedAt } : {}),
  });
  if (grant.channels.email) subscriptions.email = { marketing: marketing(grant.channels.email) };
  if (grant.channels.sms) subscriptions.sms = { marketing: marketing(grant.channels.sms) };
  return {
    type: 'profile',
    ...(grant.profileId !== undefined ? { id: grant.profileId } : {}),
    attributes: {
      ...(grant.email !== undefined ? { email: grant.email } : {}),
      ...(grant.phoneNumber !== undefined ? { phone_number: grant.phoneNumber } : {}),
      subscriptions,
    },
  };
}

/** The subscribe body for up to 1,000 grants; `grants[i]` is what a pointer `/data/attributes/profiles/data/i` names. */
export function subscribeBody(
  grants: readonly ConsentGrant[],
  options: SubscribeOptions = {},
): SubscribeBody {
  if (grants.length === 0 || grants.length > SUBSCRIBE_MAX_PROFILES)
    throw new RangeError(
      `A bulk subscribe takes 1 to ${SUBSCRIBE_MAX_PROFILES} profiles, not ${grants.length}`,
    );
  return {
    data: {
      type: 'profile-subscription-bulk-create-job',
      attributes: {
        profiles: { data: grants.map(subscribeProfile) },
        ...(options.historicalImport ? { historical_import: true } : {}),
        ...(options.customSource !== undefined ? { custom_source: options.customSource } : {}),
      },
      ...(options.listId !== undefined
        ? { relationships: { list: { data: { type: 'list' as const, id: options.listId } } } }
        : {}),
    },
  };
}

export class ConsentApi {
  constructor(private readonly ctx: ResourceContext) {}

  /**
   * Subscribes up to 1,000 people (202, no job to poll). A 400 refuses them all and names the bad grants (read
   * them with `itemIndexesOf`). Subscribing lifts UNSUBSCRIBE, SPAM_REPORT and USER_SUPPRESSED suppressions:
   * check `lastOptOut` first.
   */
  async subscribe(grants: readonly ConsentGrant[], options: SubscribeOptions = {}): Promise<void> {
    await this.ctx.transport.request<undefined>({
      method: 'POST',
      path: '/api/profile-subscription-bulk-create-jobs',
      body: subscribeBody(grants, options),
      ...callOptions(options),
    });
  }

  /** Current consent of the profiles with these emails, keyed by lower-cased email; unknown emails are absent. */
  byEmails(emails: readonly string[], options?: CallOptions): Promise<Map<string, ProfileConsent>> {
    // Klaviyo keeps emails lower-cased; asking in the same form finds `Ada@…` as `ada@…`.
    const normalized = emails.map((email) => email.trim().toLowerCase());
    return this.lookup('email', normalized, (c) => c.email?.toLowerCase(), options);
  }

  /** Current consent of the profiles with these E.164 phone numbers, keyed by phone number. */
  byPhoneNumbers(phones: readonly string[], options?: CallOptions): Promise<Map<string, ProfileConsent>> {
    return this.lookup('phone_number', phones, (c) => c.phoneNumber, options);
  }

  private async lookup(
    field: 'email' | 'phone_number',
    values: readonly string[],
    keyOf: (consent: ProfileConsent) => string | undefined,
    options?: CallOptions,
  ): Promise<Map<string, ProfileConsent>> {
    const found = new Map<string, ProfileConsent>();
    for (const part of chunk([...new Set(values)], PROFILE_LOOKUP_MAX_VALUES)) {
      const query = {
        filter: filter.any(field, part),
        additionalFields: { profile: ['subscriptions'] },
        pageSize: PROFILE_LOOKUP_MAX_VALUES,
      };
      for await (const profile of paginate<ProfileListItem>(
        this.ctx.transport,
        '/api/profiles',
        query,
        callOptions(options),
      )) {
        const consent = profileConsentOf(profile);
        const key = keyOf(consent);
        if (key !== undefined) found.set(key, consent);
      }
    }
    return found;
  }
}
