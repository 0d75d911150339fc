/** One error about one item: `index` into the body's item array; for events, `event` within that profile. */
export interface BulkItemError {
    index: number;
    /** For bulk events: the event within profile entry `index`; absent when the error is about the profile. */
    event?: number;
    pointer: string;
    detail: string;
    code?: string;
}
/** The item-level errors of a bulk request's 400; empty for any other error or a request-level 400. */
export declare function bulkItemErrorsOf(error: unknown): BulkItemError[];
/** The distinct item indexes a bulk request's 400 points at, ascending. */
export declare function itemIndexesOf(error: unknown): number[];
/**
 * True when every error of a 400 names an item: dropping those items and resending the rest can succeed.
 * False for a request-level problem (a bad list id, too many items), where resending would fail again.
 */
export declare function isItemLevel(error: unknown): boolean;
