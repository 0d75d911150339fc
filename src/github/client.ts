/**
 * One Octokit for the Action's GitHub calls: `@actions/github`'s (proxy-aware, REST methods, pagination) with
 * Octokit's retry and throttling plugins. Throttling spaces writes as GitHub asks and waits out primary and
 * secondary rate limits; retry repeats server errors. Both are bounded: a limit that outlasts the allowed
 * retries, or asks for a longer wait than we accept, fails the call (errors.ts names the failure).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** The REST API root, `GITHUB_API_URL` in a workflow (GitHub Enterprise Server has its own). */
  apiUrl: string;
  userAgent?: string;
  /** Retries of one request after a server error or a rate limit, before it fails. Default 3. */
  retries?: number;
  /** The longest rate-limit wait we sit through, in seconds; GitHub asking for more fails now. Default 120. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds in one second of waiting: GitHub's `retry-after`, the backoff after a server error and the
   * one-second spacing of writes all scale with it. 1000 in a workflow; tests make waits instant with 1.
   */
  millisecondsPerSecond?: number;
  /** Where a rate-limit wait or Octokit's warnings are told; silent by default. */
  log?: (line: string) => void;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_MAX_WAIT_SECONDS = 120;

export function createGitHub(options: GitHubClientOptions): GitHubClient {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const second = options.millisecondsPerSecond ?? 1000;
  const log = options.log ?? (() => {});
  const waitOrGiveUp =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const route = `${request.method} ${new URL(request.url, 'http://github.invalid').pathname}`;
      if (retryCount >= retries || retryAfter > maxWait) {
        log(
          `GitHub ${kind} rate limit on ${route}: giving up (asked to wait ${retryAfter}s after ${retryCount} retries)`,
        );
        return false;
      }
      log(`GitHub ${kind} rate limit on ${route}: waiting ${retryAfter}s before retry ${retryCount + 1}`);
      return true;
    };
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      log: { debug: () => {}, info: () => {}, warn: log, error: log },
      // Rate limits (403, 429) belong to throttling, which honours GitHub's retry-after; retry alone would
      // come back after its own 1-4-9 s backoff, which GitHub counts against us.
      retry: { retries, retryAfterBaseValue: second, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: waitOrGiveUp('primary'),
        onSecondaryRateLimit: waitOrGiveUp('secondary'),
        retryAfterBaseValue: second,
        // GitHub's pacing (the plugin's defaults: writes 1 s apart, notifying writes 3 s), in our time unit.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: second }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * second }),
        search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 2 * second }),
      },
    },
    retry,
    throttling,
  );
}
