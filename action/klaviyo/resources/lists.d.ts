import type { QueryOptions } from '../query.js';
import { type CallOptions, type CreateOptions, type ResourceContext } from './context.js';
import { type ProfilesApi } from './profiles.js';
import type { KlaviyoList, KlaviyoListDetails, ListCreateBody, ListMember, ListUpdateAttributes } from './types.js';
/** What a membership change by email did, email by email. */
export interface MembershipByEmail {
    /** The profile ids added (or removed), once each, in the order of the emails given. */
    profileIds: string[];
    /** Emails (lower-cased) that had no profile and got one to be added: a bare profile, no consent given. */
    createdProfiles: string[];
    /** Emails (lower-cased) with no profile: left out of an add with `createMissing: false`, or not a member. */
    missing: string[];
}
export interface AddByEmailOptions extends CallOptions {
    /** Create a profile for an email that has none (default true), as Klaviyo's own list import does. */
    createMissing?: boolean;
}
type GetOrCreateResult = {
    list: KlaviyoList;
    created: boolean;
};
export declare class ListsApi {
    private readonly ctx;
    private readonly profiles;
    /** getOrCreate calls in flight by list name: a second call for the same name joins the first. */
    private readonly pendingByName;
    constructor(ctx: ResourceContext, profiles: ProfilesApi);
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<KlaviyoList, void, undefined>;
    /** One list. `profileCount: true` adds the member count, at a much lower rate limit (1/s, 15/m). */
    get(id: string, opts?: CallOptions & {
        profileCount?: boolean;
    }): Promise<KlaviyoListDetails>;
    findByName(name: string, options?: CallOptions): Promise<KlaviyoList | undefined>;
    create(body: ListCreateBody, options?: CreateOptions<KlaviyoList>): Promise<KlaviyoList>;
    /**
     * The list with this name, created (with `attributes`) when missing; an ambiguous create is reconciled by name.
     * Klaviyo allows two lists with one name, so calls for the same name made while one is under way (in this
     * client) join it rather than race it: only the first reports `created: true`, and its `attributes` win.
     */
    getOrCreate(name: string, attributes?: Omit<ListCreateBody['data']['attributes'], 'name'>, options?: CallOptions): Promise<GetOrCreateResult>;
    private findOrCreate;
    update(id: string, attributes: ListUpdateAttributes, options?: CallOptions): Promise<KlaviyoList>;
    delete(id: string, options?: CallOptions): Promise<void>;
    /** Adds profiles by id (no consent change), 1,000 per request; adding a member again is a no-op. */
    addProfiles(listId: string, profileIds: readonly string[], options?: CallOptions): Promise<void>;
    /** Removes profiles by id (no consent change), 1,000 per request. */
    removeProfiles(listId: string, profileIds: readonly string[], options?: CallOptions): Promise<void>;
    /**
     * Adds people by email: each email is resolved to its profile id (`profiles.idsByEmail`, case-insensitive);
     * an email without a profile gets one (`profiles.upsert`, no consent) unless `createMissing` is false. Consent
     * is not changed: to subscribe, use `consent.subscribe` with `listId`.
     */
    addProfilesByEmail(listId: string, emails: readonly string[], options?: AddByEmailOptions): Promise<MembershipByEmail>;
    /** Removes people by email (resolved as in `addProfilesByEmail`); emails without a profile are `missing`. */
    removeProfilesByEmail(listId: string, emails: readonly string[], options?: CallOptions): Promise<MembershipByEmail>;
    /** The list's members, 100 per page (`query.pageSize` for fewer), following Klaviyo's cursors. */
    listProfiles(listId: string, query?: QueryOptions, options?: CallOptions): AsyncGenerator<ListMember, void, undefined>;
}
export {};
