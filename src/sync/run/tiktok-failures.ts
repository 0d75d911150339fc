/**
 * TikTok Shop's refusals in the terms of the brand's sync.yaml: which of the variables it names to fix. The
 * values themselves (secret, token) never appear in a message, only the variables' names.
 */
import {
  TikTokShopAuthError,
  TikTokShopError,
  TikTokShopRequestError,
  type TikTokShopAuthProblem,
} from '../tiktok/index.js';

/** The TikTok Shop source cannot be read: its credentials are missing or refused, or TikTok stayed unreachable. */
export class TikTokSourceError extends Error {
  override readonly name: string = 'TikTokSourceError';
}

/** sync.yaml's `*_env` names of one TikTok Shop source. */
export interface TikTokCredentialVariables {
  appKey: string;
  appSecret: string;
  accessToken: string;
  shopCipher: string;
}

/** A TikTok Shop client error as the failure of the source, naming what to fix; anything else unchanged. */
export function tiktokSourceFailure(error: unknown, variables: TikTokCredentialVariables): unknown {
  if (error instanceof TikTokShopAuthError)
    return new TikTokSourceError(`${authAdvice(error.problem, variables)} (${error.message})`);
  if (error instanceof TikTokShopRequestError && /shop_cipher/i.test(error.message))
    return new TikTokSourceError(
      `TikTok Shop refused the shop cipher: check ${variables.shopCipher} (${error.message})`,
    );
  if (error instanceof TikTokShopError) return new TikTokSourceError(error.message);
  return error;
}

function authAdvice(problem: TikTokShopAuthProblem, v: TikTokCredentialVariables): string {
  switch (problem) {
    case 'signature':
      // TikTok signs with the app secret; a wrong key is refused as app-key before the signature is checked.
      return `TikTok Shop refused the request signature: check the app secret in ${v.appSecret}`;
    case 'app-key':
      return `TikTok Shop does not know the app key: check ${v.appKey}`;
    case 'access-token':
      return `TikTok Shop refused the access token (invalid or expired): renew it in ${v.accessToken}`;
    case 'permission':
      return `the access token in ${v.accessToken} lacks the permission to read orders: grant the order scope and renew it`;
    case 'timestamp':
      return `TikTok Shop refused the request time: this machine's clock is off by more than 5 minutes`;
  }
}
