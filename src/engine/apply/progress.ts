/**
 * Progress of one brand's apply, as lines a person can follow: `apply brand north: 12/40 done, waiting 8 s on
 * the rate limit of create_flow`. Built on two sources: the task graph (a resource is finished when its last task
 * settles) and the client's events (rate-limit waits, retries). At most one line per interval, plus one whenever
 * a wait longer than the interval starts, plus a heartbeat when nothing was said for a while (a request that
 * hangs until its timeout is otherwise silent); a final line with the count. Time is the injected clock's.
 */
import type { Clock, KlaviyoClientEvent, RetryReason } from '../../klaviyo/index.js';
import type { TaskOutcome } from './schedule.js';

/** Resources apply touches (those with at least one task) and how many are finished, by outcome. */
export interface ResourceProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
}

/**
 * Turns task completions into resource progress: reports the starting count at once, then each time a resource's
 * last task settles. `owners` maps each task to its resource.
 */
export function trackResourceProgress(
  owners: ReadonlyMap<string, number>,
  report: (progress: ResourceProgress) => void,
): (taskId: string, outcome: TaskOutcome) => void {
  const pending = new Map<number, number>();
  const failed = new Set<number>();
  const skipped = new Set<number>();
  for (const index of owners.values()) pending.set(index, (pending.get(index) ?? 0) + 1);
  const progress: ResourceProgress = { total: pending.size, done: 0, failed: 0, skipped: 0 };
  report({ ...progress });
  return (taskId, outcome) => {
    const index = owners.get(taskId);
    if (index === undefined) return;
    if (outcome.status === 'failed') failed.add(index);
    if (outcome.status === 'skipped') skipped.add(index);
    const left = (pending.get(index) ?? 1) - 1;
    pending.set(index, left);
    if (left > 0) return;
    // The same precedence as the resource's result: a failed task makes it failed, else a skipped one skipped.
    if (failed.has(index)) progress.failed += 1;
    else if (skipped.has(index)) progress.skipped += 1;
    else progress.done += 1;
    report({ ...progress });
  };
}

export interface ApplyProgressOptions {
  brand: string;
  clock: Clock;
  report: (line: string) => void;
  /** The least time between two lines, and the shortest wait announced when it starts; default 2 s. */
  intervalMs?: number;
  /** The longest silence while apply runs; default 5 s. */
  heartbeatMs?: number;
}

interface Wait {
  bucket: string;
  until: number;
  retryAfter: boolean;
}

const RETRY_CAUSE: Record<RetryReason, string> = {
  'rate-limited': 'a 429',
  'server-error': 'a server error',
  'network-error': 'a network error',
  timeout: 'a timeout',
};

export class ApplyProgressReporter {
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private count: ResourceProgress = { total: 0, done: 0, failed: 0, skipped: 0 };
  private lastLineAt = Number.NEGATIVE_INFINITY;
  /** The latest retry no line has mentioned yet. */
  private retry: string | undefined;
  private retries = 0;
  /** The bucket whose wait the last line named. */
  private saidWait: string | undefined;
  private readonly waits = new Map<string, Wait>();
  private readonly stopped = new AbortController();

  constructor(private readonly options: ApplyProgressOptions) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    void this.heartbeat();
  }

  readonly onProgress = (progress: ResourceProgress): void => {
    this.count = progress;
    // The last resource's line is the final one, said by `finish`.
    if (progress.done + progress.failed + progress.skipped < progress.total) this.say(false);
  };

  readonly onClientEvent = (event: KlaviyoClientEvent): void => {
    const now = this.options.clock.now();
    if (event.type === 'retry') {
      this.retries += 1;
      const what = event.operationId ?? `${event.method} ${event.path}`;
      const cause = event.status !== undefined ? `a ${event.status}` : RETRY_CAUSE[event.reason];
      this.retry = `retrying ${what} after ${cause} (attempt ${event.attempt + 1})`;
      this.say(false);
    } else if (event.type === 'wait') {
      const until = now + event.delayMs;
      const known = this.waits.get(event.bucket);
      if (!known || known.until < until)
        this.waits.set(event.bucket, {
          bucket: event.bucket,
          until,
          retryAfter: event.reason === 'retry-after',
        });
      // A long wait is said when it starts, unless the last line already named that bucket's wait (each request
      // queued on a bucket waits in turn).
      const starts = event.delayMs > this.intervalMs && event.bucket !== this.saidWait;
      this.say(starts, starts ? event.bucket : undefined);
    }
  };

  /** Stops the heartbeat and says the final count (nothing when the brand had nothing to apply). */
  finish(): void {
    this.stopped.abort();
    if (this.count.total === 0) return;
    const retries =
      this.retries > 0 ? ` (after ${this.retries} ${this.retries === 1 ? 'retry' : 'retries'})` : '';
    this.options.report(`${this.countText()}${retries}`);
  }

  private countText(): string {
    const { total, done, failed, skipped } = this.count;
    const extra = [failed > 0 ? `${failed} failed` : '', skipped > 0 ? `${skipped} skipped` : ''].filter(
      Boolean,
    );
    return [`apply brand ${this.options.brand}: ${done}/${total} done`, ...extra].join(', ');
  }

  /** Says the count and what apply waits on: the wait of `bucket` when given, else the one ending last. */
  private say(force: boolean, bucket?: string): void {
    const now = this.options.clock.now();
    if (this.count.total === 0 || (!force && now - this.lastLineAt < this.intervalMs)) return;
    const parts = [this.countText()];
    const wait = this.currentWait(now, bucket);
    this.saidWait = wait?.bucket;
    if (wait) {
      const seconds = Math.ceil((wait.until - now) / 1000);
      parts.push(
        `waiting ${seconds} s on the rate limit of ${wait.bucket}${wait.retryAfter ? ' (Klaviyo asked to retry later)' : ''}`,
      );
    }
    if (this.retry) parts.push(this.retry);
    this.retry = undefined;
    this.lastLineAt = now;
    this.options.report(parts.join(', '));
  }

  /** The wait of `bucket`, or else the one that ends last, among those still running. */
  private currentWait(now: number, bucket?: string): Wait | undefined {
    let latest: Wait | undefined;
    for (const wait of this.waits.values()) {
      if (wait.until <= now) this.waits.delete(wait.bucket);
      else if (!latest || wait.until > latest.until) latest = wait;
    }
    return (bucket !== undefined ? this.waits.get(bucket) : undefined) ?? latest;
  }

  private async heartbeat(): Promise<void> {
    const tick = Math.min(1_000, this.heartbeatMs);
    while (!this.stopped.signal.aborted) {
      try {
        await this.options.clock.sleep(tick, this.stopped.signal);
      } catch {
        return; // finished
      }
      if (this.options.clock.now() - this.lastLineAt >= this.heartbeatMs) this.say(true);
    }
  }
}
