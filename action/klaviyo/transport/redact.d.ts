/** Replaces Klaviyo private keys in text that is about to leave the client (errors, log events). */
export type Redactor = (text: string) => string;
export declare const REDACTED = "***";
export declare function createRedactor(apiKey: string): Redactor;
/** A deep copy of a JSON value with every string redacted; values that are not JSON are dropped. */
export declare function redactJson<T>(value: T, redact: Redactor): T;
