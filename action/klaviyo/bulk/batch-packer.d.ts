/**
 * Packs items into request bodies under a count and a byte cap, one item at a time, so a caller can stream
 * millions of items through it with flat memory. Sizes are of the serialized JSON, as Klaviyo measures them.
 */
import type { BulkBodyLimits } from './limits.js';
export type PackOutcome<T> = 
/** The item is in the open batch. */
{
    kind: 'added';
}
/** The open batch was full: here it is, and the item opens the next one. */
 | {
    kind: 'sealed';
    batch: T[];
}
/** The item alone breaks a cap; it is in no batch. */
 | {
    kind: 'too-large';
    bytes: number;
    limit: number;
    reason: string;
};
/** Bytes of a value as JSON text (UTF-8). */
export declare function jsonBytes(value: unknown): number;
/** The first string longer than `limit` bytes anywhere in `value`, as a JSON pointer relative to it. */
export declare function longStringPointer(value: unknown, limit: number, at?: string): string | undefined;
export declare class BatchPacker<T> {
    private readonly limits;
    private readonly envelopeBytes;
    private items;
    private bytes;
    /** `envelopeBytes`: the body's bytes with an empty item array. */
    constructor(limits: BulkBodyLimits, envelopeBytes: number);
    get size(): number;
    /** Adds an item whose JSON is `itemBytes` long. */
    add(item: T, itemBytes: number): PackOutcome<T>;
    /** The open batch, if any, closing it. */
    flush(): T[] | undefined;
    private takeBatch;
}
