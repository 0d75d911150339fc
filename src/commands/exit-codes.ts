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

/** One exit code and when a verb gives it, as `--help` and the README state it. */
export interface ExitCodeRow {
  code: number;
  when: string;
}

/**
 * The exits every verb shares. 1 and 2 are the CLI contract; 130 and 143 come from the signal handling
 * (stop-signals.ts).
 */
export const COMMON_EXIT_CODES: readonly ExitCodeRow[] = [
  { code: EXIT_OK, when: 'success' },
  {
    code: EXIT_FAILED,
    when: "refused (invalid files, a missing key, another account's key) or failed (Klaviyo unavailable, a write failed)",
  },
  {
    code: EXIT_USAGE_OR_CHANGES,
    when: 'usage error: an unknown command or option, a bad value, no such directory or brand',
  },
  { code: 130, when: 'stopped by Ctrl-C (SIGINT)' },
  { code: 143, when: 'stopped by SIGTERM' },
];

/**
 * What each verb's result adds to the shared exits: the table above in data, for `--help` and the README.
 * exitCodeOf below decides; tests/commands/exit-codes.test.ts holds each row to it.
 */
export const VERB_EXIT_CODES: Readonly<Record<string, readonly ExitCodeRow[]>> = {
  validate: [{ code: EXIT_FAILED, when: 'the files have errors' }],
  render: [
    { code: EXIT_FAILED, when: 'a preview or a screenshot failed (the gallery is written for the rest)' },
  ],
  plan: [
    { code: EXIT_FAILED, when: 'the plan has errors (e.g. an unknown metric)' },
    { code: EXIT_USAGE_OR_CHANGES, when: 'with --detailed-exitcode: the plan has changes (and no errors)' },
  ],
  apply: [
    {
      code: EXIT_FAILED,
      when: 'some resources failed (re-running finishes the job), a check refused the apply, or the answer was not yes',
    },
  ],
  pull: [{ code: EXIT_FAILED, when: 'edits it could not pull (listed with what to do instead)' }],
  drift: [
    { code: EXIT_FAILED, when: 'drift could not be fully checked (plan errors)' },
    { code: EXIT_USAGE_OR_CHANGES, when: 'with --fail-on-drift: drift found (and no errors)' },
  ],
  review: [
    {
      code: EXIT_FAILED,
      when: 'invalid files, a failed preview or plan errors (changes are its answer, not a failure)',
    },
  ],
  refresh: [
    { code: EXIT_USAGE_OR_CHANGES, when: 'with --fail-on-drift: drift left after re-asserting segments' },
  ],
  sync: [
    {
      code: EXIT_FAILED,
      when: 'Klaviyo refused items, a source file is unusable, or Klaviyo is unreachable (bad rows and skips are not failures)',
    },
  ],
};

/** A verb's exit codes by code, one row each: its own meaning of a code first, then the shared one. */
export function exitCodesOf(verb: string): ExitCodeRow[] {
  const rows = new Map<number, string[]>();
  for (const row of [...(VERB_EXIT_CODES[verb] ?? []), ...COMMON_EXIT_CODES])
    rows.set(row.code, [...(rows.get(row.code) ?? []), row.when]);
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, whens]) => ({ code, when: whens.join('; or ') }));
}

export function exitCodeOf(outcome: CommandResult | unknown): number {
  if (outcome instanceof CommandError) return outcome.kind === 'usage' ? EXIT_USAGE_OR_CHANGES : EXIT_FAILED;
  if (!isResult(outcome)) return EXIT_FAILED;
  switch (outcome.command) {
    case 'validate':
      return outcome.errors > 0 ? EXIT_FAILED : EXIT_OK;
    case 'render':
      return outcome.manifest.summary.failed > 0 ||
        outcome.manifest.summary.flowEmailsFailed > 0 ||
        outcome.screenshotFailures > 0
        ? EXIT_FAILED
        : EXIT_OK;
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
