/**
 * The data a preview renders with, laid out the way Klaviyo exposes it: profile shortcuts (`first_name`),
 * `person` (standard fields and custom properties), `event`, and `organization` from the brand.
 */

/** A sample file (`samples/<name>.yaml`) and its name. */
export interface PreviewSample {
  name: string;
  profile?: Record<string, unknown>;
  event?: Record<string, unknown>;
  /** Catalog items by product id, for `{% catalog %}`. */
  catalog?: Record<string, unknown>;
  /** Unique codes by coupon name, for `{% coupon_code %}`. */
  coupons?: Record<string, string>;
}

/** The brand fields `organization` is filled from. */
export interface PreviewBrand {
  name?: string;
  postal_address?: string;
  website?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildPreviewContext(
  sample: PreviewSample | undefined,
  brand: PreviewBrand,
): Record<string, unknown> {
  const profile = isRecord(sample?.profile) ? sample.profile : {};
  const { properties, ...standard } = profile;
  const person: Record<string, unknown> = { ...(isRecord(properties) ? properties : {}), ...standard };
  const organization: Record<string, unknown> = {};
  if (brand.name !== undefined) organization.name = brand.name;
  if (brand.postal_address !== undefined) organization.full_address = brand.postal_address;
  if (brand.website !== undefined) organization.url = brand.website;
  const context: Record<string, unknown> = { ...standard, person, organization };
  if (isRecord(sample?.event)) context.event = sample.event;
  return context;
}

/** A sample as loaded from YAML, checked loosely: unknown shapes become empty. */
export function toPreviewSample(name: string, value: unknown): PreviewSample {
  const data = isRecord(value) ? value : {};
  const sample: PreviewSample = { name };
  if (isRecord(data.profile)) sample.profile = data.profile;
  if (isRecord(data.event)) sample.event = data.event;
  if (isRecord(data.catalog)) sample.catalog = data.catalog;
  if (isRecord(data.coupons)) {
    sample.coupons = Object.fromEntries(Object.entries(data.coupons).map(([k, v]) => [k, String(v)]));
  }
  return sample;
}
