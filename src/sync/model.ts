/**
 * What a store export means once read: customers and orders in one normalised shape, whatever the source
 * (Shopify CSV, JSONL with a mapping, TikTok Shop). Readers yield these; events and the consent gate take them.
 */

/** Where a record was written: the export file (as given to the reader) and its 1-based line. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** How Klaviyo can find the person. Values are as written in the source, trimmed; emails lower-cased. */
export interface Identity {
  email?: string;
  /** As written; `e164Phone()` says whether Klaviyo accepts it as `phone_number`. */
  phone?: string;
  externalId?: string;
}

export interface PostalLocation {
  address1?: string;
  address2?: string;
  city?: string;
  region?: string;
  zip?: string;
  country?: string;
}

export type ConsentChannel = 'email' | 'sms';

/**
 * One channel's consent as the source states it. `granted` carries when (if the source knows) and where the
 * statement comes from: the gate subscribes nobody without that provenance.
 */
export type ChannelConsent =
  | { state: 'granted'; at?: string; provenance?: string }
  | { state: 'declined'; at?: string; provenance?: string }
  | { state: 'unknown' };

export interface SourceCustomer {
  /** The `name` of the sync.yaml source it came from. */
  source: string;
  from: SourceLocation;
  identity: Identity;
  firstName?: string;
  lastName?: string;
  location?: PostalLocation;
  consent: Record<ConsentChannel, ChannelConsent>;
  /** Extra facts worth a profile property (tags, totals), never identifiers or consent. */
  properties: Record<string, string | number | boolean | string[]>;
}

export interface OrderLine {
  /** The source's line id when it has one; otherwise the line's position gives it identity. */
  id?: string;
  sku?: string;
  productId?: string;
  name: string;
  quantity: number;
  /** Unit price in the order's currency. */
  price: number;
  vendor?: string;
  categories: string[];
}

export interface OrderRefund {
  /** Stable per refund; sources that only know a total use `total`. */
  id: string;
  amount: number;
  /** Undefined when the source does not say when: such events are always sent as backfill. */
  at?: string;
}

export interface SourceOrder {
  source: string;
  /** Where the order's first row or record is. */
  from: SourceLocation;
  /** Stable order id (Shopify's `Id` when exported, else its `Name`). */
  id: string;
  /** What the shopper sees, e.g. `#1001`. */
  number: string;
  customer: Identity & { firstName?: string; lastName?: string };
  /** ISO 8601, UTC. */
  createdAt: string;
  cancelledAt?: string;
  fulfilledAt?: string;
  refunds: OrderRefund[];
  currency: string;
  subtotal: number;
  shipping: number;
  taxes: number;
  total: number;
  discountCodes: string[];
  discountAmount: number;
  financialStatus?: string;
  fulfillmentStatus?: string;
  tags: string[];
  lines: OrderLine[];
}

/** A row or record that could not be read; the reader goes on with the next one. */
export interface SourceProblem {
  file: string;
  line: number;
  reason: string;
}

/** What a reader yields: records in file order, with the bad rows between them. */
export type SourceItem<T> = { kind: 'record'; record: T } | { kind: 'problem'; problem: SourceProblem };

/** The export cannot be read at all (missing, no header, missing required columns). */
export class SourceFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SourceFileError';
  }
}
