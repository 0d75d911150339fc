import { type QueryOptions } from './query.js';
import type { KlaviyoTransport } from './transport/transport.js';
/** The parts of a JSON:API collection document that pagination needs. */
export interface CollectionDocument<TItem> {
    data: TItem[];
    links?: {
        self?: string;
        next?: string | null;
        prev?: string | null;
    } | undefined;
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
export declare function paginatePages<TDoc extends CollectionDocument<unknown>>(transport: KlaviyoTransport, path: string, query?: QueryOptions, options?: PageOptions): AsyncGenerator<TDoc, void, undefined>;
/** Every item of a cursor-paginated collection, across pages. */
export declare function paginate<TItem>(transport: KlaviyoTransport, path: string, query?: QueryOptions, options?: PageOptions): AsyncGenerator<TItem, void, undefined>;
/** Drains an async iterable into an array. */
export declare function collect<T>(items: AsyncIterable<T>): Promise<T[]>;
