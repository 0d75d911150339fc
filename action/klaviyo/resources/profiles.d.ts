import { type QueryOptions } from '../query.js';
import { type CallOptions, type CreateOptions, type ResourceContext } from './context.js';
import type { Profile, ProfileCreateBody, ProfileListItem, ProfileUpsertBody } from './types.js';
export declare class ProfilesApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /**
     * Creates or updates the profile matched by its identifiers (`POST /api/profile-import`: email, phone number,
     * external id); safe to retry. Consent is not changed: use `consent.subscribe`.
     */
    upsert(body: ProfileUpsertBody, options?: CallOptions): Promise<Profile>;
    /**
     * Creates a profile (`POST /api/profiles`). A profile that already has one of its identifiers fails with
     * `KlaviyoConflictError` whose `duplicateId` is the existing profile; `upsert` is the call that never conflicts.
     */
    create(body: ProfileCreateBody, options?: CreateOptions<Profile>): Promise<Profile>;
    get(id: string, query?: QueryOptions, options?: CallOptions): Promise<ProfileListItem>;
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<ProfileListItem, void, undefined>;
    findByEmail(email: string, options?: CallOptions): Promise<ProfileListItem | undefined>;
    findByPhone(phoneNumber: string, options?: CallOptions): Promise<ProfileListItem | undefined>;
    findByExternalId(externalId: string, options?: CallOptions): Promise<ProfileListItem | undefined>;
    /**
     * The profile ids of these emails, keyed by lower-cased trimmed email (Klaviyo stores emails lower-cased, so
     * `Ada@Example.com` finds `ada@example.com`); emails without a profile are absent. 100 emails per request.
     */
    idsByEmail(emails: readonly string[], options?: CallOptions): Promise<Map<string, string>>;
    private findOne;
}
/** The form Klaviyo keeps an email in, and the key of `idsByEmail`. */
export declare function normalizeEmail(email: string): string;
