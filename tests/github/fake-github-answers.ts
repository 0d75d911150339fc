/** How the fake GitHub answers: errors, rate limits and server faults, pages with `Link` headers. */

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/** What the fake answers instead of the next request(s): a rate limit or a server error. */
export type Fault = (
  | {
      kind: 'primary' | 'secondary';
      status: 403 | 429;
      /** Secondary limits: the `retry-after` seconds. Primary: seconds until `x-ratelimit-reset`. */
      seconds?: number;
    }
  | { kind: 'server-error'; status: 500 | 502 | 503 }
) & {
  /** How many requests in a row get it. Default 1. */
  times?: number;
};

/** One page of a list, as `per_page` and `page` ask, with `Link` headers to the others. */
export function pageOf(requestUrl: URL, items: unknown[]): Answer {
  const perPage = Math.min(Number(requestUrl.searchParams.get('per_page') ?? 30), 100);
  const page = Math.max(Number(requestUrl.searchParams.get('page') ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

export function error(status: number, message: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } };
}

export function tooLong(resource: string): Answer {
  return error(422, 'Validation Failed', {
    errors: [
      { resource, code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
    ],
  });
}

export function faultAnswer(fault: Fault): Answer {
  if (fault.kind === 'server-error') return error(fault.status, 'Server Error');
  const seconds = fault.seconds ?? 1;
  if (fault.kind === 'secondary') {
    return {
      ...error(
        fault.status,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      ),
      headers: { 'retry-after': String(seconds) },
    };
  }
  const reset = Math.ceil(Date.now() / 1000) + seconds;
  return {
    ...error(fault.status, 'API rate limit exceeded for installation ID 1.'),
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    },
  };
}
