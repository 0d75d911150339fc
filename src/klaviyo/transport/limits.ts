import type { KlaviyoOperation } from '../spec/operations.js';
import type { BucketLimit } from './rate-limiter.js';

/** Operations whose spec description documents a lower limit when a costly parameter is present. */
const REDUCED_LIMITS: ReadonlyArray<{
  operationIds: readonly string[];
  param: string;
  values: readonly string[];
  limit: BucketLimit;
}> = [
  {
    operationIds: ['get_segment'],
    param: 'additional-fields[segment]',
    values: ['profile_count'],
    limit: { burstPerSecond: 1, steadyPerMinute: 15 },
  },
  {
    operationIds: ['get_list'],
    param: 'additional-fields[list]',
    values: ['profile_count'],
    limit: { burstPerSecond: 1, steadyPerMinute: 15 },
  },
  {
    operationIds: ['get_profile'],
    param: 'include',
    values: ['list', 'lists', 'segment', 'segments'],
    limit: { burstPerSecond: 1, steadyPerMinute: 15 },
  },
  {
    operationIds: ['get_profiles', 'get_profiles_for_list', 'get_profile_ids_for_list'],
    param: 'additional-fields[profile]',
    values: ['predictive_analytics'],
    limit: { burstPerSecond: 10, steadyPerMinute: 150 },
  },
];

/** Limits for requests the spec does not describe: Klaviyo's smallest tier. */
const UNKNOWN_OPERATION_LIMIT: BucketLimit = { burstPerSecond: 1, steadyPerMinute: 15 };

export interface RateBucket {
  key: string;
  limit: BucketLimit;
}

/** The rate-limit bucket a request counts against: its operation, or the operation's reduced-limit variant. */
export function rateBucketFor(
  operation: KlaviyoOperation | undefined,
  method: string,
  query: URLSearchParams,
): RateBucket {
  if (!operation) return { key: `unknown ${method}`, limit: UNKNOWN_OPERATION_LIMIT };
  for (const rule of REDUCED_LIMITS) {
    if (!rule.operationIds.includes(operation.operationId)) continue;
    const requested = (query.get(rule.param) ?? '').split(',');
    const costly = rule.values.find((v) => requested.includes(v));
    if (costly) return { key: `${operation.operationId} ${rule.param}=${costly}`, limit: rule.limit };
  }
  return { key: operation.operationId, limit: operation.rateLimit };
}
