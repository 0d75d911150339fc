/**
 * The pull request behind a commit on main: apply-on-merge reads the reviewed plan's fingerprint from that
 * pull request's comment, so it must find the one that was merged as this very commit.
 */
import type { GitHubClient } from './client.js';
import { ACCESS, httpStatusOf, needing } from './errors.js';

export interface PullRequestInfo {
  number: number;
  url: string;
  headSha: string;
  /** `owner/name` of the head repository; differs from the base for a fork (undefined if it was deleted). */
  headRepository: string | undefined;
  baseRef: string;
  state: 'open' | 'closed';
  mergedAt: string | undefined;
  mergeCommitSha: string | undefined;
}

interface PullRequestData {
  number: number;
  html_url: string;
  state: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string; repo: { full_name: string } | null };
  base: { ref: string; repo: { default_branch?: string } };
}

function toInfo(pull: PullRequestData): PullRequestInfo {
  return {
    number: pull.number,
    url: pull.html_url,
    headSha: pull.head.sha,
    headRepository: pull.head.repo?.full_name,
    baseRef: pull.base.ref,
    state: pull.state === 'open' ? 'open' : 'closed',
    mergedAt: pull.merged_at ?? undefined,
    mergeCommitSha: pull.merge_commit_sha ?? undefined,
  };
}

/**
 * The pull request merged as commit `sha`: the one whose merge commit it is; failing that (a rebase merge
 * gives the pushed commit another sha) the most recently merged one into its repository's default branch.
 */
export async function mergedPullRequestOf(options: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  sha: string;
}): Promise<PullRequestInfo | undefined> {
  const { octokit, owner, repo, sha } = options;
  return needing(ACCESS.readPullRequests, async () => {
    const pulls = (await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      owner,
      repo,
      commit_sha: sha,
      per_page: 100,
    })) as PullRequestData[];
    const merged = pulls.filter((pull) => pull.merged_at);
    const exact = merged.find((pull) => pull.merge_commit_sha === sha);
    if (exact) return toInfo(exact);
    const intoDefault = merged
      .filter((pull) => pull.base.ref === pull.base.repo.default_branch)
      .sort((a, b) => String(b.merged_at).localeCompare(String(a.merged_at)));
    return intoDefault[0] ? toInfo(intoDefault[0]) : undefined;
  });
}

/** One pull request by number, or undefined when there is none. */
export async function getPullRequest(options: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  number: number;
}): Promise<PullRequestInfo | undefined> {
  const { octokit, owner, repo, number } = options;
  return needing(ACCESS.readPullRequests, async () => {
    try {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
      return toInfo(data as PullRequestData);
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  });
}
