/** Where a brand's sticky comment is looked for: on the pull request, written by our login, with its marker. */
import { ownLogin } from '../github/index.js';
import type { OwnCommentQuery } from '../github/sticky-comment.js';
import { isBrandComment } from '../views/github/index.js';
import type { JobContext } from './job.js';

export async function brandCommentQuery(
  job: JobContext,
  issueNumber: number,
  brand: string,
): Promise<OwnCommentQuery> {
  const octokit = job.github!;
  return {
    octokit,
    owner: job.run.owner,
    repo: job.run.repo,
    issueNumber,
    login: await ownLogin(octokit),
    matches: (body: string) => isBrandComment(body, brand),
  };
}
