/**
 * `klaviyo-gitops drift`: managed objects whose Klaviyo copy differs from the repository (per field), managed
 * objects missing from Klaviyo, and duplicates. Reads only; writes nothing to Klaviyo or the repository.
 */
import { driftFromPlan } from '../engine/drift.js';
import type { TargetChoice } from '../config.js';
import type { CommandContext } from './command.js';
import { loadAndPlan, type CommandDeps } from './plan.js';
import type { DriftResult } from './results.js';

export interface DriftCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** `--fail-on-drift`: drift exits 2 (exit-codes.ts). */
  failOnDrift: boolean;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

export async function runDrift(
  options: DriftCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<DriftResult> {
  const { run } = await loadAndPlan(options, ctx, deps);
  return {
    command: 'drift',
    target: run.target,
    report: driftFromPlan(run.plan),
    plan: run.plan,
    failOnDrift: options.failOnDrift,
  };
}
