/**
 * A stream run's figures: the seed stats a run reports, kept as plain JSON so they travel with the source cursor
 * (a resumed run starts from the figures of everything before its cursor, and ends with the whole run's totals).
 */
import type { LedgerJson } from '../history/ledger.js';

export interface RunFigures {
  /** Records read (orders or customers), bad rows included. */
  records: number;
  ordersFetched: number;
  /** Customers read by the profiles stream (distinct identities are counted per brand, not carried). */
  customersRead: number;
  /** Profile imports Klaviyo's jobs completed (one per stream a person is in, not distinct people). */
  customersSynced: number;
  eventsAccepted: number;
  /** Profiles subscribed, per channel. */
  subscribed: { email: number; sms: number };
  /** Sum of accepted Placed Order values, per currency. */
  totalValue: Record<string, number>;
  failed: number;
  /** Of `failed`: rows of the source that could not be read (the rest Klaviyo refused). */
  badRows: number;
  /** Items not sent, by reason (consent skips as `email:no-consent`, `sms:phone-not-e164`, ...). */
  skipped: Record<string, number>;
  /** Requests the client had to wait for (429 and pacing), when it says. */
  rateLimitWaits: number;
}

export function emptyFigures(): RunFigures {
  return {
    records: 0,
    ordersFetched: 0,
    customersRead: 0,
    customersSynced: 0,
    eventsAccepted: 0,
    subscribed: { email: 0, sms: 0 },
    totalValue: {},
    failed: 0,
    badRows: 0,
    skipped: {},
    rateLimitWaits: 0,
  };
}

export function addSkip(figures: RunFigures, reason: string, count = 1): void {
  figures.skipped[reason] = (figures.skipped[reason] ?? 0) + count;
}

export function addValue(figures: RunFigures, currency: string, value: number): void {
  figures.totalValue[currency] = roundCents((figures.totalValue[currency] ?? 0) + value);
}

/** `into += delta`, field by field. */
export function mergeFigures(into: RunFigures, delta: RunFigures): void {
  into.records += delta.records;
  into.ordersFetched += delta.ordersFetched;
  into.customersRead += delta.customersRead;
  into.customersSynced += delta.customersSynced;
  into.eventsAccepted += delta.eventsAccepted;
  into.subscribed.email += delta.subscribed.email;
  into.subscribed.sms += delta.subscribed.sms;
  into.failed += delta.failed;
  into.badRows += delta.badRows;
  into.rateLimitWaits += delta.rateLimitWaits;
  for (const [currency, value] of Object.entries(delta.totalValue)) addValue(into, currency, value);
  for (const [reason, count] of Object.entries(delta.skipped)) addSkip(into, reason, count);
}

/** Figures read back from a cursor written by an earlier run; anything unreadable starts from zero. */
export function figuresFromJson(json: LedgerJson | undefined): RunFigures {
  const figures = emptyFigures();
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return figures;
  mergeFigures(figures, { ...emptyFigures(), ...(json as unknown as Partial<RunFigures>) });
  return figures;
}

export function figuresToJson(figures: RunFigures): { [key: string]: LedgerJson } {
  return structuredClone(figures) as unknown as { [key: string]: LedgerJson };
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
