import type { WaitReason } from './rate-limiter.js';
/** Which call an event is about. `path` is the URL path only: no query string, no key. */
export interface KlaviyoCallRef {
    operationId: string | undefined;
    method: string;
    path: string;
}
export type RetryReason = 'rate-limited' | 'server-error' | 'network-error' | 'timeout';
/** Structured log events. They never carry the API key, request bodies or query strings. */
export type KlaviyoClientEvent = ({
    type: 'request';
    attempt: number;
} & KlaviyoCallRef) | ({
    type: 'response';
    attempt: number;
    status: number;
    durationMs: number;
} & KlaviyoCallRef) | ({
    type: 'retry';
    attempt: number;
    reason: RetryReason;
    delayMs: number;
    status?: number;
} & KlaviyoCallRef) | ({
    type: 'reconcile';
    found: boolean;
} & KlaviyoCallRef) | {
    type: 'wait';
    bucket: string;
    delayMs: number;
    reason: WaitReason;
};
export type KlaviyoEventListener = (event: KlaviyoClientEvent) => void;
