import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TikTokOrder } from '../../src/sync/tiktok/api-types.js';

/**
 * A fake TikTok Shop Open API for tests, in-process over real HTTP. It verifies every request the way TikTok
 * does (app key, signature over path + sorted query + raw body, timestamp freshness, access token, shop), and
 * serves order search with TikTok's envelope, error codes, page tokens and `update_time` filtering. Its
 * signature check is written here from the algorithm, not imported from the client, so a shared mistake cannot
 * pass unnoticed (the client's side is pinned by the published test vector).
 */

export const ORDER_SEARCH_PATH = '/order/202309/orders/search';

export interface FakeTikTokShopOptions {
  appKey: string;
  appSecret: string;
  accessToken: string;
  shopCipher: string;
  /** Milliseconds since the epoch, shared with the client under test so timestamps agree. */
  now: () => number;
  orders?: TikTokOrder[];
  /** Tokens that exist but expired (TikTok's 105002). */
  expiredTokens?: string[];
  /** How far a request's timestamp may be from now. TikTok documents 5 minutes. */
  timestampToleranceSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: { update_time_ge?: number; update_time_lt?: number };
  headers: Record<string, string | string[] | undefined>;
  /** TikTok's `code` in the answer: 0 for success. */
  code: number;
  status: number;
}

export type InjectedFault = { kind: 'rate-limit'; retryAfterSeconds?: number } | { kind: 'server' };

export interface FakeTikTokShop {
  url: string;
  requests: RecordedRequest[];
  /** The next `count` well-formed, authenticated requests fail with `fault`. */
  failNext(count: number, fault: InjectedFault): void;
  setOrders(orders: TikTokOrder[]): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  code: number;
  message: string;
  data?: unknown;
  headers?: Record<string, string>;
}

const refuse = (status: number, code: number, message: string, headers?: Record<string, string>): Answer => ({
  status,
  code,
  message,
  ...(headers ? { headers } : {}),
});

function expectedSign(secret: string, path: string, params: URLSearchParams, body: Buffer): string {
  const pairs = [...params.entries()]
    .filter(([key]) => key !== 'sign' && key !== 'access_token')
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const message = Buffer.concat([
    Buffer.from(secret + path + pairs.map(([k, v]) => k + v).join('')),
    body,
    Buffer.from(secret),
  ]);
  return createHmac('sha256', secret).update(message).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface PageToken {
  offset: number;
  ge: number | undefined;
  lt: number | undefined;
}

const encodeToken = (token: PageToken): string => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(text: string): PageToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    return Number.isInteger(value.offset) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function startFakeTikTokShop(options: FakeTikTokShopOptions): Promise<FakeTikTokShop> {
  let orders = [...(options.orders ?? [])];
  const faults: InjectedFault[] = [];
  const requests: RecordedRequest[] = [];
  const tolerance = options.timestampToleranceSeconds ?? 300;
  let requestSeq = 0;

  function check(req: IncomingMessage, url: URL, raw: Buffer): Answer {
    const params = url.searchParams;
    if (req.method !== 'POST' || url.pathname !== ORDER_SEARCH_PATH) {
      return refuse(404, 36009009, 'Invalid path. The requested path does not exist.');
    }
    if (params.get('app_key') !== options.appKey) {
      return refuse(400, 36009004, 'Invalid credentials. Invalid `app_key` query parameter.');
    }
    const sign = params.get('sign');
    if (!sign) {
      return refuse(
        401,
        36009004,
        'Missing credentials. The request does not include a required signature in the query.',
      );
    }
    const timestamp = Number(params.get('timestamp') ?? 'NaN');
    if (!Number.isInteger(timestamp) || timestamp < 0) {
      return refuse(
        401,
        36009004,
        'Invalid timestamp. The value of the `timestamp` query parameter must not be lesser than 0.',
      );
    }
    if (Math.abs(options.now() / 1000 - timestamp) > tolerance) {
      return refuse(
        401,
        36009004,
        'Invalid timestamp. The value of the `timestamp` query parameter must not be earlier than 5 minutes before the current time.',
      );
    }
    if (!sameText(sign, expectedSign(options.appSecret, url.pathname, params, raw))) {
      return refuse(401, 106001, "Invalid credentials. The 'sign' query parameter is invalid.");
    }
    const token = req.headers['x-tts-access-token'];
    if (typeof token === 'string' && options.expiredTokens?.includes(token)) {
      return refuse(401, 105002, 'Access token is expired, please refresh it.');
    }
    if (token !== options.accessToken) {
      return refuse(401, 36009004, 'Invalid credentials. The `x-tts-access-token` header is invalid.');
    }
    if (params.get('shop_cipher') !== options.shopCipher) {
      return refuse(400, 36009004, 'Invalid identifier. The `shop_cipher` query parameter is invalid.');
    }
    const fault = faults.shift();
    if (fault?.kind === 'rate-limit') {
      const headers =
        fault.retryAfterSeconds === undefined
          ? undefined
          : { 'retry-after': String(fault.retryAfterSeconds) };
      return refuse(429, 36009002, 'Too many requests. Please retry later.', headers);
    }
    if (fault?.kind === 'server') return refuse(500, 36009003, 'Internal error. Please retry later.');
    return search(params, raw);
  }

  function search(params: URLSearchParams, raw: Buffer): Answer {
    const pageSize = Number(params.get('page_size'));
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return refuse(400, 36009014, 'Invalid parameter. `page_size` must be from 1 to 100.');
    }
    let body: { update_time_ge?: number; update_time_lt?: number };
    try {
      body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as typeof body);
    } catch {
      return refuse(400, 36009014, 'Invalid parameter. The request body is not JSON.');
    }
    const ge = body.update_time_ge;
    const lt = body.update_time_lt;
    let offset = 0;
    const tokenText = params.get('page_token');
    if (tokenText) {
      const token = decodeToken(tokenText);
      if (token === undefined || token.ge !== ge || token.lt !== lt) {
        return refuse(400, 36009014, 'Invalid parameter. `page_token` does not belong to this search.');
      }
      offset = token.offset;
    }
    const field = params.get('sort_field') === 'update_time' ? 'update_time' : 'create_time';
    const direction = params.get('sort_order') === 'ASC' ? 1 : -1;
    const matching = orders
      .filter((o) => (ge === undefined || o.update_time >= ge) && (lt === undefined || o.update_time < lt))
      .sort((a, b) => direction * (a[field] - b[field]) || a.id.localeCompare(b.id));
    const page = matching.slice(offset, offset + pageSize);
    const next =
      offset + pageSize < matching.length ? encodeToken({ offset: offset + pageSize, ge, lt }) : '';
    return {
      status: 200,
      code: 0,
      message: 'Success',
      data: { orders: page, next_page_token: next, total_count: matching.length },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const answer = check(req, url, raw);
    let body: RecordedRequest['body'] = {};
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as RecordedRequest['body']) : {};
    } catch {
      // Recorded as empty; the answer already says the body was refused.
    }
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      body,
      headers: req.headers,
      code: answer.code,
      status: answer.status,
    });
    const payload = JSON.stringify({
      code: answer.code,
      message: answer.message,
      request_id: `fake-${++requestSeq}`,
      ...(answer.data === undefined ? {} : { data: answer.data }),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    setOrders(next) {
      orders = [...next];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
