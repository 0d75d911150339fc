/**
 * The `apply` job, on a push to main (or a manual run of the deploy workflow): apply exactly what was reviewed.
 *
 * For each brand it finds the pull request merged as this commit, reads the review fingerprint from that pull
 * request's comment for the brand, and applies only when the plan made now has the same fingerprint (apply's
 * `reviewed` option: an overlapping change or a hand edit since the review refuses with `plan-changed`; a pull
 * request applied in between that touched other objects does not). A brand with changes and no reviewed plan
 * (a direct push) is refused as `unreviewed` unless `on-unreviewed: apply`; a brand with nothing to change
 * succeeds either way. The pull request's comment is then rewritten with the outcome.
 */
import { runApply } from '../commands/apply.js';
import { runBrands } from '../commands/brands.js';
import { CommandError } from '../commands/errors.js';
import { asCommandError } from '../commands/failures.js';
import { runPlan } from '../commands/plan.js';
import type { ApplyResult, PlanResult } from '../commands/results.js';
import { brandPlanWrites } from '../engine/plan.js';
import type { ReviewedPlan } from '../engine/review-fingerprint.js';
import {
  findOwnComment,
  GitHubPermissionError,
  mergedPullRequestOf,
  upsertComment,
  type PullRequestInfo,
} from '../github/index.js';
import {
  parseCommentPayload,
  renderAppliedComment,
  renderApplyRefusedComment,
  type BrandComment,
} from '../views/github/index.js';
import type { JobContext, JobOutcome } from './job.js';
import { PLAN_FILE } from './job.js';
import { brandCommentQuery } from './brand-comment.js';
import { reportOutcomes } from './report.js';

interface BrandReview {
  brand: string;
  reviewed?: ReviewedPlan;
  /** Our comment on the merged pull request, to rewrite with the outcome. */
  commentFound: boolean;
}

export async function applyJob(job: JobContext): Promise<JobOutcome> {
  const { inputs, command } = job;
  const brands = inputs.brand
    ? [inputs.brand]
    : (await runBrands({ dir: inputs.dir }, command)).brands.map((b) => b.brand);
  const sha = job.run.event.kind === 'push' ? job.run.event.sha : job.run.sha;
  const pull = await mergedPull(job, sha);
  const notes: string[] = [
    pull
      ? `Merged pull request: #${pull.number} (${pull.url}).`
      : `No merged pull request found for commit ${sha.slice(0, 12)}.`,
  ];
  const outcomes: Array<ApplyResult | PlanResult | CommandError> = [];
  const failures: string[] = [];
  for (const brand of brands) {
    const review = pull ? await reviewOf(job, pull, brand) : { brand, commentFound: false };
    let outcome: ApplyResult | CommandError;
    try {
      outcome = await applyBrand(job, review, (plan) => outcomes.push(plan));
    } catch (error) {
      const known = asCommandError(error);
      if (!known) throw error;
      outcome = known;
    }
    outcomes.push(outcome);
    if (outcome instanceof CommandError) failures.push(`${brand}: ${outcome.message}`);
    else if (outcome.outcome === 'failed') failures.push(`${brand}: some resources failed; re-run the job`);
    if (pull && review.commentFound) await rewriteComment(job, pull, review, outcome, sha, notes);
  }
  const failed = outcomes.find(
    (o) => o instanceof CommandError || (o.command === 'apply' && o.outcome === 'failed'),
  );
  const outcome = failed ?? outcomes.at(-1) ?? new CommandError('usage', 'no brand to apply');
  await reportOutcomes(job, outcomes, outcome, { notes, extra: { planJson: PLAN_FILE } });
  return { outcome, ...(failures.length > 0 ? { failure: failures.join('\n') } : {}) };
}

async function mergedPull(job: JobContext, sha: string): Promise<PullRequestInfo | undefined> {
  if (!job.github || !sha) return undefined;
  return mergedPullRequestOf({ octokit: job.github, owner: job.run.owner, repo: job.run.repo, sha });
}

async function reviewOf(job: JobContext, pull: PullRequestInfo, brand: string): Promise<BrandReview> {
  const found = await findOwnComment(await brandCommentQuery(job, pull.number, brand));
  const payload = found ? parseCommentPayload(found.body) : undefined;
  if (!payload?.fingerprint || payload.status === 'outdated') return { brand, commentFound: !!found };
  return {
    brand,
    commentFound: true,
    reviewed: { fingerprint: payload.fingerprint, resources: payload.resources ?? {} },
  };
}

/** `shown`: a plan the summary shows before the outcome (the plan an unreviewed push would apply). */
async function applyBrand(
  job: JobContext,
  review: BrandReview,
  shown: (plan: PlanResult) => void,
): Promise<ApplyResult> {
  const { inputs, command } = job;
  const base = { dir: inputs.dir, brand: review.brand, target: inputs.target };
  if (!review.reviewed && inputs.onUnreviewed === 'refuse') {
    // Nothing to write needs no review: a merge that did not touch this brand ends here.
    const planned = await runPlan({ ...base, out: PLAN_FILE, detailedExitcode: false }, command);
    const writes = planned.plan.brands.some(brandPlanWrites);
    if (writes) {
      shown(planned);
      throw new CommandError(
        'refused',
        `brand ${review.brand}: no reviewed plan for this commit (no review comment on its pull request, or a ` +
          'direct push), so nothing was applied. Open a pull request and let the review run, or run the deploy ' +
          'workflow by hand with on-unreviewed: apply after reading the plan in this job summary.',
        { reason: 'unreviewed' },
      );
    }
  }
  return runApply(
    {
      ...base,
      allowDestroy: inputs.allowDestroy,
      force: false,
      // A job has no terminal: the approval is the reviewed, merged pull request (or the person who chose
      // on-unreviewed: apply).
      autoApprove: true,
      ...(review.reviewed ? { reviewed: { [review.brand]: review.reviewed } } : {}),
    },
    command,
  );
}

async function rewriteComment(
  job: JobContext,
  pull: PullRequestInfo,
  review: BrandReview,
  outcome: ApplyResult | CommandError,
  sha: string,
  notes: string[],
): Promise<void> {
  const context = {
    sha,
    ...(job.run.runUrl ? { runUrl: job.run.runUrl } : {}),
    fingerprint: review.reviewed?.fingerprint ?? null,
    budget: job.inputs.commentBudget,
  };
  let comment: BrandComment;
  if (outcome instanceof CommandError) comment = renderApplyRefusedComment(outcome, review.brand, context);
  else {
    const brandResult = outcome.brands.find((b) => b.brand === review.brand);
    if (!brandResult) return;
    comment = renderAppliedComment(brandResult, context);
  }
  try {
    const posted = await upsertComment({
      ...(await brandCommentQuery(job, pull.number, review.brand)),
      mode: 'update',
      body: comment.body,
    });
    notes.push(`Comment for ${review.brand} on #${pull.number}: ${posted.action} (${posted.url}).`);
  } catch (error) {
    if (!(error instanceof GitHubPermissionError)) throw error;
    notes.push(`Comment for ${review.brand}: not updated: ${error.message}.`);
    job.sink.warning(`could not update the comment of ${review.brand}: ${error.message}`);
  }
}
