import type { Clock } from '../transport/clock.js';
import { type QueryOptions } from '../query.js';
import type { KlaviyoTransport } from '../transport/transport.js';
/** What every resource group gets from the client. */
export interface ResourceContext {
    transport: KlaviyoTransport;
    clock: Clock;
}
/** Options every helper accepts. */
export interface CallOptions {
    signal?: AbortSignal;
    timeoutMs?: number;
}
/**
 * Options of a create. Klaviyo has no idempotency keys: after an ambiguous failure the client throws
 * `KlaviyoOutcomeUnknownError` unless `reconcile` is given. `reconcile` looks the object up and returns it when
 * it exists; when it returns undefined the create is sent again. `'by-name'` looks the object up by its name,
 * which is only sound when names are unique in the account (as they are for objects this tool manages).
 */
export interface CreateOptions<T> extends CallOptions {
    reconcile?: (() => Promise<T | undefined>) | 'by-name';
}
export declare function callOptions(options: CallOptions | undefined): CallOptions;
/** Wraps a resource-level reconcile into a document-level one, as the transport returns documents. */
export declare function reconcileDocument<T>(reconcile: (() => Promise<T | undefined>) | undefined): {
    reconcile?: () => Promise<{
        data: T;
    } | undefined>;
};
/** Path segment for an id (ids are opaque strings). */
export declare function seg(id: string): string;
/** Splits a list into chunks of at most `size` (Klaviyo caps relationship bodies, e.g. 1,000 profiles). */
export declare function chunk<T>(items: readonly T[], size: number): T[][];
/** The first item of an async iterable that matches, without reading further pages. */
export declare function firstMatch<T>(items: AsyncIterable<T>, match: (item: T) => boolean): Promise<T | undefined>;
/**
 * The object whose name is exactly `name`, found through a list call filtered by `equals(name, ...)`.
 * Klaviyo's filter is the fast path; the exact comparison guards against a server that matches loosely.
 */
export declare function findNamed<T extends {
    attributes: {
        name?: unknown;
    };
}>(list: (query: QueryOptions) => AsyncIterable<T>, name: string): Promise<T | undefined>;
/** A create's reconcile option made concrete: `'by-name'` becomes `lookup`, a function stays as given. */
export declare function resolveReconcile<T>(option: CreateOptions<T>['reconcile'], lookup: () => Promise<T | undefined>): (() => Promise<T | undefined>) | undefined;
/** `DELETE <path>`: Klaviyo answers 204 with no body. */
export declare function deleteAt(ctx: ResourceContext, path: string, options?: CallOptions): Promise<void>;
