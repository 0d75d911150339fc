/**
 * Orders -> the events Klaviyo's own ecommerce integrations send, shaped as bulk event job entries. Pure.
 * Every event's `unique_id` is derived from (source, order, metric, line or refund) so re-sending an order
 * never counts its revenue twice; events older than the live window go with `backfill` so they never fire
 * flows.
 */
import type { KlaviyoSchemas } from '../klaviyo/index.js';
import type { OrderLine, SourceOrder } from './model.js';
import { e164Phone, isRelayEmail } from './text-values.js';

export type OrderMetric =
  'Placed Order' | 'Ordered Product' | 'Fulfilled Order' | 'Cancelled Order' | 'Refunded Order';

export interface OrderEvent {
  metric: OrderMetric;
  /** ISO 8601 UTC, to the second. */
  time: string;
  value: number;
  valueCurrency: string;
  uniqueId: string;
  backfill: boolean;
  properties: Record<string, unknown>;
}

export interface EventTiming {
  /** The run's clock. */
  now: Date;
  /** Events at most this old may trigger flows; older ones are sent as backfill. */
  liveWindowHours: number;
}

export function eventsFromOrder(order: SourceOrder, timing: EventTiming): OrderEvent[] {
  const liveSince = timing.now.getTime() - timing.liveWindowHours * 3_600_000;
  const make = (
    metric: OrderMetric,
    time: string,
    value: number,
    key: string,
    properties: object,
    timeKnown = true,
  ) => ({
    metric,
    time,
    value,
    valueCurrency: order.currency,
    uniqueId: eventId(order, metric, key),
    // An event whose time is a stand-in is never live: a guessed time must not fire a flow.
    backfill: !timeKnown || Date.parse(time) < liveSince,
    properties: { ...properties },
  });
  const summary = orderProperties(order);
  const events: OrderEvent[] = [make('Placed Order', order.createdAt, order.total, 'order', summary)];
  order.lines.forEach((line, index) =>
    events.push(
      make('Ordered Product', order.createdAt, rowTotal(line), lineKey(line, index), {
        OrderId: order.id,
        OrderNumber: order.number,
        ...itemOf(line),
        ProductBrand: line.vendor,
      }),
    ),
  );
  if (order.fulfilledAt)
    events.push(make('Fulfilled Order', order.fulfilledAt, order.total, 'order', summary));
  if (order.cancelledAt)
    events.push(make('Cancelled Order', order.cancelledAt, order.total, 'order', summary));
  for (const refund of order.refunds) {
    const known = refund.at !== undefined;
    const at = refund.at ?? latestTime(order);
    events.push(make('Refunded Order', at, refund.amount, `refund:${refund.id}`, summary, known));
  }
  return events.map(dropUndefined);
}

/** `<source>:<order id>:<metric>:<line|refund|order>`: stable across runs, distinct within an order. */
export function eventId(order: Pick<SourceOrder, 'source' | 'id'>, metric: OrderMetric, key: string): string {
  return `${order.source}:${order.id}:${metric.toLowerCase().replace(/ /g, '-')}:${key}`;
}

function lineKey(line: OrderLine, index: number): string {
  // Exports without line ids: the position in the order (and the SKU, so a reordered export is caught
  // as a different line rather than silently merged).
  return line.id !== undefined ? `line:${line.id}` : `line:${index + 1}:${line.sku ?? line.name}`;
}

function orderProperties(order: SourceOrder): Record<string, unknown> {
  const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
  return {
    OrderId: order.id,
    OrderNumber: order.number,
    Categories: unique(order.lines.flatMap((l) => l.categories)),
    ItemNames: order.lines.map((l) => l.name),
    Brands: unique(order.lines.map((l) => l.vendor)),
    DiscountCode: order.discountCodes.join(', ') || undefined,
    DiscountValue: order.discountAmount,
    ShippingCosts: order.shipping,
    Subtotal: order.subtotal,
    Taxes: order.taxes,
    FinancialStatus: order.financialStatus,
    FulfillmentStatus: order.fulfillmentStatus,
    Tags: order.tags.length > 0 ? order.tags : undefined,
    Items: order.lines.map(itemOf),
  };
}

function itemOf(line: OrderLine): Record<string, unknown> {
  return {
    ProductID: line.productId,
    SKU: line.sku,
    ProductName: line.name,
    Quantity: line.quantity,
    ItemPrice: line.price,
    RowTotal: rowTotal(line),
    Categories: line.categories,
    Brand: line.vendor,
  };
}

function rowTotal(line: OrderLine): number {
  return Math.round(line.price * line.quantity * 100) / 100;
}

function latestTime(order: SourceOrder): string {
  return [order.createdAt, order.fulfilledAt, order.cancelledAt]
    .filter((t): t is string => t !== undefined)
    .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export type BulkEventEntry = KlaviyoSchemas['schemas']['EventsBulkCreateQueryResourceObject'];

/**
 * One entry of a bulk event job: the order's profile and its events. Undefined when the order names no one
 * Klaviyo accepts (no email and no E.164 phone): such an order is counted, not sent.
 */
export function bulkEventEntry(
  order: SourceOrder,
  events: readonly OrderEvent[],
): BulkEventEntry | undefined {
  const phone = e164Phone(order.customer.phone);
  const { externalId, firstName, lastName } = order.customer;
  // A marketplace relay address is not the person's email; it never becomes a profile's email.
  const email =
    order.customer.email !== undefined && !isRelayEmail(order.customer.email)
      ? order.customer.email
      : undefined;
  if (email === undefined && phone === undefined && externalId === undefined) return undefined;
  return {
    type: 'event-bulk-create',
    attributes: {
      profile: {
        data: {
          type: 'profile',
          attributes: dropUndefined({
            email,
            phone_number: phone,
            external_id: externalId,
            first_name: firstName,
            last_name: lastName,
          }),
        },
      },
      events: {
        data: events.map((event) => ({
          type: 'event',
          attributes: {
            properties: event.properties,
            time: event.time,
            value: event.value,
            value_currency: event.valueCurrency,
            unique_id: event.uniqueId,
            backfill: event.backfill,
            metric: { data: { type: 'metric', attributes: { name: event.metric } } },
          },
        })),
      },
    },
  };
}

export type BulkEventJobBody = KlaviyoSchemas['schemas']['EventsBulkCreateJob'];

/** A bulk event job around entries; batching them under Klaviyo's caps is the caller's job. */
export function bulkEventJobBody(entries: readonly BulkEventEntry[]): BulkEventJobBody {
  return {
    data: { type: 'event-bulk-create-job', attributes: { 'events-bulk-create': { data: [...entries] } } },
  };
}
