/** One entry of Klaviyo's JSON:API `errors[]` array. */
export interface KlaviyoErrorItem {
  id?: string;
  status?: number;
  code?: string;
  title?: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
  meta?: Record<string, unknown>;
}

/** Which call failed. `path` never carries the query string (filters can hold personal data). */
export interface KlaviyoCallInfo {
  operationId: string | undefined;
  method: string;
  path: string;
}

interface KlaviyoErrorInit extends KlaviyoCallInfo {
  status?: number | undefined;
  errors?: KlaviyoErrorItem[] | undefined;
  cause?: unknown;
}

/**
 * Base class of every error the client throws. Messages and fields never contain the API key. Which subclass:
 *
 * | answer                         | class                        | what to read                              |
 * | ------------------------------ | ---------------------------- | ----------------------------------------- |
 * | 400                            | `KlaviyoValidationError`     | `problems` (detail, pointer, parameter)   |
 * | 401, 403                       | `KlaviyoAuthError`           | `status` (401 bad key, 403 missing scope) |
 * | 404                            | `KlaviyoNotFoundError`       | `path`                                    |
 * | 409                            | `KlaviyoConflictError`       | `duplicateId`                             |
 * | 429 after every retry          | `KlaviyoRateLimitError`      | `retryAfterMs`                            |
 * | 429 past an operation's day cap | `KlaviyoDailyCapError`       | `resetsAt`                                |
 * | 5xx after every retry          | `KlaviyoServerError`         | `status`                                  |
 * | no answer / timeout            | `KlaviyoNetworkError`        | `timedOut`, `mayHaveReachedServer`        |
 * | create with unknown outcome    | `KlaviyoOutcomeUnknownError` | `body` (look the object up first)         |
 * | any other status               | `KlaviyoError`               | `status`, `errors`                        |
 */
export class KlaviyoError extends Error {
  override readonly name: string = 'KlaviyoError';
  readonly status: number | undefined;
  readonly operationId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly errors: KlaviyoErrorItem[];

  constructor(message: string, init: KlaviyoErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.operationId = init.operationId;
    this.method = init.method;
    this.path = init.path;
    this.errors = init.errors ?? [];
  }

  /** The first error's detail and pointer, the part a person acts on. */
  get detail(): string | undefined {
    return this.errors[0]?.detail;
  }

  toJSON(): Record<string, unknown> {
    const own: Record<string, unknown> = {};
    for (const key of Object.keys(this)) own[key] = (this as unknown as Record<string, unknown>)[key];
    return { ...own, name: this.name, message: this.message };
  }
}

/** 401 or 403: the key is wrong, revoked, or lacks a scope. */
export class KlaviyoAuthError extends KlaviyoError {
  override readonly name: string = 'KlaviyoAuthError';
}

/** One thing Klaviyo refused, and where: a JSON pointer into the body, or a query parameter. */
export interface KlaviyoProblem {
  detail: string;
  code: string | undefined;
  /** E.g. `/data/attributes/profiles/data/3/attributes/email`: the item and field refused. */
  pointer: string | undefined;
  parameter: string | undefined;
}

/**
 * 400: Klaviyo rejected the body, a filter or a parameter. Nothing was done: Klaviyo's 400s are all-or-nothing,
 * so a bulk body can be resent without the items the pointers name.
 */
export class KlaviyoValidationError extends KlaviyoError {
  override readonly name: string = 'KlaviyoValidationError';

  /** Every refusal with its pointer or parameter, in Klaviyo's order. */
  get problems(): KlaviyoProblem[] {
    return this.errors.map((e) => ({
      detail: e.detail,
      code: e.code,
      pointer: e.source?.pointer,
      parameter: e.source?.parameter,
    }));
  }
}

/** 404: no object with that id (deleted, or in another account). Never retried. */
export class KlaviyoNotFoundError extends KlaviyoError {
  override readonly name: string = 'KlaviyoNotFoundError';
}

/**
 * 409: the object clashes with one that exists, e.g. `POST /api/profiles` with an email another profile has
 * (`duplicate_profile`). `duplicateId` is the existing object's id when Klaviyo names it (`meta.duplicate_profile_id`).
 */
export class KlaviyoConflictError extends KlaviyoError {
  override readonly name: string = 'KlaviyoConflictError';
  readonly duplicateId: string | undefined;

  constructor(message: string, init: KlaviyoErrorInit) {
    super(message, init);
    this.duplicateId = duplicateIdOf(this.errors);
  }
}

/** `meta.duplicate_profile_id`, or any `meta.duplicate_<type>_id` Klaviyo may send for other types. */
function duplicateIdOf(errors: KlaviyoErrorItem[]): string | undefined {
  for (const error of errors) {
    for (const [key, value] of Object.entries(error.meta ?? {})) {
      if (/^duplicate_[a-z_]*id$/.test(key) && typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

/** 5xx still failing after every retry (reads and idempotent writes are retried with backoff). */
export class KlaviyoServerError extends KlaviyoError {
  override readonly name: string = 'KlaviyoServerError';
}

/**
 * 429 still answered after every retry, or a `Retry-After` longer than the client's `maxRetryAfterSeconds`. The
 * client already paces each operation to its published limits and waits out `Retry-After` before retrying, so
 * this means the account's budget is shared with something else.
 */
export class KlaviyoRateLimitError extends KlaviyoError {
  override readonly name: string = 'KlaviyoRateLimitError';
  /** How long Klaviyo asked to wait (its `Retry-After`), in milliseconds; undefined when it did not say. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: KlaviyoErrorInit & { retryAfterMs: number | undefined }) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The operation's daily cap is used up; thrown at once rather than waiting for hours. */
export class KlaviyoDailyCapError extends KlaviyoError {
  override readonly name: string = 'KlaviyoDailyCapError';
  readonly dailyCap: number;
  /** When the cap is expected to allow requests again (ms since the epoch), when known. */
  readonly resetsAt: number | undefined;

  constructor(message: string, init: KlaviyoErrorInit & { dailyCap: number; resetsAt?: number | undefined }) {
    super(message, init);
    this.dailyCap = init.dailyCap;
    this.resetsAt = init.resetsAt;
  }
}

/** The request never got an HTTP answer: connection failure, reset, or timeout. */
export class KlaviyoNetworkError extends KlaviyoError {
  override readonly name: string = 'KlaviyoNetworkError';
  readonly timedOut: boolean;
  /** False only when the request provably never reached the server (connection refused, DNS failure). */
  readonly mayHaveReachedServer: boolean;

  constructor(
    message: string,
    init: KlaviyoErrorInit & { timedOut: boolean; mayHaveReachedServer: boolean },
  ) {
    super(message, init);
    this.timedOut = init.timedOut;
    this.mayHaveReachedServer = init.mayHaveReachedServer;
  }
}

/**
 * A create whose outcome is unknown (timeout, reset after sending, 5xx). Klaviyo has no idempotency keys, so the
 * client does not resend it blindly: look the object up (or pass a `reconcile` hook) before trying again.
 */
export class KlaviyoOutcomeUnknownError extends KlaviyoError {
  override readonly name: string = 'KlaviyoOutcomeUnknownError';
  readonly body: unknown;

  constructor(message: string, init: KlaviyoErrorInit & { body: unknown }) {
    super(message, init);
    this.body = init.body;
  }
}
