import { backoffDelayMs, systemClock, type BackoffPolicy, type Clock } from '../../klaviyo/index.js';
import type { TikTokEnvelope, TikTokOrder, TikTokOrderSearchData } from './api-types.js';
import {
  classifyError,
  TikTokShopAuthError,
  TikTokShopRateLimitError,
  TikTokShopRequestError,
  TikTokShopResponseError,
  TikTokShopServerError,
  type TikTokShopError,
} from './errors.js';
import { signRequest } from './signing.js';

/**
 * A small client for the one TikTok Shop call the sync needs: order search. It signs every attempt afresh (the
 * timestamp is part of the signature), paces requests (TikTok publishes no limits, so the default is modest),
 * and retries rate limits, 5xx and network failures a bounded number of times. Credentials are passed in; this
 * module never reads the environment.
 */

export const TIKTOK_SHOP_API_URL = 'https://open-api.tiktokglobalshop.com';
export const ORDER_SEARCH_PATH = '/order/202309/orders/search';
/** No authoritative maximum is published; 100 is what TikTok's own SDK callers use. */
export const MAX_PAGE_SIZE = 100;

export interface TikTokShopCredentials {
  appKey: string;
  appSecret: string;
  /** Sent in the `x-tts-access-token` header, never in the URL. */
  accessToken: string;
  /** The shop's cipher from `GET /authorization/202309/shops`. */
  shopCipher: string;
}

export interface TikTokShopClientOptions {
  credentials: TikTokShopCredentials;
  baseUrl?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Retries after the first attempt, for rate limits, 5xx and network failures. Default 4. */
  maxRetries?: number;
  backoff?: BackoffPolicy;
  /** Upper bound on request starts per second. Default 5. */
  requestsPerSecond?: number;
  /** Real-time bound on one attempt. Default 30 s. */
  timeoutMs?: number;
}

export interface OrderSearchRequest {
  /** Unix seconds, inclusive. */
  updateTimeGe: number;
  /** Unix seconds, exclusive. */
  updateTimeLt: number;
  pageSize: number;
  /** The previous page's `next_page_token`; absent for the first page. */
  pageToken?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface OrderSearchPage {
  orders: TikTokOrder[];
  /** Absent on the last page. */
  nextPageToken: string | undefined;
  totalCount: number | undefined;
}

/** What the order feed needs from a client; tests and other transports can stand in. */
export interface TikTokOrderSearch {
  searchOrders(request: OrderSearchRequest): Promise<OrderSearchPage>;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, random: Math.random };

type Attempt =
  | { kind: 'ok'; data: TikTokOrderSearchData }
  | { kind: 'retry'; error: TikTokShopError; waitMs: number | undefined }
  | { kind: 'fail'; error: TikTokShopError };

export class TikTokShopClient implements TikTokOrderSearch {
  private readonly credentials: TikTokShopCredentials;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly backoff: BackoffPolicy;
  private readonly spacingMs: number;
  private readonly timeoutMs: number;
  private nextStartAt = 0;

