import { type CallOptions, type ResourceContext } from './context.js';
import type { ProfileListItem, SubscribeBody } from './types.js';
export type ConsentChannel = 'email' | 'sms';
/** One person's consent to give: identifiers and, per channel, when they consented (for a historical import). */
export interface ConsentGrant {
    email?: string;
    /** E.164 (`+15005550006`); required for SMS consent. */
    phoneNumber?: string;
    profileId?: string;
    channels: Partial<Record<ConsentChannel, {
        consentedAt?: string;
    }>>;
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
    suppressions: Array<{
        reason: string;
        timestamp?: string;
    }>;
}
export interface ProfileConsent {
    profileId: string;
    email?: string;
    phoneNumber?: string;
    channels: Record<ConsentChannel, ChannelConsent>;
}
/**
 * The latest time the person said no on this channel: an unsubscribe, or an opt-out suppression. Undefined when
 * they never did. Compare it with the source's consent time before subscribing.
 */
export declare function lastOptOut(channel: ChannelConsent): string | undefined;
export declare function profileConsentOf(profile: ProfileListItem): ProfileConsent;
/** The subscribe body for up to 1,000 grants; `grants[i]` is what a pointer `/data/attributes/profiles/data/i` names. */
export declare function subscribeBody(grants: readonly ConsentGrant[], options?: SubscribeOptions): SubscribeBody;
export declare class ConsentApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /**
     * Subscribes up to 1,000 people (202, no job to poll). A 400 refuses them all and names the bad grants (read
     * them with `itemIndexesOf`). Subscribing lifts UNSUBSCRIBE, SPAM_REPORT and USER_SUPPRESSED suppressions:
     * check `lastOptOut` first.
     */
    subscribe(grants: readonly ConsentGrant[], options?: SubscribeOptions): Promise<void>;
    /** Current consent of the profiles with these emails, keyed by lower-cased email; unknown emails are absent. */
    byEmails(emails: readonly string[], options?: CallOptions): Promise<Map<string, ProfileConsent>>;
    /** Current consent of the profiles with these E.164 phone numbers, keyed by phone number. */
    byPhoneNumbers(phones: readonly string[], options?: CallOptions): Promise<Map<string, ProfileConsent>>;
    private lookup;
}
