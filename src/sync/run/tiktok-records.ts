/**
 * TikTok Shop's mapped orders in the sync's shared shapes, so one engine sends every source. The relay address
 * stays an identity the gate and the event builder recognise (and never use as an email); TikTok's "never"
 * consent becomes a declined one, so the gate skips TikTok buyers whatever else it is told.
 */
import type { ChannelConsent as TikTokConsent, SyncCustomer, SyncOrder } from '../tiktok/records.js';
import type { ChannelConsent, SourceCustomer, SourceLocation, SourceOrder } from '../model.js';

export function orderFromTikTok(order: SyncOrder, source: string, from: SourceLocation): SourceOrder {
  const buyer = order.customer;
  const customer: SourceOrder['customer'] = {};
  if (buyer) {
    if (buyer.relayEmail !== undefined) customer.email = buyer.relayEmail.toLowerCase();
    if (buyer.phoneNumber !== undefined) customer.phone = buyer.phoneNumber;
    customer.externalId = buyer.externalId;
    if (buyer.firstName !== undefined) customer.firstName = buyer.firstName;
    if (buyer.lastName !== undefined) customer.lastName = buyer.lastName;
  }
  const converted: SourceOrder = {
    source,
    from,
    id: order.id,
    number: order.id,
    customer,
    createdAt: order.paidAt ?? order.createdAt,
    refunds: [],
    currency: order.currency,
    subtotal: order.totals.subtotal,
    shipping: order.totals.shipping,
    taxes: order.totals.tax,
    total: order.totals.total,
    discountCodes: [],
    discountAmount: order.totals.discount,
    financialStatus: order.sourceStatus,
    tags: [],
    lines: order.lines.map((line) => ({
      id: line.id,
      ...(line.sku !== undefined && { sku: line.sku }),
      ...(line.productId !== undefined && { productId: line.productId }),
      name: line.name,
      quantity: line.quantity,
      price: line.unitPrice,
      categories: [],
    })),
  };
  // TikTok says when an order was updated, not when it shipped: the update time is the closest known.
  if (order.stage === 'fulfilled') converted.fulfilledAt = order.updatedAt;
  if (order.stage === 'cancelled') converted.cancelledAt = order.cancelledAt ?? order.updatedAt;
  return converted;
}

export function customerFromTikTok(
  buyer: SyncCustomer,
  source: string,
  from: SourceLocation,
): SourceCustomer {
  const customer: SourceCustomer = {
    source,
    from,
    identity: {
      externalId: buyer.externalId,
      ...(buyer.relayEmail !== undefined && { email: buyer.relayEmail.toLowerCase() }),
      ...(buyer.phoneNumber !== undefined && { phone: buyer.phoneNumber }),
    },
    consent: { email: consentOf(buyer.consent.email), sms: consentOf(buyer.consent.sms) },
    properties: {},
  };
  if (buyer.firstName !== undefined) customer.firstName = buyer.firstName;
  if (buyer.lastName !== undefined) customer.lastName = buyer.lastName;
  if (buyer.location !== undefined) customer.location = buyer.location;
  return customer;
}

function consentOf(consent: TikTokConsent): ChannelConsent {
  if (consent.kind === 'granted')
    return { state: 'granted', at: consent.consentedAt, provenance: consent.provenance };
  if (consent.kind === 'never') return { state: 'declined', provenance: consent.reason };
  return { state: 'unknown' };
}
