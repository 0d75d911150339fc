/**
 * Looking up an object whose create had no answer (timeout, dropped connection, 5xx after the write): Klaviyo has
 * no idempotency keys, so before the client sends a create again it asks these functions whether the first one
 * took effect. The marker is written in the create itself (name suffix, template comment), so the object is
 * recognisable the moment it exists. Objects the account held when the plan was made are not candidates: a
 * match is an object created since, by this run.
 */
import { filter, type KlaviyoClient } from '../../klaviyo/index.js';
import { parseNameMarker, parseTemplateMarker } from '../markers.js';

interface Named {
  id: string;
  attributes: { name?: unknown; html?: unknown };
}

async function firstNew<T extends Named>(
  items: AsyncIterable<T>,
  known: ReadonlySet<string>,
  matches: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of items) if (!known.has(item.id) && matches(item)) return item;
  return undefined;
}

const carriesKey = (key: string) => (item: Named) =>
  typeof item.attributes.name === 'string' && parseNameMarker(item.attributes.name)?.key === key;

export interface LookupOptions {
  /** The name the create sent (marker included for lists, segments and flows). */
  name: string;
  key: string;
  known: ReadonlySet<string>;
  signal?: AbortSignal;
}

function call(options: LookupOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

export function findNewList(client: KlaviyoClient, options: LookupOptions) {
  return firstNew(
    client.lists.list({ filter: filter.equals('name', options.name) }, call(options)),
    options.known,
    carriesKey(options.key),
  );
}

export function findNewSegment(client: KlaviyoClient, options: LookupOptions) {
  return firstNew(
    client.segments.list({ filter: filter.equals('name', options.name) }, call(options)),
    options.known,
    carriesKey(options.key),
  );
}

export function findNewFlow(client: KlaviyoClient, options: LookupOptions) {
  return firstNew(
    client.flows.list({ filter: filter.equals('name', options.name) }, call(options)),
    options.known,
    carriesKey(options.key),
  );
}

/** Templates carry their key in an HTML comment; their name is a plain display name. */
export function findNewTemplate(client: KlaviyoClient, options: LookupOptions) {
  return firstNew(
    client.templates.list({ filter: filter.equals('name', options.name) }, call(options)),
    options.known,
    (item) =>
      typeof item.attributes.html === 'string' &&
      parseTemplateMarker(item.attributes.html)?.key === options.key,
  );
}
