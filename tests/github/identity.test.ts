import { describe, expect, it } from 'vitest';
import { GitHubPermissionError } from '../../src/github/errors.js';
import { ownLogin, WORKFLOW_TOKEN_LOGIN } from '../../src/github/identity.js';
import { USER_TOKEN, WRITE_TOKEN, useFakeGitHub } from './setup.js';

describe('the token identity', () => {
  const github = useFakeGitHub();

  it('is the login GET /user answers for a personal token, asked once per client', async () => {
    const octokit = github.client(USER_TOKEN);
    expect(await ownLogin(octokit)).toBe('marketing-bot');
    expect(await ownLogin(octokit)).toBe('marketing-bot');
    expect(github.fake().requests.filter((r) => r.path === '/user')).toHaveLength(1);
  });

  it('falls back to github-actions[bot] for the workflow token, which GET /user refuses', async () => {
    expect(await ownLogin(github.client(WRITE_TOKEN))).toBe(WORKFLOW_TOKEN_LOGIN);
    expect(WORKFLOW_TOKEN_LOGIN).toBe('github-actions[bot]');
  });

  it('fails with GitHubPermissionError on a bad token, and asks again next time', async () => {
    const octokit = github.client('ghs_revoked0000000000000000000000');
    const failure = await ownLogin(octokit).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubPermissionError);
    expect((failure as GitHubPermissionError).status).toBe(401);
    expect((failure as Error).message).toMatch(/^GitHub rejected the token \(401 Bad credentials\)/);
    expect((failure as Error).message).not.toContain('ghs_revoked');
    github
      .fake()
      .addToken('ghs_revoked0000000000000000000000', { login: 'late', access: 'read', kind: 'user' });
    expect(await ownLogin(octokit)).toBe('late');
  });
});