  constructor(options: TikTokShopClientOptions) {
    this.credentials = options.credentials;
    this.baseUrl = (options.baseUrl ?? TIKTOK_SHOP_API_URL).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? systemClock;
    this.maxRetries = options.maxRetries ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const rps = options.requestsPerSecond ?? 5;
    if (!(rps > 0)) throw new RangeError(`requestsPerSecond must be above 0, got ${rps}`);
    this.spacingMs = 1000 / rps;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async searchOrders(request: OrderSearchRequest): Promise<OrderSearchPage> {
    if (!Number.isInteger(request.pageSize) || request.pageSize < 1 || request.pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${request.pageSize}`);
    }
    // Signed and sent as this exact string: the signature covers the body bytes.
    const body = JSON.stringify({
      update_time_ge: request.updateTimeGe,
      update_time_lt: request.updateTimeLt,
    });
    const query: Record<string, string> = {
      page_size: String(request.pageSize),
      sort_field: 'update_time',
      sort_order: 'ASC',
    };
    // Empty parameters are omitted: implementations disagree on whether an empty value is signed.
    if (request.pageToken) query.page_token = request.pageToken;

    for (let retry = 0; ; retry++) {
      await this.waitForTurn(request.signal);
      const attempt = await this.attempt(ORDER_SEARCH_PATH, query, body, request.signal);
      if (attempt.kind === 'ok') return toPage(attempt.data, ORDER_SEARCH_PATH);
      if (attempt.kind === 'fail') throw attempt.error;
      if (retry >= this.maxRetries) {
        attempt.error.message = `${attempt.error.message} (gave up after ${retry + 1} attempts)`;
        throw attempt.error;
      }
      await this.clock.sleep(attempt.waitMs ?? backoffDelayMs(retry + 1, this.backoff), request.signal);
    }
  }

  private async waitForTurn(signal: AbortSignal | undefined): Promise<void> {
    const now = this.clock.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + this.spacingMs;
    if (startAt > now) await this.clock.sleep(startAt - now, signal);
  }

  private async attempt(
    path: string,
    extraQuery: Record<string, string>,
    body: string,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const { appKey, appSecret, accessToken, shopCipher } = this.credentials;
    const query: Record<string, string> = {
      app_key: appKey,
      timestamp: String(Math.floor(this.clock.now() / 1000)),
      shop_cipher: shopCipher,
      ...extraQuery,
    };
    const sign = signRequest({ appSecret, path, query, body });
    const url = `${this.baseUrl}${path}?${new URLSearchParams({ ...query, sign }).toString()}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tts-access-token': accessToken },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw cause;
      const what = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : 'network failure';
      const error = new TikTokShopServerError(`TikTok Shop ${path}: ${what}`, {
        code: undefined,
        httpStatus: undefined,
        requestId: undefined,
        path,
        cause,
      });
      return { kind: 'retry', error, waitMs: undefined };
    }
    return interpret(path, response, text, this.clock);
  }
}

function parseEnvelope(text: string): TikTokEnvelope<TikTokOrderSearchData> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'number'
    ) {
      return value as TikTokEnvelope<TikTokOrderSearchData>;
    }
  } catch {
    // Not JSON: a proxy's error page; classified by HTTP status below.
  }
  return undefined;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(response: Response, clock: Clock): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now());
}

function interpret(path: string, response: Response, text: string, clock: Clock): Attempt {
  const envelope = parseEnvelope(text);
  if (envelope !== undefined && envelope.code === 0 && response.ok) {
    return { kind: 'ok', data: envelope.data ?? {} };
  }
  const init = {
    code: envelope?.code,
    httpStatus: response.status,
    requestId: envelope?.request_id,
    path,
  };
  const said = envelope ? `code ${envelope.code}: ${envelope.message}` : `HTTP ${response.status}`;
  const idNote = envelope?.request_id ? ` (request id ${envelope.request_id})` : '';
  const verdict = classifyError(envelope?.code, envelope?.message ?? '', response.status);
  switch (verdict.kind) {
    case 'auth':
      return {
        kind: 'fail',
        error: new TikTokShopAuthError(
          `TikTok Shop ${path} refused the credentials (${verdict.problem}), ${said}${idNote}`,
          verdict.problem,
          init,
        ),
      };
    case 'rate-limit':
      return {
        kind: 'retry',
        error: new TikTokShopRateLimitError(`TikTok Shop ${path} is rate limited, ${said}${idNote}`, init),
        waitMs: retryAfterMs(response, clock),
      };
    case 'server':
      return {
        kind: 'retry',
        error: new TikTokShopServerError(
          `TikTok Shop ${path} failed on TikTok's side, ${said}${idNote}`,
          init,
        ),
        waitMs: undefined,
      };
    case 'request':
      return {
        kind: 'fail',
        error: new TikTokShopRequestError(`TikTok Shop ${path} refused the request, ${said}${idNote}`, init),
      };
  }
}

function toPage(data: TikTokOrderSearchData, path: string): OrderSearchPage {
  const orders = data.orders ?? [];
  if (!Array.isArray(orders)) {
    throw new TikTokShopResponseError(`TikTok Shop ${path}: data.orders is not a list`, {
      code: 0,
      httpStatus: 200,
      requestId: undefined,
      path,
    });
  }
  return {
    orders,
    nextPageToken: data.next_page_token ? data.next_page_token : undefined,
    totalCount: data.total_count,
  };
}
