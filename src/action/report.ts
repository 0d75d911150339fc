/**
 * The part every job ends with: the job summary (the command's result, plus what the job did on GitHub) and
 * the Action's outputs. A failure is reported the same way, from the CommandError that stopped the job.
 */
import { exitCodeOf } from '../commands/exit-codes.js';
import type { CommandError } from '../commands/errors.js';
import type { CommandResult } from '../commands/results.js';
import {
  actionOutputs,
  renderJobSummary,
  type ReporterOutputs,
  type SummaryContext,
} from '../views/github/index.js';
import type { JobContext } from './job.js';

export interface ReportExtras {
  /** Lines under the summary: what the job did on GitHub (comments, the drift issue). */
  notes?: string[];
  extra?: { [K in keyof ReporterOutputs]?: ReporterOutputs[K] | undefined };
  /** Outputs beyond the views' (`review-dir`). */
  outputs?: Record<string, string>;
  /** What the summary shows as the job knows it (the sync history's path as the workflow named it). */
  summary?: Pick<SummaryContext, 'historyShown'>;
}

/** What GitHub accepts of a step's summary, less room for the notes. */
const SUMMARY_BUDGET_BYTES = 1_000_000;

export function reportOutcome(
  job: JobContext,
  outcome: CommandResult | CommandError,
  extras: ReportExtras = {},
): Promise<void> {
  return reportOutcomes(job, [outcome], outcome, extras);
}

/**
 * Several outcomes in one summary (apply runs brand by brand), sharing GitHub's 1 MiB; the outputs follow
 * `main`, the outcome that decides the step (the first failure, else the last).
 */
export async function reportOutcomes(
  job: JobContext,
  outcomes: ReadonlyArray<CommandResult | CommandError>,
  main: CommandResult | CommandError,
  extras: ReportExtras = {},
): Promise<void> {
  const { sink, run } = job;
  const share = Math.floor(SUMMARY_BUDGET_BYTES / Math.max(1, outcomes.length));
  const parts = outcomes.map(
    (outcome) =>
      renderJobSummary(outcome, {
        budgetBytes: share,
        ...(run.runUrl ? { runUrl: run.runUrl } : {}),
        ...(job.inputs.brand ? { previewsArtifact: `klaviyo-previews-${job.inputs.brand}` } : {}),
        ...extras.summary,
      }).markdown,
  );
  const notes = extras.notes?.length ? `\n${extras.notes.map((n) => `- ${n}`).join('\n')}\n` : '';
  await sink.summary(parts.join('\n') + notes);
  const outcome = main;
  const reporter: ReporterOutputs = {};
  for (const [key, value] of Object.entries(extras.extra ?? {}))
    if (value !== undefined) (reporter as Record<string, unknown>)[key] = value;
  const outputs = {
    ...actionOutputs(outcome, reporter),
    ...extras.outputs,
    'exit-code': String(exitCodeOf(outcome)),
  };
  for (const [name, value] of Object.entries(outputs)) sink.setOutput(name, value);
}
