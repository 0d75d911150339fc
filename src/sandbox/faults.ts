/**
 * Fault injection for the /api paths, deterministic for a given seed: the n-th request after `setFaults`
 * always draws the same fault, so a failing test replays exactly.
 */

/** Probabilities 0..1 of each fault kind per request (they add up; at most one fault per request). */
export interface FaultConfig {
  /** 429 with Retry-After, before any work. */
  rate429?: number;
  /** 500 or 503, before any work. */
  rate5xx?: number;
  /** Never answers until the client gives up or the server closes. */
  rateHang?: number;
  /** Socket destroyed without an answer, before any work. */
  rateDrop?: number;
  /** The work is done, then the socket is destroyed: the client cannot know it succeeded. */
  rateLostResponse?: number;
  /** Added to every /api request. */
  latencyMs?: number;
  seed?: number;
}

export type Fault =
  | { kind: 'none' }
  | { kind: 'throttle' }
  | { kind: 'server-error'; status: 500 | 503 }
  | { kind: 'hang' }
  | { kind: 'drop' }
  | { kind: 'lost-response' };

export type FaultKind = Fault['kind'];

/** mulberry32: tiny, fast, good enough to spread faults; the point is reproducibility. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateFaultConfig(config: FaultConfig): void {
  const rates = [config.rate429, config.rate5xx, config.rateHang, config.rateDrop, config.rateLostResponse];
  for (const rate of rates) {
    if (rate !== undefined && (!Number.isFinite(rate) || rate < 0 || rate > 1))
      throw new RangeError(`Fault rates are probabilities between 0 and 1 (got ${rate}).`);
  }
  const total = rates.reduce<number>((sum, rate) => sum + (rate ?? 0), 0);
  if (total > 1 + 1e-9) throw new RangeError(`The fault rates add up to ${total}; at most 1.`);
  if (config.latencyMs !== undefined && (!Number.isFinite(config.latencyMs) || config.latencyMs < 0))
    throw new RangeError(`latencyMs must be a non-negative number (got ${config.latencyMs}).`);
}

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = prng(0);

  constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  /** Replaces the configuration and restarts the random sequence from the seed. */
  set(config: FaultConfig): void {
    validateFaultConfig(config);
    this.config = { ...config };
    this.random = prng(config.seed ?? 1);
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  next(): Fault {
    const c = this.config;
    const roll = this.random();
    // A second draw picks 500 vs 503, taken every time so the sequence does not depend on the outcome.
    const flavour = this.random();
    let edge = 0;
    if (roll < (edge += c.rate429 ?? 0)) return { kind: 'throttle' };
    if (roll < (edge += c.rate5xx ?? 0)) return { kind: 'server-error', status: flavour < 0.5 ? 500 : 503 };
    if (roll < (edge += c.rateHang ?? 0)) return { kind: 'hang' };
    if (roll < (edge += c.rateDrop ?? 0)) return { kind: 'drop' };
    if (roll < (edge += c.rateLostResponse ?? 0)) return { kind: 'lost-response' };
    return { kind: 'none' };
  }
}
