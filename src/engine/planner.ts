/**
 * Reads every brand's account and diffs it against its desired state: the whole `plan` minus the command's
 * input and output. Brands are separate accounts with separate rate-limit budgets, so they are read at once.
 */
import { setMaxListeners } from 'node:events';
import type { DesiredBrandState } from '../compile/desired-state.js';
import type { KlaviyoClient } from '../klaviyo/index.js';
import { diffBrand, type DiffOptions } from './diff/index.js';
import { assemblePlan, type Plan } from './plan.js';
import type { RemoteBrandState } from './remote-model.js';
import { readRemoteState } from './remote-state.js';

export interface BrandInput {
  desired: DesiredBrandState;
  client: KlaviyoClient;
  /** Flow definition cache root; none when absent. */
  cacheDir?: string;
}

export interface MakePlanOptions extends DiffOptions {
  now?: () => Date;
  progress?: (line: string) => void;
  signal?: AbortSignal;
  scope?: 'managed' | 'all';
}

export interface PlanResult {
  plan: Plan;
  remote: Map<string, RemoteBrandState>;
}

export async function makePlan(
  inputs: readonly BrandInput[],
  options: MakePlanOptions = {},
): Promise<PlanResult> {
  const now = options.now ?? (() => new Date());
  // Every request in flight listens to the caller's signal; a plan has dozens in flight by design.
  if (options.signal) setMaxListeners(0, options.signal);
  const remotes = await Promise.all(
    inputs.map(async ({ desired, client, cacheDir }) => {
      options.progress?.(`reading Klaviyo account ${desired.accountId} (brand ${desired.brand})`);
      const remote = await readRemoteState({
        client,
        brand: desired.brand,
        accountId: desired.accountId,
        ...(cacheDir ? { cacheDir } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.scope ? { scope: options.scope } : {}),
        now: () => now().getTime(),
      });
      return [desired.brand, remote] as const;
    }),
  );
  const remote = new Map(remotes);
  const brands = inputs.map(({ desired }) =>
    diffBrand(
      desired,
      remote.get(desired.brand)!,
      options.dailyCapOf ? { dailyCapOf: options.dailyCapOf } : {},
    ),
  );
  return { plan: assemblePlan(brands, now()), remote };
}
