/**
 * A JSONL export (one JSON object per line) read through a sync.yaml mapping from our fields to dotted paths
 * in each record. Streaming, line by line; a line that does not parse or map is a problem at its line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { JsonlMapping } from '../project/sync-config.js';
import {
  SourceFileError,
  type ChannelConsent,
  type OrderLine,
  type OrderRefund,
  type SourceCustomer,
  type SourceItem,
  type SourceOrder,
} from './model.js';
import {
  parseEmail,
  parseMoney,
  parseQuantity,
  parseTimestamp,
  parseYesNo,
  splitList,
} from './text-values.js';

export interface JsonlOptions {
  source: string;
  path: string;
  displayPath?: string;
  mapping: JsonlMapping;
  /** Where consent in these records was given; without it no consent here subscribes anyone. */
  provenance?: string;
}

/** A mapped value that cannot be used: the record is skipped with this reason. */
class Unmappable extends Error {}

export async function* readJsonlOrders(options: JsonlOptions): AsyncGenerator<SourceItem<SourceOrder>> {
  yield* readMapped(options, (record, file, line) => orderOf(record, options, file, line));
}

export async function* readJsonlCustomers(options: JsonlOptions): AsyncGenerator<SourceItem<SourceCustomer>> {
  yield* readMapped(options, (record, file, line) => customerOf(record, options, file, line));
}

async function* readMapped<T>(
  options: JsonlOptions,
  map: (record: Record<string, unknown>, file: string, line: number) => T,
): AsyncGenerator<SourceItem<T>> {
  const file = options.displayPath ?? options.path;
  const input = createReadStream(options.path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) =>
    input.once('open', () => resolve()).once('error', reject),
  );
  try {
    await opened;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new SourceFileError(
      file,
      0,
      code === 'ENOENT' ? 'the file does not exist' : `cannot read the file (${code})`,
    );
  }
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch (error) {
      yield { kind: 'problem', problem: { file, line, reason: `not JSON: ${(error as Error).message}` } };
      continue;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      yield { kind: 'problem', problem: { file, line, reason: 'the line is not a JSON object' } };
      continue;
    }
    try {
      yield { kind: 'record', record: map(record as Record<string, unknown>, file, line) };
    } catch (error) {
      if (!(error instanceof Unmappable)) throw error;
      yield { kind: 'problem', problem: { file, line, reason: error.message } };
    }
  }
}

type Paths = { readonly [field: string]: string | object | undefined };

/** Reads mapped fields of one object, each failure naming the field and its path. */
class Fields {
  constructor(
    private readonly record: unknown,
    private readonly paths: Paths,
    private readonly prefix = '',
  ) {}

  raw(field: string): unknown {
    const path = this.paths[field];
    if (typeof path !== 'string') return undefined;
    let node = this.record;
    for (const key of path.split('.')) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node === null || node === '' ? undefined : node;
  }

  fail(field: string, reason: string): never {
    const path = this.paths[field];
    throw new Unmappable(
      `'${this.prefix}${field}' (${typeof path === 'string' ? path : 'unmapped'}) ${reason}`,
    );
  }

  text(field: string, required = false): string | undefined {
    const value = this.raw(field);
    if (value === undefined) return required ? this.fail(field, 'is missing') : undefined;
    if (typeof value === 'string')
      return value.trim() || (required ? this.fail(field, 'is empty') : undefined);
    if (typeof value === 'number') return String(value);
    return this.fail(field, `is ${Array.isArray(value) ? 'a list' : typeof value}, not text`);
  }

  amount(field: string, required = false): number {
    const value = this.raw(field);
    if (value === undefined && required) this.fail(field, 'is missing');
    if (typeof value === 'number')
      return Number.isFinite(value) ? Math.round(value * 100) / 100 : this.fail(field, 'is not finite');
    const parsed = parseMoney(
      typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value),
    );
    return parsed.ok ? parsed.value : this.fail(field, parsed.reason);
  }

  /** ISO 8601 with a zone, or Unix seconds. */
  time(field: string, required = false): string | undefined {
    const value = this.raw(field);
    if (value === undefined) return required ? this.fail(field, 'is missing') : undefined;
    if (typeof value === 'number') {
      const date = new Date(value * 1000);
      return Number.isNaN(date.getTime())
        ? this.fail(field, 'is not a time')
        : date.toISOString().replace('.000Z', 'Z');
    }
    const parsed = parseTimestamp(String(value));
    return parsed.ok ? parsed.value : this.fail(field, parsed.reason);
  }

  list(field: string): string[] {
    const value = this.raw(field);
    if (value === undefined) return [];
    if (typeof value === 'string') return splitList(value);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      return value.map((v) => v.trim()).filter(Boolean);
    return this.fail(field, 'is neither text nor a list of text');
  }

  array(field: string, required = false): unknown[] {
    const value = this.raw(field);
    if (value === undefined) return required ? this.fail(field, 'is missing') : [];
    return Array.isArray(value) ? value : this.fail(field, 'is not a list');
  }

  yesNo(field: string): boolean | undefined {
    const value = this.raw(field);
    if (value === undefined || typeof value === 'boolean') return value;
    const parsed = parseYesNo(String(value));
    return parsed.ok ? parsed.value : this.fail(field, parsed.reason);
  }
}

