/** Time as the client sees it. Injected so tests can run hours of rate-limited traffic in milliseconds. */
export interface Clock {
    /** Milliseconds since the Unix epoch. */
    now(): number;
    /** Resolves after `ms`; rejects with the signal's reason when the signal aborts first. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
export declare const systemClock: Clock;
