import type { Clock } from './clock.js';
/** The limits one bucket of requests must respect (an operation, or an operation with a costly parameter). */
export interface BucketLimit {
    burstPerSecond: number;
    steadyPerMinute: number;
    dailyCap?: number | undefined;
}
export type WaitReason = 'burst-window' | 'steady-window' | 'retry-after';
export interface RateLimiterOptions {
    clock: Clock;
    /** The fraction of each window this client may use (0 < share <= 1), leaving the rest to other integrations. */
    share?: number;
    /**
     * Requests of the account in flight at once. A request takes a slot only once its windows have room, so a
     * request waiting for a slow operation's window never holds back a fast operation.
     */
    maxInFlight?: number;
    onWait?: (info: {
        bucket: string;
        delayMs: number;
        reason: WaitReason;
    }) => void;
}
/** Thrown by `acquire` when the local count of a bucket's daily cap is used up. */
export declare class DailyCapExhausted extends Error {
    readonly bucket: string;
    readonly dailyCap: number;
    readonly resetsAt: number;
    constructor(bucket: string, dailyCap: number, resetsAt: number);
}
/** What the server said about a request, fed back to the limiter. */
export interface ServerFeedback {
    status: number;
    receivedAt: number;
    /** `RateLimit-Remaining`: requests left in the steady window. */
    remaining?: number | undefined;
    /** `RateLimit-Reset`: seconds until the steady window resets. */
    resetSeconds?: number | undefined;
    /** `Retry-After` on a 429, in seconds. */
    retryAfterSeconds?: number | undefined;
}
/** A granted slot. Report the outcome so the limiter can learn from the server's headers. */
export interface Permit {
    readonly sentAt: number;
    settle(feedback: ServerFeedback | undefined): void;
}
/**
 * Paces requests of one account so they fit Klaviyo's fixed 1 s and 1 min windows and daily caps.
 *
 * Each bucket keeps a FIFO queue: callers are served in arrival order, one pump per bucket grants a slot as soon
 * as both windows have room, and sleeps until the earliest window boundary otherwise (no polling, no thundering
 * herd). Windows are aligned on the server's clock as estimated from `RateLimit-Reset`.
 *
 * The server counts a request when it arrives, which the client cannot see; it only knows the request arrived
 * between sending it and getting its answer. So an unanswered request is counted in its send window and every
 * later one it may still land in, until its answer comes back; then in exactly the windows of [sent, answered].
 * A request about to be sent is checked against every window it may land in, up to the slowest recent round
 * trip later.
 */
export declare class AccountRateLimiter {
    private readonly buckets;
    private readonly clock;
    private readonly share;
    private readonly onWait;
    private readonly maxInFlight;
    private inFlight;
    /** Pumps waiting for an in-flight slot, served first come, first served. */
    private readonly slotWaiters;
    /** Server clock minus client clock, in ms, as far as the client can tell. */
    private offsetMs;
    private readonly recentRtts;
    constructor(options: RateLimiterOptions);
    /** The current estimate of the server clock's lead over ours. */
    get serverClockOffsetMs(): number;
    /** Waits for a slot in `key`'s windows. Rejects with `DailyCapExhausted` at once when the daily cap is used. */
    acquire(key: string, limit: BucketLimit, signal?: AbortSignal): Promise<Permit>;
    /** Requests of `key` counted in the current steady window, as this client sees it (for tests and logs). */
    steadyCount(key: string): number;
    private bucket;
    /** The server's window index of `sizeMs` at client time `t`. */
    private window;
    /** The windows an answered request may have been counted in. */
    private windowsOf;
    /** Unanswered requests that may land in window `index`: sent in it, or before it but within the horizon. */
    private pendingIn;
    private burstUsed;
    /** Steady-window use against this client's share: its own use, or the account's, whichever is tighter. */
    private steadyUsed;
    /** How long after sending a request the server may count it: the slowest recent round trip. */
    private arrivalSpreadMs;
    /**
     * The latest a request can reach the server, however long its answer takes: twice the slowest recent round
     * trip, at least 2 s (a stalled server event loop), at most 10 s. A request not answered by then arrived long
     * ago or never; it stops holding later windows, so one hung call does not stall its operation until timeout.
     */
    private arrivalHorizonMs;
    private checkDaily;
    /** Milliseconds until a request sent now fits every window it may land in, and which window holds it up. */
    private delayUntilRoom;
    private record;
    private count;
    /** Re-derives the window counts of answered requests, after the server clock estimate moved. */
    private recount;
    private pump;
    private permit;
    private settle;
    /** `RateLimit-Remaining` tells of requests we did not send (other integrations on the same account). */
    private learnExternalUse;
    /**
     * `RateLimit-Reset` says when the server's steady window ends. If that contradicts our model by more than the
     * header's one-second resolution allows, the server's clock is elsewhere: re-align our windows on it.
     */
    private learnClockOffset;
}
