/**
 * How a bulk request's failure is handled, the same for every stream. A 400 whose errors all name items drops
 * those items (they become failures in the history) and resends the rest once; any other 400 fails the batch.
 * 429s, 5xx and timeouts are retried by the client's transport (Retry-After, bounded backoff: every bulk body
 * here is safe to resend); one more resend follows when it gives up, then the run stops with the batch failed.
 * Nothing loops.
 */
import {
  KlaviyoNetworkError,
  KlaviyoOutcomeUnknownError,
  KlaviyoServerError,
  KlaviyoValidationError,
  bulkItemErrorsOf,
  isItemLevel,
  type BulkItemError,
} from '../../klaviyo/index.js';
import type { ItemFailure } from '../history/ledger.js';
import type { SentBatch } from './stream-work.js';

/** Resends after the transport's own retries were used up. */
const RESENDS_WHEN_UNAVAILABLE = 1;

export interface ItemRefusal<T> {
  item: T;
  code: string;
  detail: string;
  pointer?: string;
}

export interface SendResult<T> {
  accepted: T[];
  refused: ItemRefusal<T>[];
  /** Set when Klaviyo stayed unreachable: the caller stops sending. */
  unavailable?: string;
}

export interface ResendPolicy<T> {
  send(items: T[]): Promise<void>;
  /** The positions in `items` an item-level error names (a profile's error names all of its events). */
  itemsNamed(error: BulkItemError, items: readonly T[]): number[];
}

export async function sendWithRecovery<T>(items: T[], policy: ResendPolicy<T>): Promise<SendResult<T>> {
  const first = await attempt(items, policy);
  if (first.ok) return { accepted: items, refused: [] };
  const error = first.error;
  if (!isItemLevel(error)) return { accepted: [], ...wholeBatchFailure(items, error) };
  const refused = new Map<number, ItemRefusal<T>>();
  for (const itemError of bulkItemErrorsOf(error))
    for (const index of policy.itemsNamed(itemError, items))
      if (!refused.has(index))
        refused.set(index, {
          item: items[index]!,
          code: itemError.code ?? 'invalid',
          detail: itemError.detail,
          pointer: itemError.pointer,
        });
  const rest = items.filter((_, index) => !refused.has(index));
  if (rest.length === 0) return { accepted: [], refused: [...refused.values()] };
  // Once: a second refusal of what Klaviyo did not name means the request itself is the problem.
  const second = await attempt(rest, policy);
  if (second.ok) return { accepted: rest, refused: [...refused.values()] };
  const after = wholeBatchFailure(rest, second.error);
  return { accepted: [], ...after, refused: [...refused.values(), ...after.refused] };
}

type Attempt = { ok: true } | { ok: false; error: KlaviyoValidationError | UnavailableError };
type UnavailableError = KlaviyoServerError | KlaviyoNetworkError | KlaviyoOutcomeUnknownError;

async function attempt<T>(items: T[], policy: ResendPolicy<T>): Promise<Attempt> {
  for (let resend = 0; ; resend += 1) {
    try {
      await policy.send(items);
      return { ok: true };
    } catch (error) {
      if (error instanceof KlaviyoValidationError) return { ok: false, error };
      if (!isUnavailable(error)) throw error;
      if (resend >= RESENDS_WHEN_UNAVAILABLE) return { ok: false, error };
    }
  }
}

function isUnavailable(error: unknown): error is UnavailableError {
  return (
    error instanceof KlaviyoServerError ||
    error instanceof KlaviyoNetworkError ||
    error instanceof KlaviyoOutcomeUnknownError
  );
}

function wholeBatchFailure<T>(
  items: T[],
  error: KlaviyoValidationError | UnavailableError,
): Omit<SendResult<T>, 'accepted'> {
  const unavailable = !(error instanceof KlaviyoValidationError);
  const first = error.errors[0];
  const code = unavailable ? 'klaviyo-unavailable' : (first?.code ?? 'invalid-request');
  const detail = first?.detail ?? error.message;
  const refused = items.map((item) => ({
    item,
    code,
    detail,
    ...(first?.source?.pointer !== undefined && { pointer: first.source.pointer }),
  }));
  return { refused, ...(unavailable && { unavailable: error.message }) };
}

/**
 * What one sent batch leaves in the history: its acknowledgement (items as first sent, accepted, refused) and
 * each refused item as a failure named the way a person finds it (an email, an event's `unique_id`).
 */
export function recordOf<T>(
  key: string,
  items: number,
  result: SendResult<T>,
  nameOf: (item: T) => string,
): { batch: SentBatch; failures: ItemFailure[] } {
  return {
    batch: { key, items, accepted: result.accepted.length, failed: result.refused.length },
    failures: result.refused.map((refusal) => ({
      batchKey: key,
      item: nameOf(refusal.item),
      code: refusal.code,
      detail: refusal.detail,
      ...(refusal.pointer !== undefined && { pointer: refusal.pointer }),
    })),
  };
}
