/**
 * Lookups the hot paths of a bulk sync make, kept beside each account instead of scanning it: profiles by
 * email, phone number and external id; the event dedupe keys; event ids by metric and by profile. Derived data,
 * never persisted: built on first use from the account (one pass), kept up to date by the code that changes the
 * indexed fields, and dropped when a failed write puts records back (the next use rebuilds them).
 */
import type { AccountState, EventRecord, ProfileRecord } from './store.js';
import { rawAccount } from './write-journal.js';

export const PROFILE_IDENTIFIERS = ['email', 'phone_number', 'external_id'] as const;
export type ProfileIdentifier = (typeof PROFILE_IDENTIFIERS)[number];

type ProfileIndex = Record<ProfileIdentifier, Map<string, string>>;

export interface EventIndex {
  /** profile + metric + unique_id of every recorded event. */
  keys: Set<string>;
  byMetric: Map<string, string[]>;
  byProfile: Map<string, string[]>;
}

interface Indexes {
  profiles?: ProfileIndex;
  events?: EventIndex;
}

const cache = new WeakMap<AccountState, Indexes>();

function indexesOf(account: AccountState): Indexes {
  const raw = rawAccount(account);
  let indexes = cache.get(raw);
  if (!indexes) cache.set(raw, (indexes = {}));
  return indexes;
}

function addProfile(index: ProfileIndex, profile: ProfileRecord): void {
  for (const key of PROFILE_IDENTIFIERS) {
    const value = profile.attributes[key];
    // The first profile holding a value keeps it, as the scan it replaces found the first one.
    if (typeof value === 'string' && !index[key].has(value)) index[key].set(value, profile.id);
  }
}

function profileIndex(account: AccountState): ProfileIndex {
  const indexes = indexesOf(account);
  if (!indexes.profiles) {
    const index: ProfileIndex = { email: new Map(), phone_number: new Map(), external_id: new Map() };
    for (const profile of Object.values(rawAccount(account).profiles)) addProfile(index, profile);
    indexes.profiles = index;
  }
  return indexes.profiles;
}

/** The id of the profile whose `key` is exactly `value`. */
export function profileIdBy(
  account: AccountState,
  key: ProfileIdentifier,
  value: string,
): string | undefined {
  return profileIndex(account)[key].get(value);
}

/** The identifiers of a profile, to pass to `reindexProfile` after changing it. */
export function identifiersOf(profile: ProfileRecord): Partial<Record<ProfileIdentifier, unknown>> {
  const out: Partial<Record<ProfileIdentifier, unknown>> = {};
  for (const key of PROFILE_IDENTIFIERS) out[key] = profile.attributes[key];
  return out;
}

/** Moves a profile's index entries from its identifiers `before` a change (none for a new one) to its current ones. */
export function reindexProfile(
  account: AccountState,
  profile: ProfileRecord,
  before: Partial<Record<ProfileIdentifier, unknown>> = {},
): void {
  const indexes = indexesOf(account);
  if (!indexes.profiles) return; // built from the records on first use
  for (const key of PROFILE_IDENTIFIERS) {
    const old = before[key];
    if (
      typeof old === 'string' &&
      old !== profile.attributes[key] &&
      indexes.profiles[key].get(old) === profile.id
    )
      indexes.profiles[key].delete(old);
  }
  addProfile(indexes.profiles, profile);
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

function addEvent(index: EventIndex, event: EventRecord): void {
  index.keys.add(event.dedupeKey);
  push(index.byMetric, event.metricId, event.id);
  push(index.byProfile, event.profileId, event.id);
}

export function eventIndex(account: AccountState): EventIndex {
  const indexes = indexesOf(account);
  if (!indexes.events) {
    const index: EventIndex = { keys: new Set(), byMetric: new Map(), byProfile: new Map() };
    for (const event of Object.values(rawAccount(account).events)) addEvent(index, event);
    indexes.events = index;
  }
  return indexes.events;
}

/** Call after storing a new event. */
export function indexEvent(account: AccountState, event: EventRecord): void {
  const indexes = indexesOf(account);
  if (indexes.events) addEvent(indexes.events, event);
}

/** Forgets the indexes over `collections` (records were put back, or a test changed the store by hand). */
export function forgetIndexes(account: AccountState, collections?: Iterable<string>): void {
  const indexes = indexesOf(account);
  for (const name of collections ?? ['profiles', 'events']) {
    if (name === 'profiles') delete indexes.profiles;
    if (name === 'events') delete indexes.events;
  }
}
