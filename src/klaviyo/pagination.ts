import { matchOperation } from './spec/operations.js';
import { buildQuery, type QueryOptions } from './query.js';
import type { KlaviyoTransport } from './transport/transport.js';

/** The parts of a JSON:API collection document that pagination needs. */
export interface CollectionDocument<TItem> {
  data: TItem[];
  links?: { self?: string; next?: string | null; prev?: string | null } | undefined;
  included?: unknown[] | undefined;
}

export interface PageOptions {
  signal?: AbortSignal;
  /** Stop after this many pages (a safety net for very large accounts). */
  maxPages?: number;
}

/**
 * Walks a cursor-paginated collection page by page, following `links.next` verbatim. The next link may name the
 * server's own origin; requests stay on the client's base URL. `page[size]` defaults to the operation's maximum.
 */
export async function* paginatePages<TDoc extends CollectionDocument<unknown>>(
  transport: KlaviyoTransport,
  path: string,
  query: QueryOptions = {},
  options: PageOptions = {},
): AsyncGenerator<TDoc, void, undefined> {
  const search = buildQuery(query);
  if (!search.has('page[size]')) {
    const max = matchOperation('GET', path)?.operation.maxPageSize;
    if (max !== undefined) search.set('page[size]', String(max));
  }
  let next: string | undefined = `${path}?${search.toString()}`;
  const seen = new Set<string>();
  let pages = 0;
  while (next !== undefined) {
    seen.add(next);
    const page: TDoc = await transport.request<TDoc>({
      method: 'GET',
      path: next,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    yield page;
    pages += 1;
    if (options.maxPages !== undefined && pages >= options.maxPages) return;
    const link = page.links?.next;
    next = link ? transport.localPath(link) : undefined;
    // A server that hands back a link already followed would loop forever.
    if (next !== undefined && seen.has(next)) return;
  }
}

/** Every item of a cursor-paginated collection, across pages. */
export async function* paginate<TItem>(
  transport: KlaviyoTransport,
  path: string,
  query: QueryOptions = {},
  options: PageOptions = {},
): AsyncGenerator<TItem, void, undefined> {
  for await (const page of paginatePages<CollectionDocument<TItem>>(transport, path, query, options)) {
    yield* page.data;
  }
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
