/**
 * Shopify's orders export: one row per line item, the order's own columns on its first row (repeated or blank
 * on the rows after it). Consecutive rows with the same `Name` are one order. An order with any bad row is
 * reported (at that row) and skipped whole: half an order would send wrong revenue.
 */
import { readCsvRows, type CsvRow } from './csv-rows.js';
import type { OrderLine, SourceItem, SourceOrder, SourceProblem } from './model.js';
import {
  parseEmail,
  parseMoney,
  parseQuantity,
  parseTimestamp,
  present,
  splitList,
  type Parsed,
} from './text-values.js';

export const SHOPIFY_ORDER_COLUMNS = [
  'Name',
  'Email',
  'Created at',
  'Currency',
  'Total',
  'Lineitem name',
] as const;

export interface ShopifyOrdersOptions {
  /** The sync.yaml source name, stamped on every record (and part of every event's unique_id). */
  source: string;
  path: string;
  displayPath?: string;
}

/** Reads the export streaming: one group of rows in memory at a time. */
export async function* readShopifyOrders(
  options: ShopifyOrdersOptions,
): AsyncGenerator<SourceItem<SourceOrder>> {
  const file = options.displayPath ?? options.path;
  let group: OrderGroup | undefined;
  for await (const item of readCsvRows({ ...options, requiredColumns: SHOPIFY_ORDER_COLUMNS })) {
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    const { row } = item;
    const name = present(row.get('Name'));
    if (name === undefined) {
      yield { kind: 'problem', problem: { file, line: row.line, reason: "the row has no order 'Name'" } };
      continue;
    }
    if (group && group.name !== name) {
      yield* finish(group, options.source, file);
      group = undefined;
    }
    group ??= new OrderGroup(name, row.line);
    group.add(row, file);
  }
  if (group) yield* finish(group, options.source, file);
}

function* finish(group: OrderGroup, source: string, file: string): Generator<SourceItem<SourceOrder>> {
  if (group.problems.length > 0) {
    for (const problem of group.problems) yield { kind: 'problem', problem };
    return;
  }
  const order = group.toOrder(source, file);
  yield 'reason' in order ? { kind: 'problem', problem: order } : { kind: 'record', record: order };
}

/** The columns that describe the order, not a line; taken from the first row that fills them. */
const ORDER_COLUMNS = [
  'Id',
  'Email',
  'Phone',
  'Billing Name',
  'Billing Phone',
  'Financial Status',
  'Fulfillment Status',
  'Fulfilled at',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Discount Code',
  'Discount Amount',
  'Created at',
  'Cancelled at',
  'Refunded Amount',
  'Tags',
] as const;
type OrderColumn = (typeof ORDER_COLUMNS)[number];

/** Columns whose different values on two rows of one order mean the rows are not one order. */
const IDENTITY_COLUMNS: readonly OrderColumn[] = ['Email', 'Currency', 'Created at'];

class OrderGroup {
  readonly problems: SourceProblem[] = [];
  private readonly fields = new Map<OrderColumn, { value: string; line: number }>();
  private readonly lines: OrderLine[] = [];

  constructor(
    readonly name: string,
    readonly firstLine: number,
  ) {}

  add(row: CsvRow, file: string): void {
    for (const column of ORDER_COLUMNS) {
      const value = row.get(column).trim();
      if (value === '') continue;
      const seen = this.fields.get(column);
      if (!seen) this.fields.set(column, { value, line: row.line });
      else if (seen.value.toLowerCase() !== value.toLowerCase() && IDENTITY_COLUMNS.includes(column))
        this.problem(
          file,
          row.line,
          `order ${this.name} has '${column}' ${seen.value} on line ${seen.line} but ${value} here`,
        );
    }
    const line = lineOf(row);
    if (line === undefined) return; // a row without a line item (Shopify writes some): nothing to add
    if ('reason' in line) this.problem(file, row.line, line.reason);
    else this.lines.push(line.value);
  }

