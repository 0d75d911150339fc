/**
 * `klaviyo-gitops drift`: managed objects whose Klaviyo copy differs from the repository (per field), managed
 * objects missing from Klaviyo, and duplicates. Reads only; writes nothing to Klaviyo or the repository.
 * Exit 0; with `--fail-on-drift`, 2 when there is drift. Errors exit 1.
 */
import { driftFromPlan, renderDriftText } from '../engine/drift.js';
import type { TargetChoice } from '../config.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { loadDesiredStates } from './desired-states.js';
import { hasPlanErrors, planAgainstTargets, targetFailure, type CommandDeps } from './plan.js';

export interface DriftCommandOptions {
  dir: string;
  brand?: string | undefined;
  failOnDrift: boolean;
  json: boolean;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

export async function runDrift(
  options: DriftCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<CommandOutcome> {
  const loaded = await loadDesiredStates(options.dir, options.brand, ctx);
  if (!loaded.ok) return loaded.outcome;
  let run;
  try {
    run = await planAgainstTargets(loaded.states, ctx, deps, options.target);
  } catch (error) {
    const failure = targetFailure(error);
    if (failure !== undefined) return { exitCode: 1, stdout: '', stderr: `error: ${failure}` };
    throw error;
  }
  const report = driftFromPlan(run.plan);
  const stdout = options.json ? JSON.stringify(report, null, 2) : renderDriftText(report);
  if (hasPlanErrors(run.plan))
    return { exitCode: 1, stdout, stderr: 'error: drift could not be fully checked (errors listed above)' };
  return { exitCode: options.failOnDrift && report.drifted ? 2 : 0, stdout };
}
