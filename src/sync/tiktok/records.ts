/**
 * The normalised customer and order records a TikTok Shop order becomes, in the minimal shape the sync needs.
 * Field names follow Klaviyo's profile attributes where one exists, so the step to a Klaviyo body is a copy.
 * README.md in this folder says how these line up with the sync's shared records.
 */

/** Marketing consent for one channel, with where it came from. */
export type ChannelConsent =
  /** The source rules out marketing to this contact (TikTok: relay addresses, platform policy). */
  | { kind: 'never'; reason: 'tiktok-relay-address' | 'tiktok-platform-policy' }
  /** The source says nothing either way: not a reason to subscribe. */
  | { kind: 'unknown' }
  | { kind: 'granted'; consentedAt: string; provenance: string };

export interface SyncLocation {
  address1?: string;
  address2?: string;
  city?: string;
  region?: string;
  zip?: string;
  /** ISO 3166-1 alpha-2 as the source gives it. */
  country?: string;
}

export interface SyncCustomer {
  source: 'tiktok-shop';
  /** Klaviyo's `external_id`: `tiktok:<buyer user id>`. The profile's identity for TikTok buyers. */
  externalId: string;
  /** Klaviyo's `email`: a marketable address only. TikTok never provides one, so this is always undefined. */
  email: undefined;
  /**
   * The platform relay address TikTok gave for the buyer. Never an `email`, never subscribed; kept only so the
   * sync can count or store it as a flagged property. It stops working after fulfilment.
   */
  relayEmail: string | undefined;
  /** Klaviyo's `phone_number`, E.164; absent when TikTok masked it. */
  phoneNumber: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  /** Only the address parts TikTok did not mask; undefined when none is left. */
  location: SyncLocation | undefined;
  consent: { email: ChannelConsent; sms: ChannelConsent };
}

/** Where an order stands, in the terms of Klaviyo's order events. */
export type SyncOrderStage = 'unpaid' | 'placed' | 'fulfilled' | 'cancelled';

export interface SyncOrderLine {
  /** TikTok's line item id: one line per unit, so quantity is always 1. */
  id: string;
  productId: string | undefined;
  variantId: string | undefined;
  sku: string | undefined;
  name: string;
  variantName: string | undefined;
  quantity: 1;
  unitPrice: number;
  imageUrl: string | undefined;
}

export interface SyncOrderTotals {
  subtotal: number;
  shipping: number;
  tax: number;
  /** Seller and platform discounts together. */
  discount: number;
  /** What the buyer paid: Klaviyo's `value` of Placed Order. */
  total: number;
}

export interface SyncOrder {
  source: 'tiktok-shop';
  id: string;
  stage: SyncOrderStage;
  /** TikTok's own status, for properties and debugging. */
  sourceStatus: string;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  paidAt: string | undefined;
  cancelledAt: string | undefined;
  /** Undefined when TikTok gave no buyer user id: such an order cannot be tied to a profile. */
  customer: SyncCustomer | undefined;
  /** ISO 4217. */
  currency: string;
  totals: SyncOrderTotals;
  lines: SyncOrderLine[];
}

/** A mapped order, or why it could not be mapped (each problem names the field). */
export type OrderMapping =
  | { kind: 'order'; order: SyncOrder }
  | { kind: 'rejected'; source: 'tiktok-shop'; orderId: string; problems: string[] };
