/**
 * Every sync.yaml source as one kind of stream: records (orders or customers) and bad rows, each with the
 * position a run's cursor stores, read from just after a cursor. Export files position by line; TikTok Shop by
 * `update_time` second plus the order ids already handled in that second (TikTok's window start is inclusive).
 */
import type { LedgerJson, SyncStream } from '../history/ledger.js';
import type { SourceCustomer, SourceOrder, SourceProblem } from '../model.js';
import { customerFromOrder, type SyncSource } from '../sources.js';
import {
  TikTokOrderFeed,
  TikTokShopClient,
  mapTikTokOrder,
  type TikTokShopCredentials,
} from '../tiktok/index.js';
import { tiktokSourceFailure } from './tiktok-failures.js';
import { customerFromTikTok, orderFromTikTok } from './tiktok-records.js';

/** An order may carry its buyer as the source knows them (TikTok Shop: consent, address); else it is derived. */
export type SyncRecord =
  | { kind: 'order'; order: SourceOrder; buyer?: SourceCustomer }
  | { kind: 'customer'; customer: SourceCustomer };

export type SourceEntry =
  | { kind: 'record'; record: SyncRecord; position: LedgerJson }
  | { kind: 'problem'; problem: SourceProblem; position: LedgerJson };

export interface RecordSource {
  name: string;
  /** The streams this source feeds, in the order they run. */
  streams: SyncStream[];
  /**
   * Entries after `cursor` (all when undefined). Records at or before it go to `passed` instead: what a
   * resumed run still needs to know of them (the identities it has seen).
   */
  read(cursor: LedgerJson | undefined, passed?: (record: SyncRecord) => void): AsyncGenerator<SourceEntry>;
}

export interface TikTokAccess {
  /** The sync.yaml's variables, read by the command from its environment. */
  credentials: TikTokShopCredentials;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Unix seconds: the end of the order window (the run's start). */
  now: number;
  signal?: AbortSignal;
}

/** The buyer of an order, for the profiles stream of an order source. */
export function customerOf(record: SyncRecord): SourceCustomer {
  if (record.kind === 'customer') return record.customer;
  return record.buyer ?? customerFromOrder(record.order);
}

export function recordSource(source: SyncSource, tiktok?: () => TikTokAccess): RecordSource {
  if (source.kind === 'tiktok-shop')
    return {
      name: source.name,
      streams: ['profiles', 'events', 'consent'],
      async *read(cursor) {
        try {
          yield* readTikTok(source, tiktok!(), cursor);
        } catch (error) {
          throw tiktokSourceFailure(error, source.credentialEnv);
        }
      },
    };
  const streams: SyncStream[] = source.kind === 'orders' ? ['profiles', 'events'] : ['profiles', 'consent'];
  return {
    name: source.name,
    streams,
    async *read(cursor, passed) {
      const after =
        typeof cursor === 'object' && cursor !== null && 'line' in cursor ? Number(cursor.line) : 0;
      const items =
        source.kind === 'orders'
          ? mapItems(source.read(), (order) => ({ kind: 'order' as const, order }))
          : mapItems(source.read(), (customer) => ({ kind: 'customer' as const, customer }));
      for await (const item of items) {
        const line = item.kind === 'problem' ? item.problem.line : lineOf(item.record);
        if (line <= after) {
          if (item.kind === 'record') passed?.(item.record);
          continue;
        }
        yield { ...item, position: { line } } as SourceEntry;
      }
    },
  };
}

function lineOf(record: SyncRecord): number {
  return record.kind === 'order' ? record.order.from.line : record.customer.from.line;
}

async function* mapItems<T>(
  items: AsyncGenerator<{ kind: 'record'; record: T } | { kind: 'problem'; problem: SourceProblem }>,
  wrap: (record: T) => SyncRecord,
): AsyncGenerator<{ kind: 'record'; record: SyncRecord } | { kind: 'problem'; problem: SourceProblem }> {
  for await (const item of items)
    yield item.kind === 'record' ? { kind: 'record', record: wrap(item.record) } : item;
}

async function* readTikTok(
  source: Extract<SyncSource, { kind: 'tiktok-shop' }>,
  access: TikTokAccess,
  cursor: LedgerJson | undefined,
): AsyncGenerator<SourceEntry> {
  const resumeAt = tiktokCursor(cursor);
  const client = new TikTokShopClient({
    credentials: access.credentials,
    ...(access.baseUrl !== undefined && { baseUrl: access.baseUrl }),
    ...(access.fetch !== undefined && { fetch: access.fetch }),
  });
  const since = resumeAt?.since ?? access.now - source.daysBack * 86_400;
  const feed = new TikTokOrderFeed({
    client,
    since: Math.min(since, access.now),
    until: access.now,
    pageSize: source.pageSize,
    ...(access.signal && { signal: access.signal }),
  });
  const handled = new Set(resumeAt?.ids ?? []);
  let second = resumeAt?.since ?? -1;
  let idsInSecond: string[] = [...handled];
  let index = 0;
  for await (const raw of feed) {
    index += 1;
    if (raw.update_time === resumeAt?.since && handled.has(raw.id)) continue;
    if (raw.update_time !== second) {
      second = raw.update_time;
      idsInSecond = [];
    }
    idsInSecond.push(raw.id);
    const position = { since: second, ids: [...idsInSecond] };
    const from = { file: `tiktok-shop:${source.name}`, line: index };
    const mapped = mapTikTokOrder(raw);
    if (mapped.kind === 'rejected') {
      const reason = `order ${mapped.orderId}: ${mapped.problems.join('; ')}`;
      yield { kind: 'problem', problem: { ...from, reason }, position };
      continue;
    }
    const order = mapped.order;
    if (order.stage === 'unpaid') continue; // not placed yet: a later run sees it once paid
    const record: SyncRecord = { kind: 'order', order: orderFromTikTok(order, source.name, from) };
    if (order.customer) record.buyer = customerFromTikTok(order.customer, source.name, from);
    yield { kind: 'record', record, position };
  }
}

function tiktokCursor(cursor: LedgerJson | undefined): { since: number; ids: string[] } | undefined {
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return undefined;
  const since = cursor.since;
  const ids = cursor.ids;
  if (typeof since !== 'number' || !Array.isArray(ids)) return undefined;
  return { since, ids: ids.filter((id): id is string => typeof id === 'string') };
}
