/** The bookkeeping of one rate-limit bucket: what was sent when, counted into fixed windows. */
export declare const SECOND = 1000;
export declare const MINUTE: number;
export declare const DAY: number;
/** Indices of the fixed windows of `sizeMs` that the span [from, to] overlaps. */
export declare function windowsBetween(from: number, to: number, sizeMs: number): number[];
/** Counts per fixed window index. */
export declare class WindowCounter {
    private readonly counts;
    get(index: number): number;
    set(index: number, count: number): void;
    add(index: number, delta: number): void;
    clear(): void;
    prune(oldestKept: number): void;
}
/**
 * One request as sent. The server counts it when it arrives, somewhere between `from` (sent) and the moment its
 * answer came back; until then (`to` undefined) it may still arrive in any later window.
 */
export interface SendRecord {
    from: number;
    to: number | undefined;
    day: number;
}
export interface Waiter<T> {
    resolve(value: T): void;
    reject(error: unknown): void;
    signal: AbortSignal | undefined;
    onAbort: (() => void) | undefined;
}
export interface BucketLimits {
    /** This client's share of the burst and steady windows. */
    burst: number;
    steady: number;
    /** The account's whole steady window, as the server counts it in `RateLimit-Remaining`. */
    serverSteady: number;
    daily: number | undefined;
}
export declare class Bucket<TPermit> {
    readonly key: string;
    readonly limit: BucketLimits;
    /** Own requests of the last minute or so. */
    records: SendRecord[];
    /** Requests without an answer yet: each may land in its send window or any later one. */
    readonly pending: Set<SendRecord>;
    /** Window counts of answered requests, over [from, to] mapped on the server clock. */
    readonly burst: WindowCounter;
    readonly steady: WindowCounter;
    /** Steady-window use by other clients of the account, inferred from `RateLimit-Remaining`. */
    readonly externalSteady: WindowCounter;
    readonly daily: WindowCounter;
    readonly queue: Array<Waiter<TPermit>>;
    blockedUntil: number;
    pumping: boolean;
    wake: AbortController | undefined;
    lastWaitUntil: number;
    constructor(key: string, limit: BucketLimits);
}
