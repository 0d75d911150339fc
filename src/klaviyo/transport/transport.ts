import { KLAVIYO_REVISION } from '../revision.js';
import { matchOperation, type HttpMethod } from '../spec/operations.js';
import { buildQuery, type QueryOptions } from '../query.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import type { Clock } from './clock.js';
import {
  KlaviyoAuthError,
  KlaviyoConflictError,
  KlaviyoDailyCapError,
  KlaviyoError,
  KlaviyoNetworkError,
  KlaviyoNotFoundError,
  KlaviyoOutcomeUnknownError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
  KlaviyoValidationError,
  type KlaviyoCallInfo,
  type KlaviyoErrorItem,
} from './errors.js';
import type { KlaviyoClientEvent, KlaviyoEventListener, RetryReason } from './events.js';
import { isIdempotent } from './idempotency.js';
import { rateBucketFor } from './limits.js';
import { AccountRateLimiter, DailyCapExhausted, type Permit, type ServerFeedback } from './rate-limiter.js';
import { createRedactor, redactJson, type Redactor } from './redact.js';

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  clock: Clock;
  maxRetries: number;
  backoff: BackoffPolicy;
  rateLimitShare: number;
  maxConcurrency: number;
  onEvent: KlaviyoEventListener | undefined;
  /** A 429 asking to wait longer than this is not waited for: it means a daily cap or an account-wide block. */
  maxRetryAfterSeconds: number;
  /** The least time between an ambiguous create and its reconcile lookup, so a request still in flight can land. */
  reconcileDelayMs: number;
}

/** One call. `path` may carry a query string (a `links.next` URL's path, for example). */
export interface KlaviyoRequest<T> {
  method: HttpMethod;
  path: string;
  query?: QueryOptions | URLSearchParams;
  body?: unknown;
  /** Overrides the client's classification of whether resending after an unknown outcome is safe. */
  idempotent?: boolean;
  /**
   * For creates: called after an ambiguous failure (timeout, reset, 5xx) to look the object up. Return it when it
   * exists (the client returns it as the call's result); return undefined and the client sends the create again.
   */
  reconcile?: () => Promise<T | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

type AttemptResult<T> =
  | { kind: 'success'; value: T }
  | { kind: 'rate-limited'; error: KlaviyoRateLimitError; retryAfterSeconds: number | undefined }
  | { kind: 'failed'; error: KlaviyoError; reason: RetryReason; reachedServer: boolean; status?: number };

interface PreparedCall<T> {
  info: KlaviyoCallInfo;
  url: string;
  bucket: ReturnType<typeof rateBucketFor>;
  dailyCap: number | undefined;
  bodyText: string | undefined;
  idempotent: boolean;
  request: KlaviyoRequest<T>;
}

const TIMEOUT = Symbol('klaviyo-timeout');
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True when the error shows the connection was never established, so the server cannot have seen the request. */
function neverConnected(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } } | undefined)
    ?.cause;
  if (!cause) return false;
  if (cause.code && CONNECT_FAILURES.has(cause.code)) return true;
  return (
    Array.isArray(cause.errors) &&
    cause.errors.length > 0 &&
    cause.errors.every((e) => CONNECT_FAILURES.has(e.code ?? ''))
  );
}

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const value = Number.parseInt(raw, 10);
  return Number.isFinite(value) ? value : undefined;
}

function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number.parseInt(raw, 10);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function parseErrors(text: string, redact: Redactor): KlaviyoErrorItem[] {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      .map((e) =>
        redactJson({ ...e, detail: typeof e.detail === 'string' ? e.detail : String(e.title ?? '') }, redact),
      )
      .filter((e): e is KlaviyoErrorItem => e !== undefined);
  } catch {
    return [];
  }
}

function describeCall(info: KlaviyoCallInfo): string {
  return `${info.method} ${info.path}${info.operationId ? ` (${info.operationId})` : ''}`;
}

function describeErrors(errors: KlaviyoErrorItem[]): string {
  const first = errors[0];
  if (!first) return '';
  const where = first.source?.pointer
    ? ` at ${first.source.pointer}`
    : first.source?.parameter
      ? ` in parameter ${first.source.parameter}`
      : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `: ${first.detail}${where}${more}`;
}

