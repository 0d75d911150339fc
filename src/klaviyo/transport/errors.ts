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

/** Base class of every error the client throws. Messages and fields never contain the API key. */
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

/** 400: Klaviyo rejected the body, a filter or a parameter; see `errors[].source`. */
export class KlaviyoValidationError extends KlaviyoError {
  override readonly name: string = 'KlaviyoValidationError';
}

export class KlaviyoNotFoundError extends KlaviyoError {
  override readonly name: string = 'KlaviyoNotFoundError';
}

export class KlaviyoConflictError extends KlaviyoError {
  override readonly name: string = 'KlaviyoConflictError';
}

export class KlaviyoServerError extends KlaviyoError {
  override readonly name: string = 'KlaviyoServerError';
}

/** Still rate limited after every retry. */
export class KlaviyoRateLimitError extends KlaviyoError {
  override readonly name: string = 'KlaviyoRateLimitError';
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, init: KlaviyoErrorInit & { retryAfterSeconds: number | undefined }) {
    super(message, init);
    this.retryAfterSeconds = init.retryAfterSeconds;
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
