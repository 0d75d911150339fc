/**
 * Which account a key opens: fixed by the `accounts` option, else derived from the key (stable), unless the
 * sandbox only knows the keys it was given; then another key is refused as Klaviyo refuses a wrong key.
 */
import { KlaviyoHttpError } from './errors.js';
import { accountIdForKey, ids } from './ids.js';
import { newAccount, type AccountState } from './store.js';

export class AccountRegistry {
  private readonly accounts: Record<string, AccountState>;

  constructor(
    initial: Record<string, AccountState>,
    private readonly keyAccounts: Record<string, string>,
    private readonly now: () => string,
    /** False for a shared sandbox: any `pk_` key would open an account, and with it a fresh rate-limit budget. */
    private readonly openUnknownKeys = true,
  ) {
    this.accounts = initial;
  }

  accountIdFor(apiKey: string): string {
    if (Object.hasOwn(this.keyAccounts, apiKey)) return this.keyAccounts[apiKey]!;
    if (!this.openUnknownKeys)
      throw new KlaviyoHttpError(
        401,
        'authentication_failed',
        'Incorrect authentication credentials.',
        'Incorrect authentication credentials: this sandbox knows only the keys it was started with.',
      );
    return accountIdForKey(apiKey);
  }

  /** The key's account, opened on first use. */
  forKey(apiKey: string): AccountState {
    const id = this.accountIdFor(apiKey);
    let account = this.accounts[id];
    if (!account) {
      account = newAccount(id, this.now(), ids);
      this.accounts[id] = account;
    }
    return account;
  }

  /** Every account, for persistence. */
  all(): Record<string, AccountState> {
    return this.accounts;
  }
}
