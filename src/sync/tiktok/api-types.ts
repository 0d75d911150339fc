/**
 * The parts of TikTok Shop's order search answer (`POST /order/202309/orders/search`) the sync reads. Amounts are
 * decimal strings; times are Unix seconds. Every field TikTok may omit or desensitise is optional.
 */

export type TikTokOrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

export interface TikTokPayment {
  currency?: string;
  sub_total?: string;
  shipping_fee?: string;
  seller_discount?: string;
  platform_discount?: string;
  tax?: string;
  total_amount?: string;
}

export interface TikTokDistrict {
  address_level_name?: string;
  address_name?: string;
}

export interface TikTokRecipientAddress {
  name?: string;
  first_name?: string;
  last_name?: string;
  phone_number?: string;
  full_address?: string;
  address_line1?: string;
  address_line2?: string;
  address_line3?: string;
  address_line4?: string;
  postal_code?: string;
  region_code?: string;
  district_info?: TikTokDistrict[];
}

export interface TikTokLineItem {
  id: string;
  sku_id?: string;
  product_id?: string;
  product_name?: string;
  sku_name?: string;
  seller_sku?: string;
  sku_image?: string;
  sale_price?: string;
  original_price?: string;
  currency?: string;
  display_status?: string;
  is_gift?: boolean;
}

export interface TikTokOrder {
  id: string;
  status: TikTokOrderStatus | string;
  create_time: number;
  update_time: number;
  paid_time?: number;
  cancel_time?: number;
  /** The buyer's TikTok user id. */
  user_id?: string;
  /** A platform relay address, never the buyer's own. */
  buyer_email?: string;
  payment?: TikTokPayment;
  recipient_address?: TikTokRecipientAddress;
  line_items?: TikTokLineItem[];
  fulfillment_type?: string;
  shipping_type?: string;
  is_sample_order?: boolean;
  is_replacement_order?: boolean;
}

export interface TikTokOrderSearchData {
  next_page_token?: string;
  total_count?: number;
  orders?: TikTokOrder[];
}

/** TikTok's answer envelope; `code != 0` is an error. */
export interface TikTokEnvelope<T> {
  code: number;
  message: string;
  request_id?: string;
  data?: T;
}
