import type { KlaviyoOperation } from '../spec/operations.js';
import type { BucketLimit } from './rate-limiter.js';
export interface RateBucket {
    key: string;
    limit: BucketLimit;
}
/** The rate-limit bucket a request counts against: its operation, or the operation's reduced-limit variant. */
export declare function rateBucketFor(operation: KlaviyoOperation | undefined, method: string, query: URLSearchParams): RateBucket;
