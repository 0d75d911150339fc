/**
 * What lets a write fail without a trace, at the cost of what it touches rather than of the whole account: the
 * handler works on a view of the account whose collections remember, the first time a record is read, written or
 * deleted, the record as it was (a copy of that one record; nothing for a record the write creates). A failed
 * write puts those records back; a committed one hands the same list to persistence, which saves only them.
 *
 * Reading a record through the view counts as touching it (a handler may change what it read), so read-only
 * lookups on large collections go through the indexes or `rawAccount`, never `Object.values` of the view.
 */
import type { AccountState } from './store.js';

const RAW = Symbol('raw account');
const ABSENT = Symbol('absent');

type Collection = Record<string, unknown>;
type Scalars = Record<string, unknown>;

/** The records one write changed, per collection: the record as it is now, or undefined when it is gone. */
export interface AccountChanges {
  accountId: string;
  records: Array<{ collection: string; id: string; record: unknown }>;
  /** The account's own fields (id, created, counters), when the write changed one. */
  scalars?: Scalars;
}

export interface WriteJournal {
  /** The account as the handler must see it. */
  account: AccountState;
  /** Puts every touched record back as it was before the write. Returns the collections it restored. */
  rollback(): Set<string>;
  changes(): AccountChanges;
}

/** The plain account behind a journal's view (or the account itself). */
export function rawAccount(account: AccountState): AccountState {
  return (account as unknown as { [RAW]?: AccountState })[RAW] ?? account;
}

function isCollection(value: unknown): value is Collection {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The account's own fields: everything that is not a collection of records. */
export function scalarsOf(account: AccountState): Scalars {
  const out: Scalars = {};
  for (const [key, value] of Object.entries(account)) if (!isCollection(value)) out[key] = value;
  return out;
}

export function beginWrite(account: AccountState): WriteJournal {
  const before = new Map<string, Map<string, unknown>>();
  let scalarsBefore: Scalars | undefined;
  const views = new Map<string, Collection>();

  const remember = (name: string, target: Collection, id: string, copy: boolean): void => {
    let touched = before.get(name);
    if (!touched) before.set(name, (touched = new Map()));
    if (touched.has(id)) return;
    if (!Object.hasOwn(target, id)) touched.set(id, ABSENT);
    else touched.set(id, copy ? structuredClone(target[id]) : target[id]);
  };

  const viewOf = (name: string, target: Collection): Collection => {
    let view = views.get(name);
    if (view) return view;
    view = new Proxy(target, {
      get(t, key) {
        if (typeof key === 'string' && Object.hasOwn(t, key)) remember(name, t, key, true);
        return t[key as string];
      },
      set(t, key, value) {
        // A replaced record that was never read through the view was never changed: keep it as is.
        if (typeof key === 'string') remember(name, t, key, false);
        t[key as string] = value;
        return true;
      },
      deleteProperty(t, key) {
        if (typeof key === 'string') remember(name, t, key, false);
        return delete t[key as string];
      },
    });
    views.set(name, view);
    return view;
  };

  const view = new Proxy(account, {
    get(t, key) {
      if (key === RAW) return t;
      const value = (t as unknown as Record<string | symbol, unknown>)[key];
      return typeof key === 'string' && isCollection(value) ? viewOf(key, value) : value;
    },
    set(t, key, value) {
      scalarsBefore ??= scalarsOf(t);
      (t as unknown as Record<string | symbol, unknown>)[key] = value;
      return true;
    },
  });

  return {
    account: view,
    rollback() {
      const restored = new Set<string>();
      const target = account as unknown as Record<string, Collection>;
      for (const [name, touched] of before) {
        const collection = target[name]!;
        for (const [id, old] of touched) {
          if (old === ABSENT) delete collection[id];
          else collection[id] = old;
        }
        if (touched.size > 0) restored.add(name);
      }
      if (scalarsBefore) Object.assign(account, scalarsBefore);
      before.clear();
      return restored;
    },
    changes() {
      const target = account as unknown as Record<string, Collection>;
      const records: AccountChanges['records'] = [];
      for (const [collection, touched] of before)
        for (const id of touched.keys()) records.push({ collection, id, record: target[collection]![id] });
      return {
        accountId: account.id,
        records,
        ...(scalarsBefore ? { scalars: scalarsOf(account) } : {}),
      };
    },
  };
}
