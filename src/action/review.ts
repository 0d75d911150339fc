/**
 * The `review` job, on a pull request: findings as annotations (the files the pull request changed first), the
 * previews written for the upload step, the job summary, and one sticky comment per brand with the plan and
 * its review fingerprint. Each brand's comment is also written to the review directory, so that when this run
 * may not comment (a fork's pull request gets a read-only token) klaviyo-review-comment.yml can post it from
 * the default branch without running the pull request's code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exitCodeOf } from '../commands/exit-codes.js';
import { runReview } from '../commands/review.js';
import type { ReviewResult } from '../commands/results.js';
import { findOwnComment, GitHubPermissionError, upsertComment } from '../github/index.js';
import { changedFilesOf } from '../github/pull-files.js';
import {
  brandReviewFacts,
  markCommentOutdated,
  renderReviewComment,
  selectAnnotations,
  shouldComment,
} from '../views/github/index.js';
import type { JobContext, JobOutcome } from './job.js';
import { PLAN_FILE, PREVIEWS_DIR } from './job.js';
import { brandCommentQuery } from './brand-comment.js';
import { reportOutcome } from './report.js';

/** One brand's comment as the review left it, for the fork comment workflow. */
export interface ReviewArtifact {
  version: 1;
  brand: string;
  pullRequest: number;
  headSha: string;
  body: string;
}

export const REVIEW_ARTIFACT_VERSION = 1;

export async function reviewJob(job: JobContext): Promise<JobOutcome> {
  const { inputs, run, command, sink } = job;
  const result = await runReview(
    {
      dir: inputs.dir,
      brand: inputs.brand,
      target: inputs.target,
      previews: PREVIEWS_DIR,
      screenshots: inputs.screenshots,
      out: PLAN_FILE,
    },
    command,
  );
  const pull = run.event.kind === 'pull_request' ? run.event : undefined;
  const changed = pull && job.github ? await changedFiles(job, pull.number) : [];
  const selection = selectAnnotations(result.validation.diagnostics, changed);
  for (const annotation of selection.annotations) sink.annotate(annotation);

  const notes: string[] = [];
  let commentId: number | undefined;
  const reviewDir = resolve(command.cwd, inputs.reviewDir);
  if (pull) {
    await mkdir(reviewDir, { recursive: true });
    for (const brand of result.validation.brands) {
      const posted = await commentForBrand(job, result, brand, pull, reviewDir, notes);
      commentId ??= posted;
    }
  } else notes.push('Not a pull request: no comment was posted.');

  const exitCode = exitCodeOf(result);
  await reportOutcome(job, result, {
    notes,
    extra: {
      planJson: result.planning.status === 'planned' ? PLAN_FILE : undefined,
      previewsDir: PREVIEWS_DIR,
      commentId,
    },
    outputs: pull ? { 'review-dir': inputs.reviewDir } : {},
  });
  return {
    outcome: result,
    ...(exitCode !== 0 ? { failure: reviewFailure(result) } : {}),
  };
}

function reviewFailure(result: ReviewResult): string {
  if (result.validation.errors > 0)
    return `the marketing files have ${result.validation.errors} error(s) (annotated at their lines; all in the job summary)`;
  if (result.previews.manifest.summary.failed > 0)
    return `${result.previews.manifest.summary.failed} email(s) could not be rendered`;
  return 'the plan has errors (listed in the job summary)';
}

async function changedFiles(job: JobContext, number: number): Promise<string[]> {
  try {
    return await changedFilesOf({ octokit: job.github!, owner: job.run.owner, repo: job.run.repo, number });
  } catch (error) {
    // Annotations still come; only their order loses the pull request's files.
    job.sink.warning(`could not list the pull request's files: ${(error as Error).message}`);
    return [];
  }
}

/** Writes the brand's artifact, then posts or updates its comment; returns the comment id when it posted. */
async function commentForBrand(
  job: JobContext,
  result: ReviewResult,
  brand: string,
  pull: { number: number; headSha: string; fromFork: boolean },
  reviewDir: string,
  notes: string[],
): Promise<number | undefined> {
  const { inputs, run } = job;
  const rendered = renderReviewComment(result, brand, {
    headSha: pull.headSha,
    ...(run.runUrl ? { runUrl: run.runUrl } : {}),
    previewsArtifact: `klaviyo-previews-${brand}`,
    budget: inputs.commentBudget,
    fromFork: pull.fromFork,
  });
  const artifact: ReviewArtifact = {
    version: REVIEW_ARTIFACT_VERSION,
    brand,
    pullRequest: pull.number,
    headSha: pull.headSha,
    body: rendered.body,
  };
  await writeFile(join(reviewDir, `${brandFileName(brand)}.json`), `${JSON.stringify(artifact)}\n`);
  if (inputs.comment === 'off') {
    notes.push(`Comment for ${brand}: off (input \`comment: off\`).`);
    return undefined;
  }
  if (!job.github) {
    notes.push(`Comment for ${brand}: no GitHub token, so no comment.`);
    return undefined;
  }
  try {
    const query = await brandCommentQuery(job, pull.number, brand);
    const earlier = await findOwnComment(query);
    const decision = shouldComment({ ...brandReviewFacts(result, brand), hasEarlierComment: !!earlier });
    if (decision === 'silent') {
      notes.push(`Comment for ${brand}: nothing to say (no changes, no findings).`);
      return undefined;
    }
    const posted = await upsertComment({
      ...query,
      mode: inputs.comment === 'new' ? 'new' : 'update',
      body: rendered.body,
      outdate: (old) => markCommentOutdated(old),
    });
    notes.push(`Comment for ${brand}: ${posted.action} (${posted.url}).`);
    return posted.id;
  } catch (error) {
    // A token GitHub rejects (401) is a broken setup, not a fork: fail with github-permission.
    if (!(error instanceof GitHubPermissionError) || error.status === 401) throw error;
    // A fork's read-only token: the review stands; the comment waits in the artifact.
    notes.push(
      `Comment for ${brand}: not posted: ${error.message}. It is in the review artifact, which ` +
        'klaviyo-review-comment.yml posts for pull requests from forks.',
    );
    job.sink.warning(`could not comment for ${brand}: ${error.message}`);
    return undefined;
  }
}

/** A brand key as a file name (brand keys are folder names already; this keeps it so whatever they hold). */
export function brandFileName(brand: string): string {
  return brand.replace(/[^A-Za-z0-9._-]/g, '_');
}
