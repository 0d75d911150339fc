/**
 * `klaviyo-gitops drift`: managed objects whose Klaviyo copy differs from the repository (per field), managed
 * objects missing from Klaviyo, and duplicates. Reads only; writes nothing to Klaviyo or the repository.
 * Exit 0; with `--fail-on-drift`, 2 when there is drift. Errors exit 1.
 */
import { driftFromPlan, renderDriftText } from '../engine/drift.js';
import type { TargetChoice } from '../config.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { hasPlanErrors, loadAndPlan, type CommandDeps } from './plan.js';

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
  const planned = await loadAndPlan(options, ctx, deps);
  if (!planned.ok) return planned.outcome;
  const { run } = planned;
  const report = driftFromPlan(run.plan);
  const stdout = options.json ? JSON.stringify(report, null, 2) : renderDriftText(report);
  if (hasPlanErrors(run.plan))
    return { exitCode: 1, stdout, stderr: 'error: drift could not be fully checked (errors listed above)' };
  return { exitCode: options.failOnDrift && report.drifted ? 2 : 0, stdout };
}
