/**
 * `klaviyo-gitops sandbox --dir marketing`: the standalone sandbox serves a marketing repository out of the box.
 * Each brand gets its account (the brand's account id) under a freshly generated key, the store metrics its
 * flows and segments use, and one `NAME=value` line per variable, so `plan` against the sandbox needs no setup.
 */
import { randomBytes } from 'node:crypto';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { BASE_URL_VARIABLE } from '../config.js';
import { KlaviyoClient } from '../klaviyo/index.js';
import { CommandError } from './errors.js';
import { seedSandboxMetrics } from './target.js';

export interface BrandAccount {
  /** The variable the brands' brand.yaml names (`api_key_env`). */
  variable: string;
  key: string;
  accountId: string;
  brands: DesiredBrandState[];
}

/**
 * One account per key variable. Brands that name the same variable share its key, so they must share an
 * account id too: one key opens one account.
 */
export function brandAccounts(states: readonly DesiredBrandState[]): BrandAccount[] {
  const byVariable = new Map<string, BrandAccount>();
  for (const state of states) {
    const variable = state.apiKeyVariable;
    const known = byVariable.get(variable);
    if (!known) {
      byVariable.set(variable, {
        variable,
        key: `pk_sandbox_${randomBytes(12).toString('hex')}`,
        accountId: state.accountId,
        brands: [state],
      });
      continue;
    }
    if (known.accountId !== state.accountId)
      throw new CommandError(
        'refused',
        `brands ${known.brands[0]!.brand} and ${state.brand} both name ${variable} but have different account ids (${known.accountId}, ${state.accountId}); one key opens one account: give each brand its own variable.`,
      );
    known.brands.push(state);
  }
  return [...byVariable.values()].sort((a, b) => a.variable.localeCompare(b.variable));
}

/** The `--account` pairs the sandbox starts with. */
export function accountsOption(accounts: readonly BrandAccount[]): Record<string, string> {
  return Object.fromEntries(accounts.map((a) => [a.key, a.accountId]));
}

/** Creates, in each brand's account, the store metrics its flows and segments use (as the embedded sandbox does). */
export async function seedBrandAccounts(
  url: string,
  accounts: readonly BrandAccount[],
  progress: (line: string) => void,
): Promise<void> {
  for (const account of accounts) {
    const client = new KlaviyoClient({ apiKey: account.key, baseUrl: url });
    for (const state of account.brands) await seedSandboxMetrics(client, state.brand, state, progress);
  }
}

/** `KLAVIYO_API_KEY_<BRAND>=pk_...` per account, then `KLAVIYO_BASE_URL=...`, each exactly `NAME=value`. */
export function environmentLines(url: string, accounts: readonly BrandAccount[]): string[] {
  return [...accounts.map((a) => `${a.variable}=${a.key}`), `${BASE_URL_VARIABLE}=${url}`];
}
