/** Starts the fake GitHub with the tokens the tests use and builds clients against it with instant waits. */
import { afterEach, beforeEach, expect } from 'vitest';
import { createGitHub, type GitHubClient, type GitHubClientOptions } from '../../src/github/client.js';
import { FakeGitHub } from './fake-github.js';

/** The workflow's GITHUB_TOKEN (an installation token) with `pull-requests: write`, `issues: write`. */
export const WRITE_TOKEN = 'ghs_writeWorkflowToken0123456789abcdef';
/** The same token on a pull request from a fork: read-only. */
export const READ_TOKEN = 'ghs_readOnlyForkToken0123456789abcdef';
/** A personal token of a machine user. */
export const USER_TOKEN = 'ghp_machineUserToken0123456789abcdef';

export const OWNER = 'acme';
export const REPO = 'marketing';

export function useFakeGitHub(): {
  fake: () => FakeGitHub;
  client: (token?: string, options?: Partial<GitHubClientOptions>) => GitHubClient;
} {
  let fake: FakeGitHub | undefined;
  beforeEach(async () => {
    fake = await FakeGitHub.start({
      [WRITE_TOKEN]: { login: 'github-actions[bot]', access: 'write', kind: 'installation' },
      [READ_TOKEN]: { login: 'github-actions[bot]', access: 'read', kind: 'installation' },
      [USER_TOKEN]: { login: 'marketing-bot', access: 'write', kind: 'user' },
    });
  });
  afterEach(async () => {
    const current = fake!;
    fake = undefined;
    await current.close();
    // Every request the code sent is one GitHub would accept.
    expect(current.invalidRequests).toEqual([]);
    // No token ever travels in a body, a query or a header other than authorization (which is not recorded).
    const sent = JSON.stringify(current.requests);
    for (const token of [WRITE_TOKEN, READ_TOKEN, USER_TOKEN]) expect(sent).not.toContain(token);
  });
  return {
    fake: () => fake!,
    client: (token = WRITE_TOKEN, options = {}) =>
      createGitHub({ token, apiUrl: fake!.url, millisecondsPerSecond: 1, retries: 2, ...options }),
  };
}
