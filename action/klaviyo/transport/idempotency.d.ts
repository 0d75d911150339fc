import type { KlaviyoOperation } from '../spec/operations.js';
/** True when resending the request after an unknown outcome cannot create a duplicate. */
export declare function isIdempotent(method: string, operation: KlaviyoOperation | undefined, body: unknown): boolean;
