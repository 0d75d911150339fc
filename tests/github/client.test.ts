import { describe, expect, it } from 'vitest';
import { GitHubPermissionError, GitHubRateLimitError } from '../../src/github/errors.js';
import { findOwnComment } from '../../src/github/sticky-comment.js';
import { OWNER, REPO, useFakeGitHub } from './setup.js';

describe('the GitHub client', () => {
  const github = useFakeGitHub();

  const listComments = (octokit = github.client()) =>
    findOwnComment({
      octokit,
      owner: OWNER,
      repo: REPO,
      issueNumber: 1,
      login: 'github-actions[bot]',
      matches: () => true,
    });

  it('sends requests to the API url it was given, with the token only in the authorization header', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    await listComments(github.client(undefined, { apiUrl: `${github.fake().url}/` }));
    expect(github.fake().requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/marketing/issues/1/comments',
    ]);
  });

  it.each([
    ['a secondary rate limit (403, retry-after)', { kind: 'secondary', status: 403 }],
    ['a secondary rate limit (429, retry-after)', { kind: 'secondary', status: 429 }],
    ['a primary rate limit (x-ratelimit-remaining: 0)', { kind: 'primary', status: 403 }],
  ] as const)('waits out %s and retries', async (_name, fault) => {
    const waits: string[] = [];
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    github.fake().injectFault({ ...fault, seconds: 1 });
    await expect(
      listComments(github.client(undefined, { log: (line) => waits.push(line) })),
    ).resolves.toBeUndefined();
    expect(github.fake().requests).toHaveLength(2);
    expect(waits.join('\n')).toMatch(
      /rate limit on GET \/repos\/acme\/marketing\/issues\/1\/comments: waiting \d+s before retry 1/,
    );
  });

  it('gives up after the allowed retries with GitHubRateLimitError', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    github.fake().injectFault({ kind: 'secondary', status: 403, seconds: 1, times: 10 });
    const failure = await listComments(github.client(undefined, { retries: 2 })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GitHubRateLimitError);
    expect((failure as Error).message).toMatch(
      /^GitHub rate limit while trying to read pull request comments \(403 You have exceeded a secondary rate limit/,
    );
    expect(github.fake().requests).toHaveLength(3);
  });

  it('does not sit through a wait longer than it accepts', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    github.fake().injectFault({ kind: 'secondary', status: 429, seconds: 3600 });
    const failure = await listComments(github.client(undefined, { maxRateLimitWaitSeconds: 60 })).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(GitHubRateLimitError);
    expect(github.fake().requests).toHaveLength(1);
  });

  it('retries a server error and succeeds', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    github.fake().injectFault({ kind: 'server-error', status: 502 });
    await expect(listComments()).resolves.toBeUndefined();
    expect(github.fake().requests).toHaveLength(2);
  });

  it('answers a bad token with GitHubPermissionError (401)', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    const failure = await listComments(github.client('ghp_unknown00000000000000000000000')).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(GitHubPermissionError);
    expect((failure as GitHubPermissionError).status).toBe(401);
    expect((failure as Error).message).toContain('while trying to read pull request comments');
    expect(github.fake().requests).toHaveLength(1);
  });
});
