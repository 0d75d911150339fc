/**
 * Metric names flows and segments may reference. Klaviyo identifies metrics by id, which differs per account;
 * the repository names them, and the engine resolves names to ids. A typo would only fail at apply time, so
 * names are checked here against Klaviyo's standard metrics plus the custom ones declared in the root config.
 */

/** Metrics Klaviyo and its common integrations (Shopify, BigCommerce, WooCommerce, Klaviyo's own JS) create. */
export const STANDARD_METRICS: readonly string[] = [
  // Onsite and ecommerce
  'Active on Site',
  'Viewed Product',
  'Viewed Collection',
  'Added to Cart',
  'Started Checkout',
  'Placed Order',
  'Ordered Product',
  'Fulfilled Order',
  'Fulfilled Partial Order',
  'Cancelled Order',
  'Refunded Order',
  'Checkout Started',
  'Submitted Search',
  'Back in Stock Subscribed',
  'Price Drop',
  // Email
  'Received Email',
  'Opened Email',
  'Clicked Email',
  'Bounced Email',
  'Dropped Email',
  'Marked Email as Spam',
  'Unsubscribed',
  'Unsubscribed from Email Marketing',
  // SMS and push
  'Received SMS',
  'Clicked SMS',
  'Sent SMS',
  'Failed to Deliver SMS',
  'Unsubscribed from SMS Marketing',
  'Subscribed to SMS Marketing',
  'Received Push',
  'Opened Push',
  'Bounced Push',
  // Lists, forms, consent
  'Subscribed to List',
  'Unsubscribed from List',
  'Subscribed to Email Marketing',
  'Viewed Form',
  'Submitted Form',
  'Closed Form',
  'Updated Email Preferences',
  'Merged Profile',
  // Reviews and loyalty (Klaviyo Reviews)
  'Submitted Review',
  'Review Published',
];

export function knownMetrics(custom: readonly string[] = []): Set<string> {
  return new Set([...STANDARD_METRICS, ...custom]);
}
