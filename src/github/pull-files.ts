/** The files a pull request changes, for putting its own findings first among the annotations. */
import type { GitHubClient } from './client.js';
import { ACCESS, needing } from './errors.js';

/** Paths relative to the repository root, every page (GitHub lists at most 3,000 files). */
export async function changedFilesOf(options: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  number: number;
}): Promise<string[]> {
  const { octokit, owner, repo, number } = options;
  return needing(ACCESS.readPullRequests, async () => {
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    });
    return files.map((file) => file.filename);
  });
}