/** The HTTP layer: headers, pacing, timeouts, retries, typed errors. Holds the key in a closure, never a field. */
export class KlaviyoTransport {
  readonly limiter: AccountRateLimiter;
  private readonly authorization: () => string;
  private readonly redact: Redactor;
  private readonly baseUrl: string;
  private readonly basePath: string;

  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    const { apiKey } = options;
    if (typeof apiKey !== 'string' || apiKey.trim() === '')
      throw new TypeError('KlaviyoClient needs an apiKey');
    this.authorization = () => `Klaviyo-API-Key ${apiKey}`;
    this.redact = createRedactor(apiKey);
    // Forget the key on the options object so it cannot leak through inspection of this instance.
    this.options = { ...options, apiKey: '' };
    const base = new URL(options.baseUrl);
    this.baseUrl = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.limiter = new AccountRateLimiter({
      clock: options.clock,
      share: options.rateLimitShare,
      maxInFlight: options.maxConcurrency,
      onWait: (info) => this.emit({ type: 'wait', ...info }),
    });
  }

  /** Turns a URL the server handed out (e.g. `links.next`) into a path on this client's base URL. */
  localPath(url: string): string {
    const parsed = new URL(url, `${this.baseUrl}${this.basePath}/`);
    let path = parsed.pathname;
    if (this.basePath && path.startsWith(`${this.basePath}/`)) path = path.slice(this.basePath.length);
    return `${path}${parsed.search}`;
  }

  async request<T>(request: KlaviyoRequest<T>): Promise<T> {
    const call = this.prepare(request);
    const { maxRetries } = this.options;
    for (let retry = 0; ; retry += 1) {
      const result = await this.attempt(call, retry + 1);
      if (result.kind === 'success') return result.value;

      if (result.kind === 'rate-limited') {
        const wait = result.retryAfterSeconds;
        if (wait !== undefined && wait > this.options.maxRetryAfterSeconds) {
          if (call.dailyCap !== undefined) {
            throw new KlaviyoDailyCapError(
              `${describeCall(call.info)} hit its daily cap of ${call.dailyCap}; Klaviyo asks to wait ${wait} s`,
              {
                ...call.info,
                status: 429,
                dailyCap: call.dailyCap,
                resetsAt: this.options.clock.now() + wait * 1000,
              },
            );
          }
          throw result.error;
        }
        if (retry >= maxRetries) throw result.error;
        // The limiter holds the whole bucket until Retry-After has passed; the next acquire waits for it.
        this.emit({
          type: 'retry',
          ...call.info,
          attempt: retry + 1,
          reason: 'rate-limited',
          delayMs: (wait ?? 1) * 1000,
          status: 429,
        });
        continue;
      }

      const outcomeUnknown = !call.idempotent && result.reachedServer;
      if (outcomeUnknown && (!request.reconcile || retry >= maxRetries)) {
        throw new KlaviyoOutcomeUnknownError(
          `${describeCall(call.info)} may or may not have taken effect (${result.error.message}); ` +
            'look the object up before sending it again',
          {
            ...call.info,
            status: result.status,
            body: redactJson(request.body, this.redact),
            cause: result.error,
          },
        );
      }
      if (retry >= maxRetries) throw result.error;
      const backoff = backoffDelayMs(retry + 1, this.options.backoff);
      const delayMs = outcomeUnknown ? Math.max(backoff, this.options.reconcileDelayMs) : backoff;
      this.emit({
        type: 'retry',
        ...call.info,
        attempt: retry + 1,
        reason: result.reason,
        delayMs,
        ...(result.status !== undefined ? { status: result.status } : {}),
      });
      await this.options.clock.sleep(delayMs, request.signal);
      if (outcomeUnknown && request.reconcile) {
        let found: T | undefined;
        try {
          found = await request.reconcile();
        } catch (lookupError) {
          // Without the lookup the outcome stays unknown; resending now could duplicate.
          throw new KlaviyoOutcomeUnknownError(
            `${describeCall(call.info)} may or may not have taken effect, and looking it up failed ` +
              `(${lookupError instanceof Error ? this.redact(lookupError.message) : 'unknown error'})`,
            {
              ...call.info,
              status: result.status,
              body: redactJson(request.body, this.redact),
              cause: lookupError,
            },
          );
        }
        this.emit({ type: 'reconcile', ...call.info, found: found !== undefined });
        if (found !== undefined) return found;
      }
    }
  }

  private prepare<T>(request: KlaviyoRequest<T>): PreparedCall<T> {
    const method = request.method.toUpperCase() as HttpMethod;
    const [rawPath = '', rawSearch = ''] = request.path.split('?', 2);
    const pathname = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    const query = new URLSearchParams(rawSearch);
    const extra = request.query instanceof URLSearchParams ? request.query : buildQuery(request.query);
    for (const [name, value] of extra) query.set(name, value);
    const operation = matchOperation(method, pathname)?.operation;
    // A query string the server handed out (a next link) goes back byte for byte.
    const search = extra.size === 0 ? rawSearch : query.toString();
    return {
      info: { operationId: operation?.operationId, method, path: this.redact(pathname) },
      url: `${this.baseUrl}${this.basePath}${pathname}${search ? `?${search}` : ''}`,
      bucket: rateBucketFor(operation, method, query),
      dailyCap: operation?.rateLimit.dailyCap,
      bodyText: request.body === undefined ? undefined : JSON.stringify(request.body),
      idempotent: request.idempotent ?? isIdempotent(method, operation, request.body),
      request,
    };
  }

  private async attempt<T>(call: PreparedCall<T>, attempt: number): Promise<AttemptResult<T>> {
    const { clock } = this.options;
    const { info, request } = call;
    let permit: Permit;
    try {
      permit = await this.limiter.acquire(call.bucket.key, call.bucket.limit, request.signal);
    } catch (error) {
      if (error instanceof DailyCapExhausted) {
        throw new KlaviyoDailyCapError(
          `${describeCall(info)}: the daily cap of ${error.dailyCap} requests is used up for today`,
          { ...info, dailyCap: error.dailyCap, resetsAt: error.resetsAt },
        );
      }
      throw error;
    }

    this.emit({ type: 'request', ...info, attempt });
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const onCallerAbort = (): void => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    clock.sleep(request.timeoutMs ?? this.options.timeoutMs, stopTimer.signal).then(
      () => controller.abort(TIMEOUT),
      () => undefined,
    );

    const headers: Record<string, string> = {
      Authorization: this.authorization(),
      revision: KLAVIYO_REVISION,
      Accept: 'application/vnd.api+json',
    };
    if (call.bodyText !== undefined) headers['Content-Type'] = 'application/vnd.api+json';

    let response: Response | undefined;
    let text: string;
    try {
      response = await this.options.fetch(call.url, {
        method: info.method,
        headers,
        ...(call.bodyText !== undefined ? { body: call.bodyText } : {}),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      permit.settle(undefined);
      if (request.signal?.aborted) throw request.signal.reason;
      const timedOut = controller.signal.aborted && controller.signal.reason === TIMEOUT;
      const reachedServer = timedOut || response !== undefined || !neverConnected(error);
      const what = timedOut
        ? `timed out after ${request.timeoutMs ?? this.options.timeoutMs} ms`
        : `failed: ${this.redact(error instanceof Error ? `${error.message}${causeText(error)}` : String(error))}`;
      return {
        kind: 'failed',
        reason: timedOut ? 'timeout' : 'network-error',
        reachedServer,
        error: new KlaviyoNetworkError(`${describeCall(info)} ${what}`, {
          ...info,
          timedOut,
          mayHaveReachedServer: reachedServer,
        }),
      };
    } finally {
      stopTimer.abort();
      request.signal?.removeEventListener('abort', onCallerAbort);
    }

    const receivedAt = clock.now();
    const status = response.status;
    const feedback: ServerFeedback = {
      status,
      receivedAt,
      remaining: intHeader(response.headers, 'ratelimit-remaining'),
      resetSeconds: intHeader(response.headers, 'ratelimit-reset'),
      retryAfterSeconds: status === 429 ? retryAfterSeconds(response.headers, receivedAt) : undefined,
    };
    permit.settle(feedback);
    this.emit({ type: 'response', ...info, attempt, status, durationMs: receivedAt - permit.sentAt });

    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { kind: 'success', value: undefined as T };
      try {
        return { kind: 'success', value: JSON.parse(text) as T };
      } catch {
        return {
          kind: 'failed',
          reason: 'server-error',
          reachedServer: true,
          status,
          error: new KlaviyoServerError(
            `${describeCall(info)} answered ${status} with a body that is not JSON`,
            {
              ...info,
              status,
            },
          ),
        };
      }
    }

    const errors = parseErrors(text, this.redact);
    const message = `${describeCall(info)} failed with ${status}${describeErrors(errors)}`;
    const init = { ...info, status, errors };
    if (status === 429) {
      const wait = feedback.retryAfterSeconds;
      return {
        kind: 'rate-limited',
        retryAfterSeconds: wait,
        error: new KlaviyoRateLimitError(message, {
          ...init,
          retryAfterMs: wait === undefined ? undefined : wait * 1000,
        }),
      };
    }
    if (status >= 500) {
      return {
        kind: 'failed',
        reason: 'server-error',
        reachedServer: true,
        status,
        error: new KlaviyoServerError(message, init),
      };
    }
    if (status === 401 || status === 403) throw new KlaviyoAuthError(message, init);
    if (status === 400) throw new KlaviyoValidationError(message, init);
    if (status === 404) throw new KlaviyoNotFoundError(message, init);
    if (status === 409) throw new KlaviyoConflictError(message, init);
    throw new KlaviyoError(message, init);
  }

  private emit(event: KlaviyoClientEvent): void {
    const listener = this.options.onEvent;
    if (!listener) return;
    try {
      listener(event);
    } catch {
      // A logging hook must never break a request.
    }
  }
}

function causeText(error: Error): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (!cause) return '';
  const code = typeof cause.code === 'string' ? cause.code : undefined;
  const message = typeof cause.message === 'string' ? cause.message : undefined;
  return code || message ? ` (${[code, message].filter(Boolean).join(': ')})` : '';
}
