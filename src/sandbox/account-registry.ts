/** Which account a key opens: fixed by the `accounts` option, else derived from the key (stable). */
import { accountIdForKey, ids } from './ids.js';
import { newAccount, type AccountState } from './store.js';

export class AccountRegistry {
  private readonly accounts: Record<string, AccountState>;

  constructor(
    initial: Record<string, AccountState>,
    private readonly keyAccounts: Record<string, string>,
    private readonly now: () => string,
  ) {
    this.accounts = initial;
  }

  accountIdFor(apiKey: string): string {
    return this.keyAccounts[apiKey] ?? accountIdForKey(apiKey);
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
