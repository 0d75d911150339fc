import { randomUUID } from 'node:crypto';

/** Where in the request an error points: a JSON pointer into the body, or a query parameter / header name. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

/** One error answer in Klaviyo's format. Thrown by handlers; the server turns it into `{"errors":[...]}`. */
export class KlaviyoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly source?: ErrorSource,
    readonly meta?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'KlaviyoHttpError';
  }
}

export interface KlaviyoErrorObject {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source?: ErrorSource;
  links?: Record<string, never>;
  meta?: Record<string, unknown>;
}

export function errorDocument(errors: KlaviyoHttpError[]): { errors: KlaviyoErrorObject[] } {
  return {
    errors: errors.map((e) => ({
      id: randomUUID(),
      status: e.status,
      code: e.code,
      title: e.title,
      detail: e.detail,
      ...(e.source ? { source: e.source } : {}),
      ...(e.meta ? { links: {}, meta: e.meta } : {}),
    })),
  };
}

export function invalid(detail: string, source?: ErrorSource): KlaviyoHttpError {
  return new KlaviyoHttpError(400, 'invalid', 'Invalid input.', detail, source);
}

export function notFound(type: string, id: string): KlaviyoHttpError {
  return new KlaviyoHttpError(404, 'not_found', 'Not found.', `A ${type} with id ${id} does not exist.`);
}

export function conflict(detail: string, source?: ErrorSource, code = 'conflict'): KlaviyoHttpError {
  return new KlaviyoHttpError(409, code, 'Conflict.', detail, source);
}

/** Several errors in one answer (a body with more than one problem). */
export class KlaviyoHttpErrors extends Error {
  constructor(readonly errors: KlaviyoHttpError[]) {
    super(errors.map((e) => e.detail).join('; '));
    this.name = 'KlaviyoHttpErrors';
  }
}