function identityOf(f: Fields): SourceCustomer['identity'] {
  const email = parseEmail(f.text('email'));
  if (!email.ok) f.fail('email', email.reason);
  const identity: SourceCustomer['identity'] = {};
  const phone = f.text('phone');
  const externalId = f.text('external_id');
  if (email.value !== undefined) identity.email = email.value;
  if (phone !== undefined) identity.phone = phone;
  if (externalId !== undefined) identity.externalId = externalId;
  if (Object.keys(identity).length === 0)
    f.fail('email', 'and phone and external_id are all empty: nobody Klaviyo can find');
  return identity;
}

function orderOf(
  record: Record<string, unknown>,
  options: JsonlOptions,
  file: string,
  line: number,
): SourceOrder {
  const f = new Fields(record, options.mapping);
  const id = f.text('id', true)!;
  const currency = f.text('currency', true)!;
  if (!/^[A-Za-z]{3}$/.test(currency)) f.fail('currency', `'${currency}' is not an ISO 4217 code`);
  const identity = identityOf(f);
  const lines = f
    .array('lines', true)
    .map((item, i) => lineOf(new Fields(item, options.mapping.line ?? {}, `line ${i + 1} `)));
  const refunds = f
    .array('refunds')
    .map((item, i) => refundOf(new Fields(item, options.mapping.refund ?? {}, `refund ${i + 1} `), i));
  const order: SourceOrder = {
    source: options.source,
    from: { file, line },
    id,
    number: f.text('number') ?? id,
    customer: { ...identity },
    createdAt: f.time('created_at', true)!,
    refunds,
    currency: currency.toUpperCase(),
    subtotal: f.amount('subtotal'),
    shipping: f.amount('shipping'),
    taxes: f.amount('taxes'),
    total: f.amount('total', true),
    discountCodes: f.list('discount_codes'),
    discountAmount: f.amount('discount_amount'),
    tags: f.list('tags'),
    lines,
  };
  const firstName = f.text('first_name');
  const lastName = f.text('last_name');
  const cancelledAt = f.time('cancelled_at');
  const fulfilledAt = f.time('fulfilled_at');
  if (firstName !== undefined) order.customer.firstName = firstName;
  if (lastName !== undefined) order.customer.lastName = lastName;
  if (cancelledAt !== undefined) order.cancelledAt = cancelledAt;
  if (fulfilledAt !== undefined) order.fulfilledAt = fulfilledAt;
  return order;
}

function lineOf(f: Fields): OrderLine {
  const quantity = parseQuantity(f.text('quantity', true));
  if (!quantity.ok) f.fail('quantity', quantity.reason);
  const line: OrderLine = {
    name: f.text('name', true)!,
    quantity: quantity.value,
    price: f.amount('price', true),
    categories: f.list('categories'),
  };
  for (const [key, field] of [
    ['id', 'id'],
    ['sku', 'sku'],
    ['productId', 'product_id'],
    ['vendor', 'vendor'],
  ] as const) {
    const value = f.text(field);
    if (value !== undefined) line[key] = value;
  }
  return line;
}

function refundOf(f: Fields, index: number): OrderRefund {
  const refund: OrderRefund = { id: f.text('id') ?? String(index + 1), amount: f.amount('amount', true) };
  const at = f.time('at');
  if (at !== undefined) refund.at = at;
  return refund;
}

function customerOf(
  record: Record<string, unknown>,
  options: JsonlOptions,
  file: string,
  line: number,
): SourceCustomer {
  const f = new Fields(record, options.mapping);
  const consent = (channel: 'email' | 'sms'): ChannelConsent => {
    const answer = f.yesNo(`${channel}_consent`);
    if (answer === undefined) return { state: 'unknown' };
    const at = f.time(`${channel}_consent_at`);
    return {
      state: answer ? 'granted' : 'declined',
      ...(at !== undefined && { at }),
      ...(options.provenance !== undefined && { provenance: options.provenance }),
    };
  };
  const customer: SourceCustomer = {
    source: options.source,
    from: { file, line },
    identity: identityOf(f),
    consent: { email: consent('email'), sms: consent('sms') },
    properties: {},
  };
  const firstName = f.text('first_name');
  const lastName = f.text('last_name');
  const tags = f.list('tags');
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  if (tags.length > 0) customer.properties['Tags'] = tags;
  return customer;
}
