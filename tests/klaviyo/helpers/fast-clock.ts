import { systemClock, type Clock } from '../../../src/klaviyo/index.js';

/**
 * Real time sped up `speed` times: a one-minute rate window lasts 60/speed real seconds. For tests against a real
 * HTTP server, where a purely virtual clock would fire timeouts while requests are still in flight.
 */
export function fastClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}
