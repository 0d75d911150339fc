import type { TikTokOrder, TikTokRecipientAddress } from './api-types.js';
import type {
  OrderMapping,
  SyncCustomer,
  SyncLocation,
  SyncOrderLine,
  SyncOrderStage,
  SyncOrderTotals,
} from './records.js';

/**
 * TikTok Shop order -> normalised order and customer. TikTok desensitises buyer data: the email is a relay
 * address and names, phones and addresses come masked with `*`. Masked values are dropped (a masked value sent
 * to Klaviyo would overwrite a real one with asterisks), the relay address never becomes an email, and no
 * channel is ever consented.
 */

/** TikTok masks by replacing characters with `*`; one is enough to make a value useless. */
export function isMasked(value: string): boolean {
  return value.includes('*');
}

/** A usable value: present, not blank, not masked. */
function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' || isMasked(trimmed) ? undefined : trimmed;
}

/** TikTok writes phones like `(+1)2135550147`; Klaviyo takes E.164 only, so anything else is dropped. */
export function toE164(phone: string | undefined): string | undefined {
  const value = clean(phone);
  if (value === undefined) return undefined;
  const compact = value.replace(/[\s()\-.]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : undefined;
}

function districtName(address: TikTokRecipientAddress, levels: readonly string[]): string | undefined {
  const district = address.district_info?.find((d) =>
    levels.includes((d.address_level_name ?? '').toLowerCase()),
  );
  return clean(district?.address_name);
}

function toLocation(address: TikTokRecipientAddress | undefined): SyncLocation | undefined {
  if (address === undefined) return undefined;
  const parts: SyncLocation = {
    address1: clean(address.address_line1),
    address2: clean(address.address_line2),
    city: districtName(address, ['city']),
    region: districtName(address, ['state', 'province', 'region']),
    zip: clean(address.postal_code),
    country: clean(address.region_code),
  };
  const kept = Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)) as SyncLocation;
  return Object.keys(kept).length === 0 ? undefined : kept;
}

export function toCustomer(order: TikTokOrder): SyncCustomer | undefined {
  const userId = clean(order.user_id);
  if (userId === undefined) return undefined;
  const address = order.recipient_address;
  return {
    source: 'tiktok-shop',
    externalId: `tiktok:${userId}`,
    email: undefined,
    relayEmail: order.buyer_email?.trim() || undefined,
    phoneNumber: toE164(address?.phone_number),
    firstName: clean(address?.first_name),
    lastName: clean(address?.last_name),
    location: toLocation(address),
    consent: {
      email: { kind: 'never', reason: 'tiktok-relay-address' },
      sms: { kind: 'never', reason: 'tiktok-platform-policy' },
    },
  };
}

const STAGES: Readonly<Record<string, SyncOrderStage>> = {
  UNPAID: 'unpaid',
  ON_HOLD: 'placed',
  AWAITING_SHIPMENT: 'placed',
  PARTIALLY_SHIPPING: 'placed',
  AWAITING_COLLECTION: 'placed',
  // Shipped counts as fulfilled, as in Klaviyo's Shopify integration.
  IN_TRANSIT: 'fulfilled',
  DELIVERED: 'fulfilled',
  COMPLETED: 'fulfilled',
  CANCELLED: 'cancelled',
};

/** TikTok's decimal strings as numbers; `problems` gets one line per unreadable amount. */
function amount(value: string | undefined, field: string, problems: string[], required: boolean): number {
  if (value === undefined || value === '') {
    if (required) problems.push(`${field} is missing`);
    return 0;
  }
  if (!/^-?\d+(\.\d+)?$/.test(value)) {
    problems.push(`${field} is not a decimal amount: ${JSON.stringify(value)}`);
    return 0;
  }
  return Number(value);
}

function isoTime(seconds: number | undefined): string | undefined {
  return seconds === undefined || seconds === 0 ? undefined : new Date(seconds * 1000).toISOString();
}

export function mapTikTokOrder(order: TikTokOrder): OrderMapping {
  const problems: string[] = [];
  const stage = STAGES[order.status];
  if (stage === undefined)
    problems.push(`status ${JSON.stringify(order.status)} is not a known TikTok order status`);
  for (const field of ['create_time', 'update_time'] as const) {
    if (!Number.isInteger(order[field]) || order[field] <= 0) problems.push(`${field} is not Unix seconds`);
  }
  const payment = order.payment ?? {};
  const currency = payment.currency ?? order.line_items?.find((l) => l.currency)?.currency;
  if (currency === undefined || !/^[A-Z]{3}$/.test(currency))
    problems.push('payment.currency is missing or not ISO 4217');
  const totals: SyncOrderTotals = {
    subtotal: amount(payment.sub_total, 'payment.sub_total', problems, false),
    shipping: amount(payment.shipping_fee, 'payment.shipping_fee', problems, false),
    tax: amount(payment.tax, 'payment.tax', problems, false),
    discount:
      amount(payment.seller_discount, 'payment.seller_discount', problems, false) +
      amount(payment.platform_discount, 'payment.platform_discount', problems, false),
    total: amount(payment.total_amount, 'payment.total_amount', problems, true),
  };
  const lines: SyncOrderLine[] = (order.line_items ?? []).map((item, index) => {
    const name = item.product_name?.trim();
    if (!name) problems.push(`line_items[${index}].product_name is missing`);
    return {
      id: item.id,
      productId: item.product_id,
      variantId: item.sku_id,
      sku: item.seller_sku || undefined,
      name: name ?? '',
      variantName: item.sku_name || undefined,
      quantity: 1,
      unitPrice: amount(item.sale_price, `line_items[${index}].sale_price`, problems, true),
      imageUrl: item.sku_image || undefined,
    };
  });
  if (problems.length > 0 || stage === undefined || currency === undefined) {
    return { kind: 'rejected', source: 'tiktok-shop', orderId: order.id, problems };
  }
  return {
    kind: 'order',
    order: {
      source: 'tiktok-shop',
      id: order.id,
      stage,
      sourceStatus: order.status,
      createdAt: isoTime(order.create_time)!,
      updatedAt: isoTime(order.update_time)!,
      paidAt: isoTime(order.paid_time),
      cancelledAt: isoTime(order.cancel_time),
      customer: toCustomer(order),
      currency,
      totals,
      lines,
    },
  };
}
