/**
 * The one place results and errors become exit codes (ARCHITECTURE's CLI contract: 0 success, 1 errors found
 * or operation failed, 2 usage error, except where stated).
 *
 * | what                                   | exit |
 * | -------------------------------------- | ---- |
 * | CommandError `usage`                   | 2    |
 * | CommandError `refused` / `failed`      | 1    |
 * | anything else thrown                   | 1    |
 * | ValidateResult with errors             | 1    |
 * | RenderResult, a preview or screenshot failed | 1 |
 * | PlanResult with plan errors            | 1    |
 * | PlanResult, `--detailed-exitcode`, changes | 2 |
 * | ApplyResult `failed`                   | 1    |
 * | DriftResult with plan errors           | 1    |
 * | DriftResult, `--fail-on-drift`, drift  | 2    |
 * | PullResult with edits not pulled       | 1    |
 * | ReviewResult: invalid files, a failed preview, plan errors | 1 |
 * | RefreshResult, `--fail-on-drift`, drift left | 2 |
 * | SyncResult: Klaviyo refused items, a source file unusable, Klaviyo unreachable | 1 |
 * | any other result                       | 0    |
 *
 * "Changes" and "drift" count only in a result that succeeded: a plan with errors is 1, never 2.
 */
import { planHasChanges, planHasErrors } from '../engine/plan.js';
import { CommandError } from './errors.js';
import type { CommandResult, SyncResult } from './results.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
/** A usage error; also "changes" (`plan --detailed-exitcode`) and "drift" (`drift --fail-on-drift`). */
export const EXIT_USAGE_OR_CHANGES = 2;

export function exitCodeOf(outcome: CommandResult | unknown): number {
  if (outcome instanceof CommandError) return outcome.kind === 'usage' ? EXIT_USAGE_OR_CHANGES : EXIT_FAILED;
  if (!isResult(outcome)) return EXIT_FAILED;
  switch (outcome.command) {
    case 'validate':
      return outcome.errors > 0 ? EXIT_FAILED : EXIT_OK;
    case 'render':
      return outcome.manifest.summary.failed > 0 || outcome.screenshotFailures > 0 ? EXIT_FAILED : EXIT_OK;
    case 'plan':
      if (planHasErrors(outcome.plan)) return EXIT_FAILED;
      return outcome.detailedExitcode && planHasChanges(outcome.plan) ? EXIT_USAGE_OR_CHANGES : EXIT_OK;
    case 'apply':
      return outcome.outcome === 'failed' ? EXIT_FAILED : EXIT_OK;
    case 'drift':
      if (planHasErrors(outcome.plan)) return EXIT_FAILED;
      return outcome.failOnDrift && outcome.report.drifted ? EXIT_USAGE_OR_CHANGES : EXIT_OK;
    case 'pull':
      return outcome.notPulled > 0 ? EXIT_FAILED : EXIT_OK;
    case 'refresh':
      return outcome.failOnDrift && outcome.drift.drifted ? EXIT_USAGE_OR_CHANGES : EXIT_OK;
    case 'review': {
      // Changes are the review's answer; invalid files, a failed preview or a plan with errors fail it.
      const { validation, previews, planning } = outcome;
      if (validation.errors > 0 || previews.manifest.summary.failed > 0 || previews.screenshotFailures > 0)
        return EXIT_FAILED;
      return planning.status === 'planned' && planHasErrors(planning.plan) ? EXIT_FAILED : EXIT_OK;
    }
    case 'sync':
      return syncFailed(outcome) ? EXIT_FAILED : EXIT_OK;
    case 'sync-history':
    case 'import':
    case 'init':
    case 'brands':
    case 'sandbox':
      return EXIT_OK;
  }
}

/**
 * A sync fails when Klaviyo refused items or a source could not be read at all. Skips by the consent gate, bad
 * rows (reported by file and line) and a stop at the time budget are not failures.
 */
export function syncFailed(result: SyncResult): boolean {
  return result.brands.some((b) => b.unusable || b.stats.failed - b.stats.badRows > 0);
}

function isResult(value: unknown): value is CommandResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { command?: unknown }).command === 'string'
  );
}
