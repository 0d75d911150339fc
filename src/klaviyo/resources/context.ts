import type { Clock } from '../transport/clock.js';
import { filter, type QueryOptions } from '../query.js';
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

export function callOptions(options: CallOptions | undefined): CallOptions {
  return {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

/** Wraps a resource-level reconcile into a document-level one, as the transport returns documents. */
export function reconcileDocument<T>(reconcile: (() => Promise<T | undefined>) | undefined): {
  reconcile?: () => Promise<{ data: T } | undefined>;
} {
  if (!reconcile) return {};
  return {
    reconcile: async () => {
      const found = await reconcile();
      return found === undefined ? undefined : { data: found };
    },
  };
}

/** Path segment for an id (ids are opaque strings). */
export function seg(id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError('A Klaviyo id must be a non-empty string');
  return encodeURIComponent(id);
}

/** Splits a list into chunks of at most `size` (Klaviyo caps relationship bodies, e.g. 1,000 profiles). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The first item of an async iterable that matches, without reading further pages. */
export async function firstMatch<T>(
  items: AsyncIterable<T>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of items) if (match(item)) return item;
  return undefined;
}

/**
 * The object whose name is exactly `name`, found through a list call filtered by `equals(name, ...)`.
 * Klaviyo's filter is the fast path; the exact comparison guards against a server that matches loosely.
 */
export function findNamed<T extends { attributes: { name?: unknown } }>(
  list: (query: QueryOptions) => AsyncIterable<T>,
  name: string,
): Promise<T | undefined> {
  return firstMatch(list({ filter: filter.equals('name', name) }), (item) => item.attributes.name === name);
}

/** A create's reconcile option made concrete: `'by-name'` becomes `lookup`, a function stays as given. */
export function resolveReconcile<T>(
  option: CreateOptions<T>['reconcile'],
  lookup: () => Promise<T | undefined>,
): (() => Promise<T | undefined>) | undefined {
  return option === 'by-name' ? lookup : option;
}

/** `DELETE <path>`: Klaviyo answers 204 with no body. */
export async function deleteAt(ctx: ResourceContext, path: string, options?: CallOptions): Promise<void> {
  await ctx.transport.request<undefined>({ method: 'DELETE', path, ...callOptions(options) });
}
