import { describe, expect, it } from 'vitest';
import { closeIssue, findOwnIssue, openOrUpdateIssue } from '../../src/github/drift-issue.js';
import { GitHubPermissionError } from '../../src/github/errors.js';
import { OWNER, READ_TOKEN, REPO, useFakeGitHub } from './setup.js';

const marker = (brand: string) => `<!-- klaviyo-gitops:drift brand=${brand} -->`;
const report = (brand: string, text: string) => `${marker(brand)}\n${text}`;

describe('the drift issue', () => {
  const github = useFakeGitHub();
  const repoOf = (token?: string) => ({ octokit: github.client(token), owner: OWNER, repo: REPO });
  const ours = (brand: string, token?: string) => ({
    ...repoOf(token),
    login: 'github-actions[bot]',
    matches: (body: string) => body.includes(marker(brand)),
  });

  it('is opened once, updated while drift lasts, and closed with a comment when it is gone', async () => {
    const opened = await openOrUpdateIssue({
      ...ours('acme'),
      title: 'Drift: acme',
      body: report('acme', '1 flow'),
    });
    const again = await openOrUpdateIssue({
      ...ours('acme'),
      title: 'Drift: acme',
      body: report('acme', '1 flow'),
    });
    const updated = await openOrUpdateIssue({
      ...ours('acme'),
      title: 'Drift: acme (2)',
      body: report('acme', '2'),
    });
    expect([opened.action, again.action, updated.action]).toEqual(['created', 'unchanged', 'updated']);
    expect(updated.number).toBe(opened.number);
    expect(opened.url).toBe(`https://github.com/acme/marketing/issues/${opened.number}`);
    expect(github.fake().issues()).toMatchObject([
      { title: 'Drift: acme (2)', body: report('acme', '2'), state: 'open' },
    ]);

    await closeIssue({ ...repoOf(), number: opened.number, comment: 'No drift since run 42.' });

    expect(github.fake().issues()).toMatchObject([{ state: 'closed', stateReason: 'completed' }]);
    expect(
      github
        .fake()
        .comments(opened.number)
        .map((c) => c.body),
    ).toEqual(['No drift since run 42.']);
    const writes = github
      .fake()
      .requests.filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
    expect(JSON.parse(github.fake().requests.at(-1)!.body)).toEqual({
      state: 'closed',
      state_reason: 'completed',
    });
    expect(writes.slice(-2)).toEqual([
      `POST /repos/acme/marketing/issues/${opened.number}/comments`,
      `PATCH /repos/acme/marketing/issues/${opened.number}`,
    ]);
    // A closed issue is not ours to update: the next drift opens a new one.
    const next = await openOrUpdateIssue({
      ...ours('acme'),
      title: 'Drift: acme',
      body: report('acme', 'again'),
    });
    expect(next).toMatchObject({ action: 'created' });
    expect(next.number).not.toBe(opened.number);
  });

  it('keeps one issue per brand, found on a later page among others, skipping pull requests and other authors', async () => {
    const fake = github.fake();
    const mine = fake.addIssue({
      title: 'Drift: acme',
      login: 'github-actions[bot]',
      body: report('acme', 'old'),
    });
    // A newer pull request by our login with our marker: pull requests are issues to the API, not ours.
    fake.addPullRequest({
      headSha: 'c'.repeat(40),
      login: 'github-actions[bot]',
      body: report('acme', 'a pull request'),
    });
    // A newer one by someone else who pasted our marker.
    fake.addIssue({ title: 'Forged', login: 'mallory', body: report('acme', 'forged') });
    for (let i = 0; i < 120; i++) fake.addIssue({ title: `Bug ${i}`, login: 'reviewer' });

    const acme = await openOrUpdateIssue({
      ...ours('acme'),
      title: 'Drift: acme',
      body: report('acme', 'new'),
    });
    const globex = await openOrUpdateIssue({
      ...ours('globex'),
      title: 'Drift: globex',
      body: report('globex', 'x'),
    });

    expect(acme).toMatchObject({ number: mine.number, action: 'updated' });
    expect(globex.action).toBe('created');
    expect(fake.issues().find((i) => i.login === 'mallory')!.body).toBe(report('acme', 'forged'));
    expect(await findOwnIssue(ours('acme'))).toMatchObject({
      number: mine.number,
      body: report('acme', 'new'),
    });
  });

  it('on a read-only token throws GitHubPermissionError naming issues: write', async () => {
    const failure = await openOrUpdateIssue({
      ...ours('acme', READ_TOKEN),
      title: 't',
      body: report('acme', 'x'),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubPermissionError);
    expect((failure as Error).message).toBe(
      'the workflow token cannot open, update or close issues (GitHub: Resource not accessible by integration): ' +
        'add `permissions: issues: write` to the job',
    );
  });
});
