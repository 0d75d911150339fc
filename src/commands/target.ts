/**
 * Which Klaviyo the run talks to, and a client per brand. The target is decided once for all brands
 * (src/config.ts): Klaviyo (or KLAVIYO_BASE_URL) with each brand's own key, or the embedded sandbox, started in
 * this process with its state under `<repository root>/.klaviyo-sandbox/` (repository-root.ts), one account per brand with that brand's account
 * id and a fixed sandbox key (`pk_sandbox_<brand>`). Shared by plan, drift, import and apply.
 */
import { join } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import {
  describeRunTarget,
  resolveRunTarget,
  type Environment,
  type RunTarget,
  type TargetChoice,
} from '../config.js';
import { KlaviyoClient, type KlaviyoClientOptions, type KlaviyoEventListener } from '../klaviyo/index.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox/index.js';
import type { RepositoryPaths } from './repository-root.js';

export interface BrandTarget {
  brand: string;
  /** The run's target (the same for every brand). */
  target: RunTarget;
  client: KlaviyoClient;
  /** Where flow definitions are cached for this target (sandbox and Klaviyo never share a cache). */
  cacheDir: string;
  /** Hears this brand's client events (waits, retries) until the returned function is called. */
  onClientEvent(listener: KlaviyoEventListener): () => void;
}

export interface OpenTargetsOptions {
  /** Where the sandbox's accounts and the flow cache live (the repository root's state folders). */
  paths: RepositoryPaths;
  env: Environment;
  /** `--target`; absent: decided from the environment. */
  choice?: TargetChoice | undefined;
  /** Extra client options (tests inject `fetch`, `clock`, `onEvent`). */
  client?: Partial<KlaviyoClientOptions>;
  /** Sandbox options for the embedded sandbox (tests turn off rate limits or inject a clock). */
  sandbox?: Partial<SandboxOptions>;
  /** Where the target line goes first, then what the embedded sandbox was seeded with. */
  progress?: (line: string) => void;
  /** Stops the seeding calls when the command is interrupted. */
  signal?: AbortSignal;
}

/** What opening a target needs of a brand; with its segments and flows, a sandbox account gets their metrics. */
export type TargetBrand = Pick<DesiredBrandState, 'brand' | 'accountId' | 'apiKeyVariable'> &
  Partial<Pick<DesiredBrandState, 'segments' | 'flows'>>;

export interface OpenTargets {
  target: RunTarget;
  /** The one line that says where this run reads and writes, for every brand. */
  description: string;
  brands: Map<string, BrandTarget>;
  /** Set when the run uses the embedded sandbox. */
  sandbox?: RunningSandbox;
  close(): Promise<void>;
}

/** The key the embedded sandbox knows a brand by: deterministic, so its persisted state finds the account. */
export function sandboxKeyFor(brand: string): string {
  return `pk_sandbox_${brand.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * Decides the run's target (throwing a TargetConfigurationError before anything is read or written), says it
 * once through `progress`, and opens a client per brand.
 */
export async function openTargets(
  states: readonly TargetBrand[],
  options: OpenTargetsOptions,
): Promise<OpenTargets> {
  const target = resolveRunTarget(
    options.env,
    states.map((s) => ({ brand: s.brand, keyVariable: s.apiKeyVariable })),
    options.choice,
    options.paths.show(options.paths.sandboxState),
  );
  const description = describeRunTarget(target);
  let sandbox: RunningSandbox | undefined;
  if (target.kind === 'sandbox') {
    sandbox = await startSandbox({
      port: 0,
      statePath: join(options.paths.sandboxState, 'state.json'),
      accounts: Object.fromEntries(states.map((s) => [sandboxKeyFor(s.brand), s.accountId])),
      ...options.sandbox,
    });
  }
  const close = async (): Promise<void> => {
    await sandbox?.close();
  };
  // From here on the sandbox listens: a failure (a seeding call answered 500, an abort) must close it, or its
  // server keeps the process alive after the command has given up.
  try {
    // Say where we are writing before anything else happens (ARCHITECTURE: the first line names the target).
    options.progress?.(description);
    const brands = await openBrandTargets(states, target, sandbox, options);
    return { target, description, brands, ...(sandbox ? { sandbox } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openBrandTargets(
  states: readonly TargetBrand[],
  target: RunTarget,
  sandbox: RunningSandbox | undefined,
  options: OpenTargetsOptions,
): Promise<Map<string, BrandTarget>> {
  const brands = new Map<string, BrandTarget>();
  for (const state of states) {
    // A client's listener is fixed when it is made: fan it out, so a command can listen to one brand for a while.
    const listeners = new Set<KlaviyoEventListener>();
    const injected = options.client?.onEvent;
    const fanOut = {
      onEvent: (event: Parameters<KlaviyoEventListener>[0]) => {
        injected?.(event);
        for (const listener of listeners) listener(event);
      },
    };
    const client =
      target.kind === 'sandbox'
        ? new KlaviyoClient({
            apiKey: sandboxKeyFor(state.brand),
            baseUrl: sandbox!.url,
            ...options.client,
            ...fanOut,
          })
        : new KlaviyoClient({
            apiKey: target.keys.find((k) => k.brand === state.brand)!.apiKey,
            baseUrl: target.baseUrl,
            ...options.client,
            ...fanOut,
          });
    const brandTarget: BrandTarget = {
      brand: state.brand,
      target,
      client,
      cacheDir: join(options.paths.workDir, 'cache', target.kind),
      onClientEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    brands.set(state.brand, brandTarget);
    if (target.kind === 'sandbox' && state.segments && state.flows) {
      await seedSandboxMetrics(
        brandTarget.client,
        state.brand,
        { segments: state.segments, flows: state.flows },
        options.progress,
        options.signal,
      );
    }
  }
  return brands;
}

/** Where the embedded sandbox records the events that create missing metrics. */
const SANDBOX_SEED_EMAIL = 'metrics@sandbox.klaviyo-gitops.invalid';

/**
 * A real account has the metrics its store integration tracks; a fresh sandbox account has only Klaviyo's own
 * email metrics. For a sandbox account (embedded or standalone), track one event per metric the brand
 * references and the account lacks: that is how Klaviyo creates a metric, and it lets a new user plan and apply
 * with no account. Never call it for real Klaviyo: there the plan explains how to get the metric instead.
 */
export async function seedSandboxMetrics(
  client: KlaviyoClient,
  brand: string,
  desired: Pick<DesiredBrandState, 'segments' | 'flows'>,
  progress?: (line: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const call = signal ? { signal } : {};
  const existing = new Set<string>();
  for await (const metric of client.metrics.list(undefined, call))
    existing.add(String(metric.attributes.name));
  const wanted = new Set<string>();
  for (const object of [...desired.segments, ...desired.flows]) {
    for (const ref of object.refs) if (ref.kind === 'metric' && !existing.has(ref.key)) wanted.add(ref.key);
  }
  const created = [...wanted].sort();
  for (const name of created) {
    await client.events.create(
      {
        data: {
          type: 'event',
          attributes: {
            properties: { source: 'klaviyo-gitops sandbox seed' },
            metric: { data: { type: 'metric', attributes: { name } } },
            profile: { data: { type: 'profile', attributes: { email: SANDBOX_SEED_EMAIL } } },
          },
        },
      },
      call,
    );
  }
  if (created.length > 0)
    progress?.(
      `sandbox account ${brand}: tracked one event each to create the store metrics ${created.join(', ')}`,
    );
  return created;
}
