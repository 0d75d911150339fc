import type { FakeClock } from './fake-clock.js';

export interface RecordedCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  /** Virtual time when the request was sent. */
  at: number;
}

/** What a scripted server does with one request. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { networkError: string };

export type Responder = (call: RecordedCall, index: number) => Reply | Promise<Reply>;

export const json = (status: number, body?: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers,
});

/** A `fetch` driven by a script, recording every call. Hangs end only when the request's signal aborts. */
export function fakeFetch(
  clock: FakeClock,
  responder: Responder,
): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const call: RecordedCall = {
      url: new URL(String(input)),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      at: clock.now(),
    };
    calls.push(call);
    const reply = await responder(call, calls.length - 1);
    const signal = init.signal;
    if ('hang' in reply) {
      return new Promise<Response>((_resolve, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if ('networkError' in reply) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error(reply.networkError), { code: reply.networkError }),
      });
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return new Response(reply.status === 204 ? null : text, {
      status: reply.status,
      headers: reply.headers ?? {},
    });
  };
  return { fetch: impl as typeof fetch, calls };
}
