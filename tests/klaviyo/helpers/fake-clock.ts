import type { Clock } from '../../../src/klaviyo/index.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * Virtual time that jumps to the next timer whenever the process has nothing else to do (after pending promise
 * callbacks have run). Hours of rate-limited traffic take milliseconds, and every schedule is deterministic.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  constructor(start = Date.UTC(2026, 6, 20, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Moves time forward by hand (fires nothing by itself; timers fire on the next idle turn). */
  advance(ms: number): void {
    this.time += ms;
    this.schedule();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers[0]!;
    if (next.at > this.time) this.time = next.at;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.fire();
    this.schedule();
  }
}
