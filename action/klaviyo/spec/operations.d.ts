export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
/** Klaviyo's published per-operation rate limit: fixed 1 s and 1 min windows, sometimes a daily cap. */
export interface RateLimit {
    burstPerSecond: number;
    steadyPerMinute: number;
    dailyCap?: number;
}
export interface KlaviyoOperation {
    operationId: string;
    method: HttpMethod;
    /** The spec's path template, e.g. `/api/flows/{id}`. */
    pathTemplate: string;
    rateLimit: RateLimit;
    /** Component schema name of the JSON body, when the operation takes one. */
    requestSchema?: string;
    requestBodyRequired: boolean;
    /** The largest `page[size]` the operation accepts, for list operations. */
    maxPageSize?: number;
    defaultPageSize?: number;
    preRelease: boolean;
}
/** Every operation of the vendored spec, keyed by operationId. */
export declare const klaviyoOperations: ReadonlyMap<string, KlaviyoOperation>;
export interface MatchedOperation {
    operation: KlaviyoOperation;
    pathParams: Record<string, string>;
}
/** Finds the spec operation for a concrete method and path (`/api/flows/XyZ12`), or undefined. */
export declare function matchOperation(method: string, path: string): MatchedOperation | undefined;
/** True when some operation exists at this path under another method (a 405 rather than a 404). */
export declare function pathExists(path: string): boolean;
export declare function operationById(operationId: string): KlaviyoOperation;
