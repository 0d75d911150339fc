/**
 * Which Klaviyo each brand's command talks to, and a client for it. With a key in the environment: Klaviyo (or
 * KLAVIYO_BASE_URL). With none: the embedded sandbox, started in this process with its state under
 * `<cwd>/.klaviyo-sandbox/`, one account per brand with that brand's account id and a fixed sandbox key
 * (`pk_sandbox_<brand>`). Shared by plan, drift, import and apply.
 */
import { join } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { describeTarget, resolveKlaviyoTarget, type Environment, type KlaviyoTarget } from '../config.js';
import { KlaviyoClient, type KlaviyoClientOptions, type KlaviyoEventListener } from '../klaviyo/index.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox/index.js';

/** Cache and run files the commands keep, relative to the working directory. */
export const WORK_DIR = '.klaviyo-gitops';

export interface BrandTarget {
  brand: string;
  target: KlaviyoTarget;
  /** "target: local sandbox (...)" or "target: Klaviyo at ... (key from ...)". */
  description: string;
  client: KlaviyoClient;
  /** Where flow definitions are cached for this target (sandbox and Klaviyo never share a cache). */
  cacheDir: string;
  /** Hears this brand's client events (waits, retries) until the returned function is called. */
  onClientEvent(listener: KlaviyoEventListener): () => void;
}

export interface OpenTargetsOptions {
  cwd: string;
  env: Environment;
  /** Extra client options (tests inject `fetch`, `clock`, `onEvent`). */
  client?: Partial<KlaviyoClientOptions>;
  /** Sandbox options for the embedded sandbox (tests turn off rate limits or inject a clock). */
  sandbox?: Partial<SandboxOptions>;
  /** Where to say what the embedded sandbox was seeded with. */
  progress?: (line: string) => void;
}

/** What opening a target needs of a brand; with its segments and flows, a sandbox account gets their metrics. */
export type TargetBrand = Pick<DesiredBrandState, 'brand' | 'accountId' | 'apiKeyVariable'> &
  Partial<Pick<DesiredBrandState, 'segments' | 'flows'>>;

export interface OpenTargets {
  brands: Map<string, BrandTarget>;
  /** Set when any brand runs against the embedded sandbox. */
  sandbox?: RunningSandbox;
  close(): Promise<void>;
}

/** The key the embedded sandbox knows a brand by: deterministic, so its persisted state finds the account. */
export function sandboxKeyFor(brand: string): string {
  return `pk_sandbox_${brand.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export async function openTargets(
  states: readonly TargetBrand[],
  options: OpenTargetsOptions,
): Promise<OpenTargets> {
  const resolved = states.map((state) => ({
    state,
    target: resolveKlaviyoTarget(options.env, state.apiKeyVariable || undefined),
  }));
  const local = resolved.filter((r) => r.target.kind === 'sandbox');
  let sandbox: RunningSandbox | undefined;
  if (local.length > 0) {
    const stateDir = (local[0]!.target as { stateDir: string }).stateDir;
    sandbox = await startSandbox({
      port: 0,
      statePath: join(options.cwd, stateDir, 'state.json'),
      accounts: Object.fromEntries(local.map((r) => [sandboxKeyFor(r.state.brand), r.state.accountId])),
      ...options.sandbox,
    });
  }
  // Say where we are writing before anything else happens (ARCHITECTURE: the first line names the target).
  for (const line of new Set(resolved.map((r) => describeTarget(r.target)))) options.progress?.(line);
  const brands = new Map<string, BrandTarget>();
  for (const { state, target } of resolved) {
    const isSandbox = target.kind === 'sandbox';
    // A client's listener is fixed when it is made: fan it out, so a command can listen to one brand for a while.
    const listeners = new Set<KlaviyoEventListener>();
    const injected = options.client?.onEvent;
    const client = new KlaviyoClient({
      apiKey: isSandbox ? sandboxKeyFor(state.brand) : target.apiKey,
      baseUrl: isSandbox ? sandbox!.url : target.baseUrl,
      ...options.client,
      onEvent: (event) => {
        injected?.(event);
        for (const listener of listeners) listener(event);
      },
    });
    const brandTarget: BrandTarget = {
      brand: state.brand,
      target,
      description: describeTarget(target),
      client,
      cacheDir: join(options.cwd, WORK_DIR, 'cache', isSandbox ? 'sandbox' : 'klaviyo'),
      onClientEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    brands.set(state.brand, brandTarget);
    if (isSandbox && state.segments && state.flows) {
      await seedSandboxMetrics(
        brandTarget,
        { segments: state.segments, flows: state.flows },
        options.progress,
      );
    }
  }
  return {
    brands,
    ...(sandbox ? { sandbox } : {}),
    close: async () => {
      await sandbox?.close();
    },
  };
}

/** Where the embedded sandbox records the events that create missing metrics. */
const SANDBOX_SEED_EMAIL = 'metrics@sandbox.klaviyo-gitops.invalid';

/**
 * A real account has the metrics its store integration tracks; a fresh sandbox account has only Klaviyo's own
 * email metrics. For brands on the embedded sandbox, track one event per metric the brand references and the
 * account lacks: that is how Klaviyo creates a metric, and it lets a new user plan and apply with no account.
 * Never called for real Klaviyo.
 */
export async function seedSandboxMetrics(
  target: BrandTarget,
  desired: Pick<DesiredBrandState, 'segments' | 'flows'>,
  progress?: (line: string) => void,
): Promise<string[]> {
  if (target.target.kind !== 'sandbox') return [];
  const existing = new Set<string>();
  for await (const metric of target.client.metrics.list()) existing.add(String(metric.attributes.name));
  const wanted = new Set<string>();
  for (const object of [...desired.segments, ...desired.flows]) {
    for (const ref of object.refs) if (ref.kind === 'metric' && !existing.has(ref.key)) wanted.add(ref.key);
  }
  const created = [...wanted].sort();
  for (const name of created) {
    await target.client.events.create({
      data: {
        type: 'event',
        attributes: {
          properties: { source: 'klaviyo-gitops sandbox seed' },
          metric: { data: { type: 'metric', attributes: { name } } },
          profile: { data: { type: 'profile', attributes: { email: SANDBOX_SEED_EMAIL } } },
        },
      },
    });
  }
  if (created.length > 0)
    progress?.(
      `sandbox account ${target.brand}: tracked one event each to create the store metrics ${created.join(', ')}`,
    );
  return created;
}

/** The first output lines: one target line when all brands share it, else one per brand. */
export function targetLines(targets: Iterable<BrandTarget>): string[] {
  const all = [...targets];
  const distinct = [...new Set(all.map((t) => t.description))];
  if (distinct.length <= 1) return distinct;
  return all.map((t) => `${t.description} [brand ${t.brand}]`);
}
