/**
 * The part every job ends with: the job summary (the command's result, plus what the job did on GitHub) and
 * the Action's outputs. A failure is reported the same way, from the CommandError that stopped the job.
 */
import { exitCodeOf } from '../commands/exit-codes.js';
import type { CommandError } from '../commands/errors.js';
import type { CommandResult } from '../commands/results.js';
import { actionOutputs, renderJobSummary, type ReporterOutputs } from '../views/github/index.js';
import type { JobContext } from './job.js';

export interface ReportExtras {
  /** Lines under the summary: what the job did on GitHub (comments, the drift issue). */
  notes?: string[];
  extra?: { [K in keyof ReporterOutputs]?: ReporterOutputs[K] | undefined };
  /** Outputs beyond the views' (`review-dir`). */
  outputs?: Record<string, string>;
}

export async function reportOutcome(
  job: JobContext,
  outcome: CommandResult | CommandError,
  extras: ReportExtras = {},
): Promise<void> {
  const { sink, run } = job;
  const summary = renderJobSummary(outcome, {
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    ...(job.inputs.brand ? { previewsArtifact: `klaviyo-previews-${job.inputs.brand}` } : {}),
  });
  const notes = extras.notes?.length ? `\n${extras.notes.map((n) => `- ${n}`).join('\n')}\n` : '';
  await sink.summary(summary.markdown + notes);
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
