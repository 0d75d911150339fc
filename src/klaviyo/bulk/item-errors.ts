/**
 * Which items of a bulk body a 400 names. Klaviyo validates bulk bodies all-or-nothing and points each error at
 * the item it is about (`errors[].source.pointer`), so a caller can drop those items and resend the rest once.
 */
import { KlaviyoValidationError } from '../transport/errors.js';

/** One error about one item: `index` into the body's item array; for events, `event` within that profile. */
export interface BulkItemError {
  index: number;
  /** For bulk events: the event within profile entry `index`; absent when the error is about the profile. */
  event?: number;
  pointer: string;
  detail: string;
  code?: string;
}

/** Item arrays of the bulk bodies: profile imports and subscriptions, and bulk events' profile entries. */
const ITEM_POINTER =
  /^\/data\/attributes\/(?:profiles|events-bulk-create)\/data\/(\d+)(?:\/attributes\/events\/data\/(\d+))?(?:\/|$)/;

/** The item-level errors of a bulk request's 400; empty for any other error or a request-level 400. */
export function bulkItemErrorsOf(error: unknown): BulkItemError[] {
  if (!(error instanceof KlaviyoValidationError)) return [];
  return error.errors.flatMap((item) => {
    const pointer = item.source?.pointer;
    const match = pointer ? ITEM_POINTER.exec(pointer) : null;
    if (!pointer || !match) return [];
    return [
      {
        index: Number(match[1]),
        ...(match[2] !== undefined ? { event: Number(match[2]) } : {}),
        pointer,
        detail: item.detail,
        ...(item.code !== undefined ? { code: item.code } : {}),
      },
    ];
  });
}

/** The distinct item indexes a bulk request's 400 points at, ascending. */
export function itemIndexesOf(error: unknown): number[] {
  return [...new Set(bulkItemErrorsOf(error).map((e) => e.index))].sort((a, b) => a - b);
}

/**
 * True when every error of a 400 names an item: dropping those items and resending the rest can succeed.
 * False for a request-level problem (a bad list id, too many items), where resending would fail again.
 */
export function isItemLevel(error: unknown): boolean {
  if (!(error instanceof KlaviyoValidationError) || error.errors.length === 0) return false;
  return bulkItemErrorsOf(error).length === error.errors.length;
}
