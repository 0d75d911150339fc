import { type CallOptions, type ResourceContext } from './context.js';
import type { Account } from './types.js';
export declare class AccountsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /** The account the key belongs to: id, contact information (sender, address), timezone, currency. */
    get(options?: CallOptions): Promise<Account>;
}
