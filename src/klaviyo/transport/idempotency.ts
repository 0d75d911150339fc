import type { KlaviyoOperation } from '../spec/operations.js';

/**
 * POST operations that can be repeated without creating a second object: upserts, renders, reads, relationship
 * adds, and bulk jobs whose effect (subscribe, suppress, import-as-upsert) is the same when applied twice.
 */
const IDEMPOTENT_POSTS = new Set([
  'create_or_update_profile',
  'render_template',
  'query_metric_aggregates',
  'bulk_import_profiles',
  'bulk_subscribe_profiles',
  'bulk_unsubscribe_profiles',
  'bulk_suppress_profiles',
  'bulk_unsuppress_profiles',
]);

function hasUniqueId(body: unknown): boolean {
  const attributes = (body as { data?: { attributes?: { unique_id?: unknown } } } | undefined)?.data
    ?.attributes;
  return typeof attributes?.unique_id === 'string' && attributes.unique_id.length > 0;
}

/** Every event of a bulk body carries a unique_id, so Klaviyo keeps only the first copy of each. */
function everyEventHasUniqueId(body: unknown): boolean {
  const entries = (body as { data?: { attributes?: Record<string, { data?: unknown }> } } | undefined)?.data
    ?.attributes?.['events-bulk-create']?.data;
  if (!Array.isArray(entries)) return false;
  return entries.every((entry: { attributes?: { events?: { data?: unknown } } }) => {
    const events = entry.attributes?.events?.data;
    return (
      Array.isArray(events) &&
      events.every((e: { attributes?: { unique_id?: unknown } }) => {
        const id = e.attributes?.unique_id;
        return typeof id === 'string' && id.length > 0;
      })
    );
  });
}

/** True when resending the request after an unknown outcome cannot create a duplicate. */
export function isIdempotent(
  method: string,
  operation: KlaviyoOperation | undefined,
  body: unknown,
): boolean {
  if (method !== 'POST') return true;
  if (!operation) return false;
  if (IDEMPOTENT_POSTS.has(operation.operationId)) return true;
  if (/\/relationships\/[^/]+$/.test(operation.pathTemplate)) return true;
  // Klaviyo records only the first event with a given unique_id for a profile and metric.
  if (operation.operationId === 'create_event') return hasUniqueId(body);
  if (operation.operationId === 'bulk_create_events') return everyEventHasUniqueId(body);
  return false;
}
