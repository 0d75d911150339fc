/**
 * Errors of the TikTok Shop client. TikTok answers errors in an envelope `{code, message, request_id}` with
 * `code != 0`, sometimes under HTTP 200; the class says what a person does next: fix credentials (auth), wait
 * (rate limit), retry later (server), or read the message (anything else). Messages never carry the app secret
 * or the access token.
 */

/** Which part of the credentials TikTok refused; each needs a different fix. */
export type TikTokShopAuthProblem = 'signature' | 'timestamp' | 'access-token' | 'app-key' | 'permission';

interface TikTokShopErrorInit {
  /** TikTok's `code`, or undefined when the answer carried no envelope. */
  code: number | undefined;
  httpStatus: number | undefined;
  requestId: string | undefined;
  /** The API path called (never the query: it holds the signature and the shop cipher). */
  path: string;
  cause?: unknown;
}

export class TikTokShopError extends Error {
  override readonly name: string = 'TikTokShopError';
  readonly code: number | undefined;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly path: string;

  constructor(message: string, init: TikTokShopErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.path = init.path;
  }
}

/** The signature, timestamp, app key or access token was refused: retrying the same request cannot help. */
export class TikTokShopAuthError extends TikTokShopError {
  override readonly name: string = 'TikTokShopAuthError';
  constructor(
    message: string,
    readonly problem: TikTokShopAuthProblem,
    init: TikTokShopErrorInit,
  ) {
    super(message, init);
  }
}

/** Still rate limited after every retry the client allows. */
export class TikTokShopRateLimitError extends TikTokShopError {
  override readonly name: string = 'TikTokShopRateLimitError';
}

/** 5xx, TikTok's internal-error codes or a network failure, still failing after every retry. */
export class TikTokShopServerError extends TikTokShopError {
  override readonly name: string = 'TikTokShopServerError';
}

/** Any other refusal (bad parameter, business rule): the message says what. Not retried. */
export class TikTokShopRequestError extends TikTokShopError {
  override readonly name: string = 'TikTokShopRequestError';
}

/** A success envelope whose `data` is not what the API documents: the mapping must not guess. */
export class TikTokShopResponseError extends TikTokShopError {
  override readonly name: string = 'TikTokShopResponseError';
}

/** TikTok's rate-limit code (HTTP 429). */
export const RATE_LIMIT_CODE = 36009002;
/** TikTok's internal-error codes, retried like a 5xx. */
const SERVER_CODES: ReadonlySet<number> = new Set([36009003, 36009007]);
/** The invalid-signature code (HTTP 401). */
export const INVALID_SIGNATURE_CODE = 106001;
/** One code for many credential problems; the message tells which. */
export const CREDENTIALS_CODE = 36009004;

/** Which credential 36009004 is about, from the keywords of TikTok's documented messages. */
function credentialsProblem(message: string): TikTokShopAuthProblem | undefined {
  const text = message.toLowerCase();
  if (text.includes('timestamp')) return 'timestamp';
  if (text.includes('signature')) return 'signature';
  if (text.includes('access_token') || text.includes('access-token')) return 'access-token';
  if (text.includes('app_key')) return 'app-key';
  return undefined;
}

export type EnvelopeVerdict =
  | { kind: 'auth'; problem: TikTokShopAuthProblem }
  | { kind: 'rate-limit' }
  | { kind: 'server' }
  | { kind: 'request' };

/** Classifies an error answer by TikTok's code first and the HTTP status second. */
export function classifyError(
  code: number | undefined,
  message: string,
  httpStatus: number,
): EnvelopeVerdict {
  if (code === RATE_LIMIT_CODE || httpStatus === 429) return { kind: 'rate-limit' };
  if (code === INVALID_SIGNATURE_CODE) return { kind: 'auth', problem: 'signature' };
  if (code === CREDENTIALS_CODE) {
    const problem = credentialsProblem(message);
    return problem === undefined ? { kind: 'request' } : { kind: 'auth', problem };
  }
  // 105xxx: access token invalid or expired (105005: scope not granted); 36004004: token and shop do not match.
  if (code === 105005) return { kind: 'auth', problem: 'permission' };
  if (code !== undefined && (Math.floor(code / 1000) === 105 || code === 36004004)) {
    return { kind: 'auth', problem: 'access-token' };
  }
  if ((code !== undefined && SERVER_CODES.has(code)) || httpStatus >= 500) return { kind: 'server' };
  if (httpStatus === 401 || httpStatus === 403) return { kind: 'auth', problem: 'access-token' };
  return { kind: 'request' };
}
