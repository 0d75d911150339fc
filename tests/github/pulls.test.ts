import { describe, expect, it } from 'vitest';
import { getPullRequest, mergedPullRequestOf } from '../../src/github/pulls.js';
import { OWNER, REPO, useFakeGitHub } from './setup.js';

const sha = (char: string) => char.repeat(40);

describe('the pull request behind a commit', () => {
  const github = useFakeGitHub();
  const lookup = (commit: string) =>
    mergedPullRequestOf({ octokit: github.client(), owner: OWNER, repo: REPO, sha: commit });

  it('is the one merged as this very commit, not another that contains it', async () => {
    const fake = github.fake();
    fake.addPullRequest({ number: 8, headSha: sha('2'), merged: true, mergeCommitSha: sha('m') });
    // Merged later, into the default branch too: only the merge commit tells them apart.
    fake.addPullRequest({ number: 7, headSha: sha('1'), merged: true, mergeCommitSha: sha('9') });
    fake.addPullRequest({ number: 9, headSha: sha('3') });
    fake.setCommitPulls(sha('m'), [7, 9, 8]);
    expect(await lookup(sha('m'))).toMatchObject({
      number: 8,
      url: 'https://github.com/acme/marketing/pull/8',
      headSha: sha('2'),
      mergeCommitSha: sha('m'),
      baseRef: 'main',
      state: 'closed',
    });
  });

  it('after a rebase merge (another sha) is the latest merged into the default branch', async () => {
    const fake = github.fake();
    fake.addPullRequest({
      number: 3,
      headSha: sha('1'),
      merged: true,
      mergeCommitSha: sha('x'),
      baseRef: 'release',
    });
    fake.addPullRequest({ number: 4, headSha: sha('2'), merged: true, mergeCommitSha: sha('y') });
    fake.addPullRequest({ number: 5, headSha: sha('3') });
    fake.setCommitPulls(sha('r'), [3, 4, 5]);
    expect(await lookup(sha('r'))).toMatchObject({ number: 4 });
  });

  it('is undefined for a commit pushed straight to main or only in open pull requests', async () => {
    github.fake().addPullRequest({ number: 2, headSha: sha('4') });
    github.fake().setCommitPulls(sha('4'), [2]);
    expect(await lookup(sha('5'))).toBeUndefined();
    expect(await lookup(sha('4'))).toBeUndefined();
  });

  it('reads one pull request with its head (for a fork, the fork) or undefined', async () => {
    github.fake().addPullRequest({ number: 6, headSha: sha('6'), headRepo: 'someone/marketing' });
    const octokit = github.client();
    expect(await getPullRequest({ octokit, owner: OWNER, repo: REPO, number: 6 })).toMatchObject({
      number: 6,
      headSha: sha('6'),
      headRepository: 'someone/marketing',
      state: 'open',
      mergedAt: undefined,
    });
    expect(await getPullRequest({ octokit, owner: OWNER, repo: REPO, number: 60 })).toBeUndefined();
  });
});
