/**
 * The `publish-review` job, run by klaviyo-review-comment.yml on `workflow_run` after a review of a fork's pull
 * request: it posts the comments that review could not post with its read-only token. It runs the default
 * branch's code with a write token, so the review artifact is untrusted data from the fork: each file must be
 * one brand's comment that starts with that brand's marker and payload, fit GitHub's limit, and name a pull
 * request whose head is the commit the finished run reviewed. Nothing else is read, nothing is executed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommandError } from '../commands/errors.js';
import { getPullRequest, upsertComment } from '../github/index.js';
import { COMMENT_LIMIT, isBrandComment, parseCommentPayload } from '../views/github/index.js';
import { brandCommentQuery } from './brand-comment.js';
import type { JobContext, JobOutcome } from './job.js';
import { REVIEW_ARTIFACT_VERSION, type ReviewArtifact } from './review.js';

/** The largest artifact file read: a comment at GitHub's limit, escaped, with room for the other fields. */
const MAX_ARTIFACT_BYTES = 4 * COMMENT_LIMIT;

/** One artifact file as a ReviewArtifact, or why it is refused. */
export function parseReviewArtifact(text: string): ReviewArtifact | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (v.version !== REVIEW_ARTIFACT_VERSION) return `version is not ${REVIEW_ARTIFACT_VERSION}`;
  if (typeof v.brand !== 'string' || v.brand === '') return 'no brand';
  if (!Number.isInteger(v.pullRequest) || (v.pullRequest as number) <= 0) return 'no pull request number';
  if (typeof v.headSha !== 'string' || !/^[0-9a-f]{40}$/.test(v.headSha)) return 'no head commit';
  if (typeof v.body !== 'string' || v.body.length > COMMENT_LIMIT) return 'no comment body within the limit';
  if (!isBrandComment(v.body, v.brand))
    return `the comment does not start with the marker of brand ${v.brand}`;
  const payload = parseCommentPayload(v.body);
  if (!payload || payload.headSha !== v.headSha) return 'the comment payload does not match the artifact';
  return {
    version: REVIEW_ARTIFACT_VERSION,
    brand: v.brand,
    pullRequest: v.pullRequest as number,
    headSha: v.headSha,
    body: v.body,
  };
}

export async function publishReviewJob(job: JobContext): Promise<JobOutcome> {
  const { run, inputs, sink } = job;
  if (run.event.kind !== 'workflow_run')
    throw new CommandError('usage', 'publish-review runs on the workflow_run event of the review workflow');
  if (!job.github) throw new CommandError('usage', 'publish-review needs a github-token');
  const reviewedSha = run.event.headSha;
  const dir = resolve(job.command.cwd, inputs.reviewDir);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const notes: string[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    const artifact = text.length > MAX_ARTIFACT_BYTES ? 'too large' : parseReviewArtifact(text);
    if (typeof artifact === 'string') {
      refused.push(`${file}: ${artifact}`);
      continue;
    }
    if (inputs.brand && artifact.brand !== inputs.brand) {
      refused.push(`${file}: brand ${artifact.brand} is not this job's brand ${inputs.brand}`);
      continue;
    }
    const pull = await getPullRequest({
      octokit: job.github,
      owner: run.owner,
      repo: run.repo,
      number: artifact.pullRequest,
    });
    if (!pull || pull.headSha !== reviewedSha || artifact.headSha !== reviewedSha) {
      refused.push(
        `${file}: pull request #${artifact.pullRequest} is not the one the review ran for (its head is not ${reviewedSha.slice(0, 12)})`,
      );
      continue;
    }
    const posted = await upsertComment({
      ...(await brandCommentQuery(job, pull.number, artifact.brand)),
      mode: 'update',
      body: artifact.body,
    });
    notes.push(`Comment for ${artifact.brand} on #${pull.number}: ${posted.action} (${posted.url}).`);
    sink.setOutput('comment-id', String(posted.id));
  }
  for (const line of refused) sink.warning(`review artifact refused: ${line}`);
  await sink.summary(
    [
      '## klaviyo-gitops publish-review',
      '',
      ...[...notes, ...refused.map((r) => `Refused ${r}`)].map((l) => `- ${l}`),
    ]
      .join('\n')
      .concat('\n'),
  );
  // The outcome is the comments themselves: no command result to report.
  return {
    ...(refused.length > 0
      ? { failure: `${refused.length} review artifact file(s) refused (listed in the summary)` }
      : {}),
  };
}