  toOrder(source: string, file: string): SourceOrder | SourceProblem {
    const bad = (column: OrderColumn, reason: string): SourceProblem => ({
      file,
      line: this.fields.get(column)?.line ?? this.firstLine,
      reason: `order ${this.name} skipped: '${column}' ${reason}`,
    });
    const text = (column: OrderColumn) => this.fields.get(column)?.value;
    const created = text('Created at');
    if (created === undefined) return bad('Created at', 'is empty');
    const createdAt = parseTimestamp(created);
    if (!createdAt.ok) return bad('Created at', createdAt.reason);
    const times: Partial<Record<'Cancelled at' | 'Fulfilled at', string>> = {};
    for (const column of ['Cancelled at', 'Fulfilled at'] as const) {
      const value = text(column);
      if (value === undefined) continue;
      const parsed = parseTimestamp(value);
      if (!parsed.ok) return bad(column, parsed.reason);
      times[column] = parsed.value;
    }
    const email = parseEmail(text('Email'));
    if (!email.ok) return bad('Email', email.reason);
    const phone = text('Phone') ?? text('Billing Phone');
    if (email.value === undefined && phone === undefined)
      return bad('Email', 'and the phone columns are empty: the order belongs to nobody Klaviyo can find');
    const currency = text('Currency');
    if (currency === undefined || !/^[A-Za-z]{3}$/.test(currency))
      return bad('Currency', `'${currency ?? ''}' is not an ISO 4217 code`);
    const amounts: Record<string, number> = {};
    for (const column of [
      'Subtotal',
      'Shipping',
      'Taxes',
      'Total',
      'Discount Amount',
      'Refunded Amount',
    ] as const) {
      const parsed = parseMoney(text(column));
      if (!parsed.ok) return bad(column, parsed.reason);
      amounts[column] = parsed.value;
    }
    const [firstName, ...rest] = (text('Billing Name') ?? '').split(/\s+/).filter(Boolean);
    const order: SourceOrder = {
      source,
      from: { file, line: this.firstLine },
      id: text('Id') ?? this.name,
      number: this.name,
      customer: {
        ...(email.value !== undefined && { email: email.value }),
        ...(phone !== undefined && { phone }),
        ...(firstName !== undefined && { firstName }),
        ...(rest.length > 0 && { lastName: rest.join(' ') }),
      },
      createdAt: createdAt.value,
      ...(times['Cancelled at'] !== undefined && { cancelledAt: times['Cancelled at'] }),
      ...(times['Fulfilled at'] !== undefined && { fulfilledAt: times['Fulfilled at'] }),
      // The export knows only the refunded total, not each refund nor when: one refund, time unknown.
      refunds: amounts['Refunded Amount']! > 0 ? [{ id: 'total', amount: amounts['Refunded Amount']! }] : [],
      currency: currency.toUpperCase(),
      subtotal: amounts['Subtotal']!,
      shipping: amounts['Shipping']!,
      taxes: amounts['Taxes']!,
      total: amounts['Total']!,
      discountCodes: splitList(text('Discount Code')),
      discountAmount: amounts['Discount Amount']!,
      tags: splitList(text('Tags')),
      lines: this.lines,
    };
    const financial = text('Financial Status');
    const fulfillment = text('Fulfillment Status');
    if (financial !== undefined) order.financialStatus = financial;
    if (fulfillment !== undefined) order.fulfillmentStatus = fulfillment;
    return order;
  }

  private problem(file: string, line: number, reason: string): void {
    this.problems.push({ file, line, reason: `order ${this.name} skipped: ${reason}` });
  }
}

function lineOf(row: CsvRow): Parsed<OrderLine> | undefined {
  const name = present(row.get('Lineitem name'));
  const quantityText = present(row.get('Lineitem quantity'));
  const priceText = present(row.get('Lineitem price'));
  if (name === undefined && quantityText === undefined && priceText === undefined) return undefined;
  if (name === undefined) return { ok: false, reason: "the line item has no 'Lineitem name'" };
  const quantity = parseQuantity(quantityText);
  if (!quantity.ok) return { ok: false, reason: `'Lineitem quantity' ${quantity.reason}` };
  const price = parseMoney(priceText);
  if (!price.ok) return { ok: false, reason: `'Lineitem price' ${price.reason}` };
  const line: OrderLine = { name, quantity: quantity.value, price: price.value, categories: [] };
  const sku = present(row.get('Lineitem sku'));
  const vendor = present(row.get('Vendor'));
  if (sku !== undefined) line.sku = sku;
  if (vendor !== undefined) line.vendor = vendor;
  return { ok: true, value: line };
}
