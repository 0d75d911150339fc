/**
 * The Action's jobs, by `command` input: `review` (pull requests), `apply` (push to main), `refresh`
 * (schedule), `publish-review` (fork comments, from workflow_run), `sync` (nightly customer data), and the plain
 * `validate`, `plan`, `drift`.
 * A job that cannot do its job throws; `runJob` reports that failure like any outcome (summary, outputs with
 * its `failure-reason`) and hands back the step's failure message.
 */
import { CommandError } from '../commands/errors.js';
import { asCommandError } from '../commands/failures.js';
import { GitHubPermissionError, GitHubRateLimitError } from '../github/index.js';
import { selectAnnotations } from '../views/github/index.js';
import { applyJob } from './apply.js';
import type { JobContext, JobOutcome } from './job.js';
import { plainJob } from './plain.js';
import { publishReviewJob } from './publish-review.js';
import { refreshJob } from './refresh.js';
import { reportOutcome } from './report.js';
import { reviewJob } from './review.js';
import { syncJob } from './sync.js';

export type { JobContext, JobOutcome } from './job.js';
export type { ActionSink } from './sink.js';

function dispatch(job: JobContext): Promise<JobOutcome> {
  switch (job.inputs.command) {
    case 'review':
      return reviewJob(job);
    case 'apply':
      return applyJob(job);
    case 'refresh':
      return refreshJob(job);
    case 'publish-review':
      return publishReviewJob(job);
    case 'sync':
      return syncJob(job);
    case 'validate':
    case 'plan':
    case 'drift':
      return plainJob(job, job.inputs.command);
  }
}

/** GitHub refusing the token is the Action's own failure reason. */
function asJobError(error: unknown): CommandError | undefined {
  if (error instanceof GitHubPermissionError)
    return new CommandError('failed', error.message, { reason: 'github-permission' });
  if (error instanceof GitHubRateLimitError)
    return new CommandError('failed', error.message, { reason: 'rate-limited' });
  return asCommandError(error);
}

/** Runs the job; a known failure is reported and returned, anything else is thrown to the entry. */
export async function runJob(job: JobContext): Promise<JobOutcome> {
  try {
    return await dispatch(job);
  } catch (error) {
    if (job.command.signal?.aborted) throw error;
    const known = asJobError(error);
    if (!known) throw error;
    // Invalid files that refused a plan or apply: at their lines, as validate shows them.
    for (const annotation of selectAnnotations(known.details.diagnostics ?? []).annotations)
      job.sink.annotate(annotation);
    await reportOutcome(job, known);
    return { outcome: known, failure: known.message };
  }
}
