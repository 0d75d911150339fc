/**
 * The `refresh` job, on a schedule: re-assert the segment definitions that drifted, and keep one issue per
 * brand about the drift that is left: opened when drift appears, its body brought up to date while it lasts,
 * closed with a comment once Klaviyo matches the repository again.
 */
import { runRefresh } from '../commands/refresh.js';
import type { RefreshResult } from '../commands/results.js';
import type { BrandDrift } from '../engine/drift.js';
import {
  closeIssue,
  findOwnIssue,
  GitHubPermissionError,
  openOrUpdateIssue,
  ownLogin,
} from '../github/index.js';
import { driftResolvedComment, parseDriftIssueMarker, renderDriftIssue } from '../views/github/index.js';
import type { JobContext, JobOutcome } from './job.js';
import { reportOutcome } from './report.js';

/** Drift worth an issue: a managed object that differs, is missing or duplicated, or a re-assert that failed. */
export function brandHasDrift(drift: BrandDrift, result: RefreshResult): boolean {
  return (
    drift.items.some((item) => item.state !== 'not-in-code') ||
    result.reasserted.some((s) => s.brand === drift.brand && s.outcome === 'failed')
  );
}

export async function refreshJob(job: JobContext): Promise<JobOutcome> {
  const { inputs, command } = job;
  const result = await runRefresh(
    { dir: inputs.dir, brand: inputs.brand, target: inputs.target, failOnDrift: inputs.failOnDrift },
    command,
  );
  const notes: string[] = [];
  let issueNumber: number | undefined;
  if (job.github) {
    for (const drift of result.drift.brands) {
      try {
        issueNumber = (await keepDriftIssue(job, result, drift, notes)) ?? issueNumber;
      } catch (error) {
        if (!(error instanceof GitHubPermissionError) || error.status === 401) throw error;
        notes.push(`Drift issue for ${drift.brand}: not written: ${error.message}.`);
        job.sink.warning(`could not write the drift issue of ${drift.brand}: ${error.message}`);
      }
    }
  } else notes.push('No GitHub token: no drift issue.');
  await reportOutcome(job, result, {
    notes,
    outputs: { 'drift-issue-number': issueNumber === undefined ? '' : String(issueNumber) },
  });
  const drifted = result.drift.drifted;
  return {
    outcome: result,
    ...(drifted && inputs.failOnDrift
      ? { failure: 'Klaviyo has drifted from the repository (fail-on-drift); see the drift issue' }
      : {}),
  };
}

/** Opens, updates or closes the brand's drift issue; returns its number while it is open. */
async function keepDriftIssue(
  job: JobContext,
  result: RefreshResult,
  drift: BrandDrift,
  notes: string[],
): Promise<number | undefined> {
  const query = {
    octokit: job.github!,
    owner: job.run.owner,
    repo: job.run.repo,
    login: await ownLogin(job.github!),
    matches: (body: string) => parseDriftIssueMarker(body) === drift.brand,
  };
  if (brandHasDrift(drift, result)) {
    const issue = renderDriftIssue(
      drift,
      result.reasserted.filter((s) => s.brand === drift.brand),
      { checkedAt: new Date(), ...(job.run.runUrl ? { runUrl: job.run.runUrl } : {}) },
    );
    const written = await openOrUpdateIssue({ ...query, title: issue.title, body: issue.body });
    notes.push(`Drift issue for ${drift.brand}: #${written.number} ${written.action} (${written.url}).`);
    return written.number;
  }
  const open = await findOwnIssue(query);
  if (open) {
    await closeIssue({
      ...query,
      number: open.number,
      comment: driftResolvedComment(new Date(), job.run.runUrl),
    });
    notes.push(`Drift issue for ${drift.brand}: #${open.number} closed, drift resolved.`);
  }
  return undefined;
}
