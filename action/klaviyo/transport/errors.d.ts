/** One entry of Klaviyo's JSON:API `errors[]` array. */
export interface KlaviyoErrorItem {
    id?: string;
    status?: number;
    code?: string;
    title?: string;
    detail: string;
    source?: {
        pointer?: string;
        parameter?: string;
    };
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
export declare class KlaviyoError extends Error {
    readonly name: string;
    readonly status: number | undefined;
    readonly operationId: string | undefined;
    readonly method: string;
    readonly path: string;
    readonly errors: KlaviyoErrorItem[];
    constructor(message: string, init: KlaviyoErrorInit);
    /** The first error's detail and pointer, the part a person acts on. */
    get detail(): string | undefined;
    toJSON(): Record<string, unknown>;
}
/** 401 or 403: the key is wrong, revoked, or lacks a scope. */
export declare class KlaviyoAuthError extends KlaviyoError {
    readonly name: string;
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
export declare class KlaviyoValidationError extends KlaviyoError {
    readonly name: string;
    /** Every refusal with its pointer or parameter, in Klaviyo's order. */
    get problems(): KlaviyoProblem[];
}
/** 404: no object with that id (deleted, or in another account). Never retried. */
export declare class KlaviyoNotFoundError extends KlaviyoError {
    readonly name: string;
}
/**
 * 409: the object clashes with one that exists, e.g. `POST /api/profiles` with an email another profile has
 * (`duplicate_profile`). `duplicateId` is the existing object's id when Klaviyo names it (`meta.duplicate_profile_id`).
 */
export declare class KlaviyoConflictError extends KlaviyoError {
    readonly name: string;
    readonly duplicateId: string | undefined;
    constructor(message: string, init: KlaviyoErrorInit);
}
/** 5xx still failing after every retry (reads and idempotent writes are retried with backoff). */
export declare class KlaviyoServerError extends KlaviyoError {
    readonly name: string;
}
/**
 * 429 still answered after every retry, or a `Retry-After` longer than the client's `maxRetryAfterSeconds`. The
 * client already paces each operation to its published limits and waits out `Retry-After` before retrying, so
 * this means the account's budget is shared with something else.
 */
export declare class KlaviyoRateLimitError extends KlaviyoError {
    readonly name: string;
    /** How long Klaviyo asked to wait (its `Retry-After`), in milliseconds; undefined when it did not say. */
    readonly retryAfterMs: number | undefined;
    constructor(message: string, init: KlaviyoErrorInit & {
        retryAfterMs: number | undefined;
    });
}
/** The operation's daily cap is used up; thrown at once rather than waiting for hours. */
export declare class KlaviyoDailyCapError extends KlaviyoError {
    readonly name: string;
    readonly dailyCap: number;
    /** When the cap is expected to allow requests again (ms since the epoch), when known. */
    readonly resetsAt: number | undefined;
    constructor(message: string, init: KlaviyoErrorInit & {
        dailyCap: number;
        resetsAt?: number | undefined;
    });
}
/** The request never got an HTTP answer: connection failure, reset, or timeout. */
export declare class KlaviyoNetworkError extends KlaviyoError {
    readonly name: string;
    readonly timedOut: boolean;
    /** False only when the request provably never reached the server (connection refused, DNS failure). */
    readonly mayHaveReachedServer: boolean;
    constructor(message: string, init: KlaviyoErrorInit & {
        timedOut: boolean;
        mayHaveReachedServer: boolean;
    });
}
/**
 * A create whose outcome is unknown (timeout, reset after sending, 5xx). Klaviyo has no idempotency keys, so the
 * client does not resend it blindly: look the object up (or pass a `reconcile` hook) before trying again.
 */
export declare class KlaviyoOutcomeUnknownError extends KlaviyoError {
    readonly name: string;
    readonly body: unknown;
    constructor(message: string, init: KlaviyoErrorInit & {
        body: unknown;
    });
}
export {};
