/** What a resource handler receives and returns. Handlers are synchronous and do no I/O. */
import type { KlaviyoOperation } from '../klaviyo/spec/index.js';
import type { AccountState } from './store.js';

export interface SandboxRequest {
  operation: KlaviyoOperation;
  params: Record<string, string>;
  /** The full request URL, with the sandbox's own origin. */
  url: URL;
  /** The parsed, schema-valid JSON body (undefined when there is none). */
  body: unknown;
}

export interface HandlerContext {
  account: AccountState;
  nowMs: number;
  /** `now` as Klaviyo writes timestamps: `2026-07-01T10:00:00+00:00`. */
  now: string;
  baseUrl: string;
  /** How many templates the API may ever create in one account (Klaviyo: 1,000). */
  templateCap: number;
  /** What an event keeps: everything, or (`summary`) its keys, time and value only. */
  eventDetail: EventDetail;
}

/**
 * `full` keeps every event as sent. `summary` keeps what dedupe, counts and revenue need (profile, metric,
 * unique id, time, `$value`) and drops the other properties: for runs of millions of events, where the bodies
 * would not fit in memory. Segment conditions that filter on other event properties then match nothing.
 */
export type EventDetail = 'full' | 'summary';

export interface HandlerResult {
  status: number;
  body?: unknown;
}

export type Handler = (req: SandboxRequest, ctx: HandlerContext) => HandlerResult;

export function isoStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
