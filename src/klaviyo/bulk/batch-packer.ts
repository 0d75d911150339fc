/**
 * Packs items into request bodies under a count and a byte cap, one item at a time, so a caller can stream
 * millions of items through it with flat memory. Sizes are of the serialized JSON, as Klaviyo measures them.
 */
import type { BulkBodyLimits } from './limits.js';

export type PackOutcome<T> =
  /** The item is in the open batch. */
  | { kind: 'added' }
  /** The open batch was full: here it is, and the item opens the next one. */
  | { kind: 'sealed'; batch: T[] }
  /** The item alone breaks a cap; it is in no batch. */
  | { kind: 'too-large'; bytes: number; limit: number; reason: string };

/** Bytes of a value as JSON text (UTF-8). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** The first string longer than `limit` bytes anywhere in `value`, as a JSON pointer relative to it. */
export function longStringPointer(value: unknown, limit: number, at = ''): string | undefined {
  if (typeof value === 'string') return Buffer.byteLength(value) > limit ? at || '/' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = longStringPointer(child, limit, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found) return found;
  }
  return undefined;
}

export class BatchPacker<T> {
  private items: T[] = [];
  private bytes: number;

  /** `envelopeBytes`: the body's bytes with an empty item array. */
  constructor(
    private readonly limits: BulkBodyLimits,
    private readonly envelopeBytes: number,
  ) {
    this.bytes = envelopeBytes;
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an item whose JSON is `itemBytes` long. */
  add(item: T, itemBytes: number): PackOutcome<T> {
    const { maxItems, maxBodyBytes, maxItemBytes } = this.limits;
    if (maxItemBytes !== undefined && itemBytes > maxItemBytes)
      return { kind: 'too-large', bytes: itemBytes, limit: maxItemBytes, reason: 'item' };
    if (this.envelopeBytes + itemBytes > maxBodyBytes)
      return { kind: 'too-large', bytes: itemBytes, limit: maxBodyBytes, reason: 'body' };
    const separator = this.items.length > 0 ? 1 : 0;
    if (this.items.length + 1 > maxItems || this.bytes + separator + itemBytes > maxBodyBytes) {
      const batch = this.takeBatch();
      this.items.push(item);
      this.bytes += itemBytes;
      return { kind: 'sealed', batch };
    }
    this.items.push(item);
    this.bytes += separator + itemBytes;
    return { kind: 'added' };
  }

  /** The open batch, if any, closing it. */
  flush(): T[] | undefined {
    return this.items.length > 0 ? this.takeBatch() : undefined;
  }

  private takeBatch(): T[] {
    const batch = this.items;
    this.items = [];
    this.bytes = this.envelopeBytes;
    return batch;
  }
}
