/**
 * The login our token writes as, so we only ever trust and edit what we wrote ourselves: anyone can paste
 * our hidden marker into a comment, nobody else can post as our login. A personal or app user token reads it
 * from `GET /user`; the workflow's own GITHUB_TOKEN is an installation token, which GitHub refuses there
 * (403), and it always writes as `github-actions[bot]`.
 */
import type { GitHubClient } from './client.js';
import { ACCESS, GitHubPermissionError, asGitHubError } from './errors.js';

export const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';

const logins = new WeakMap<GitHubClient, Promise<string>>();

/** The token's login, asked once per client. */
export function ownLogin(octokit: GitHubClient): Promise<string> {
  const known = logins.get(octokit);
  if (known) return known;
  const asked = askLogin(octokit);
  logins.set(octokit, asked);
  // A failure is not an answer: the next call asks again.
  asked.catch(() => logins.delete(octokit));
  return asked;
}

async function askLogin(octokit: GitHubClient): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const failure = asGitHubError(error, ACCESS.readIdentity);
    // Only installation tokens are refused here; a rate limit or a bad token is still an error.
    if (failure instanceof GitHubPermissionError && failure.status === 403) return WORKFLOW_TOKEN_LOGIN;
    throw failure;
  }
}
