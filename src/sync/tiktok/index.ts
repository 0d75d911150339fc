/** TikTok Shop as a source of orders and customers for the sync. See README.md. */
export type * from './api-types.js';
export * from './client.js';
export * from './errors.js';
export { isMasked, mapTikTokOrder, toCustomer, toE164 } from './mapping.js';
export * from './order-feed.js';
export type * from './records.js';
export { signRequest, UNSIGNED_QUERY_KEYS, type SignatureInput } from './signing.js';
