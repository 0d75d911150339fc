/**
 * One open issue per brand that reports drift (Klaviyo edited by hand), kept up to date by the scheduled
 * run and closed when the drift is gone. Found again like the sticky comment: every page of open issues,
 * only those our login opened, the caller's marker test on the body. Pull requests are issues to the REST
 * API; they are skipped.
 */
import type { GitHubClient } from './client.js';
import { ACCESS, needing } from './errors.js';

export interface RepositoryRef {
  octokit: GitHubClient;
  owner: string;
  repo: string;
}

export interface OwnIssueQuery extends RepositoryRef {
  /** Our token's login (identity.ts `ownLogin`). */
  login: string;
  /** Whether an issue body is the one we look for (it carries our marker). */
  matches: (body: string) => boolean;
}

export interface FoundIssue {
  number: number;
  url: string;
  title: string;
  body: string;
}

export interface IssueResult {
  number: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

/** The newest open issue our login opened whose body `matches`, across every page, or undefined. */
export async function findOwnIssue(query: OwnIssueQuery): Promise<FoundIssue | undefined> {
  const { octokit, owner, repo, login, matches } = query;
  return needing(ACCESS.readIssues, async () => {
    let newest: FoundIssue | undefined;
    // No `creator` filter: how GitHub spells a bot there varies; the login test below is exact.
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state: 'open',
      per_page: 100,
    });
    for await (const page of pages) {
      for (const issue of page.data) {
        const body = issue.body ?? '';
        if (issue.pull_request || issue.user?.login !== login || !matches(body)) continue;
        if (!newest || issue.number > newest.number) {
          newest = { number: issue.number, url: issue.html_url, title: issue.title, body };
        }
      }
    }
    return newest;
  });
}

/** Opens our issue, or brings the open one up to date (no write when nothing changed). */
export async function openOrUpdateIssue(
  options: OwnIssueQuery & { title: string; body: string },
): Promise<IssueResult> {
  const { octokit, owner, repo, title, body } = options;
  const existing = await findOwnIssue(options);
  return needing(ACCESS.writeIssues, async () => {
    if (existing) {
      if (existing.title === title && existing.body === body) {
        return { number: existing.number, url: existing.url, action: 'unchanged' };
      }
      const { data } = await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: existing.number,
        title,
        body,
      });
      return { number: data.number, url: data.html_url, action: 'updated' };
    }
    const { data } = await octokit.rest.issues.create({ owner, repo, title, body });
    return { number: data.number, url: data.html_url, action: 'created' };
  });
}

/** Says why in a comment, then closes the issue as completed (the comment first, so the close has a reason). */
export async function closeIssue(
  options: RepositoryRef & { number: number; comment: string },
): Promise<{ number: number; url: string }> {
  const { octokit, owner, repo, number, comment } = options;
  return needing(ACCESS.writeIssues, async () => {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment });
    const { data } = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: number,
      state: 'closed',
      state_reason: 'completed',
    });
    return { number: data.number, url: data.html_url };
  });
}
