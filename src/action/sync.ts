/**
 * The `sync` job, nightly per brand: the brand's store exports (and TikTok Shop) into its Klaviyo account through
 * the `sync` verb, with its figures in the job summary and outputs. A run stopped at `max-duration` succeeds: the
 * history (kept between runs by the workflow's cache) lets the next run continue where it stopped. Items Klaviyo
 * refused, or a source that could not be read, fail the step after the summary is written.
 */
import { DEFAULT_HISTORY_FILE } from '../commands/sync.js';
import { runCommand } from '../commands/index.js';
import { syncFailed } from '../commands/exit-codes.js';
import type { JobContext, JobOutcome } from './job.js';
import { reportOutcome } from './report.js';

export async function syncJob(job: JobContext): Promise<JobOutcome> {
  const { inputs, command } = job;
  const result = await runCommand(
    'sync',
    {
      dir: inputs.dir,
      brands: inputs.brand ? [inputs.brand] : [],
      target: inputs.target,
      maxDurationMs: inputs.maxDurationMs,
      history: inputs.history,
    },
    command,
  );
  await reportOutcome(job, result, { summary: { historyShown: inputs.history ?? DEFAULT_HISTORY_FILE } });
  return {
    outcome: result,
    ...(syncFailed(result)
      ? {
          failure:
            'the sync did not send everything: Klaviyo refused items or a source failed (see the job summary)',
        }
      : {}),
  };
}
