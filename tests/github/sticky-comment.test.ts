import { describe, expect, it } from 'vitest';
import { GitHubPermissionError } from '../../src/github/errors.js';
import { ownLogin } from '../../src/github/identity.js';
import { findOwnComment, upsertComment } from '../../src/github/sticky-comment.js';
import { OWNER, READ_TOKEN, REPO, useFakeGitHub } from './setup.js';

const marker = (brand: string) => `<!-- klaviyo-gitops:plan brand=${brand} -->`;
const planFor = (brand: string, text: string) => `${marker(brand)}\n### Plan for ${brand}\n${text}`;
const isPlanOf = (brand: string) => (body: string) => body.includes(marker(brand));

describe('the sticky plan comment', () => {
  const github = useFakeGitHub();

  async function upsert(
    brand: string,
    text: string,
    extra: { mode?: 'update' | 'new'; token?: string } = {},
  ) {
    const octokit = github.client(extra.token);
    return upsertComment({
      octokit,
      owner: OWNER,
      repo: REPO,
      issueNumber: 1,
      login: await ownLogin(octokit),
      matches: isPlanOf(brand),
      mode: extra.mode ?? 'update',
      body: planFor(brand, text),
      outdate: (old) => `~~outdated~~\n${old.replace(marker(brand), '')}`,
    });
  }

  it('is created once, then updated in place, and left alone when nothing changed', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    const first = await upsert('acme', '2 to create');
    const second = await upsert('acme', '1 to create');
    const third = await upsert('acme', '1 to create');
    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(second.id).toBe(first.id);
    expect(first.url).toMatch(/\/acme\/marketing\/pull\/1#issuecomment-\d+$/);
    const comments = github.fake().comments(1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(planFor('acme', '1 to create'));
    // The unchanged run sent no write.
    expect(github.fake().requests.filter((r) => r.method !== 'GET')).toHaveLength(2);
  });

  it('is found on page 3, behind 250 comments by others and by our login without the marker', async () => {
    const fake = github.fake();
    fake.addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    fake.seedComments(1, 150);
    fake.seedComments(1, 100, { login: 'github-actions[bot]', body: (i) => `Some other bot report ${i}` });
    const ours = fake.addComment(1, { login: 'github-actions[bot]', body: planFor('acme', 'old') });
    fake.seedComments(1, 20);

    const result = await upsert('acme', 'new');

    expect(result).toMatchObject({ id: ours.id, action: 'updated' });
    expect(fake.comments(1)).toHaveLength(271);
    expect(fake.comments(1).filter((c) => isPlanOf('acme')(c.body))).toHaveLength(1);
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/1/comments'));
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.query.per_page === '100')).toBe(true);
  });

  it('ignores a comment by another user that carries our marker', async () => {
    const fake = github.fake();
    fake.addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    const forged = fake.addComment(1, { login: 'mallory', body: planFor('acme', 'approve me') });

    const result = await upsert('acme', 'real plan');

    expect(result.action).toBe('created');
    expect(result.id).not.toBe(forged.id);
    expect(fake.comments(1).find((c) => c.id === forged.id)!.body).toBe(planFor('acme', 'approve me'));
  });

  it('keeps one comment per brand', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    await upsert('acme', 'acme v1');
    await upsert('globex', 'globex v1');
    await upsert('acme', 'acme v2');
    await upsert('globex', 'globex v2');
    expect(
      github
        .fake()
        .comments(1)
        .map((c) => c.body),
    ).toEqual([planFor('acme', 'acme v2'), planFor('globex', 'globex v2')]);
  });

  it('in `new` mode posts a fresh comment and outdates the old one', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    const first = await upsert('acme', 'v1', { mode: 'new' });
    const second = await upsert('acme', 'v2', { mode: 'new' });
    expect([first.action, second.action]).toEqual(['created', 'created']);
    expect(second.id).toBeGreaterThan(first.id);
    const [old, current] = github.fake().comments(1);
    expect(old!.body).toBe('~~outdated~~\n\n### Plan for acme\nv1');
    expect(current!.body).toBe(planFor('acme', 'v2'));
    // The outdated comment no longer matches: the next update finds the current one.
    const found = await findOwnComment({
      octokit: github.client(),
      owner: OWNER,
      repo: REPO,
      issueNumber: 1,
      login: 'github-actions[bot]',
      matches: isPlanOf('acme'),
    });
    expect(found?.id).toBe(second.id);
  });

  it('on a read-only token (a fork) throws GitHubPermissionError naming the permission to add', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40), headRepo: 'someone/marketing' });
    const failure = await upsert('acme', 'plan', { token: READ_TOKEN }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubPermissionError);
    expect((failure as GitHubPermissionError).status).toBe(403);
    expect((failure as Error).message).toBe(
      'the workflow token cannot write pull request comments (GitHub: Resource not accessible by integration): ' +
        'add `permissions: pull-requests: write` to the job (pull requests from forks get a read-only token)',
    );
    expect(github.fake().comments(1)).toEqual([]);
  });

  it('refuses a body over GitHub limit before sending it', async () => {
    github.fake().addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    await expect(upsert('acme', 'x'.repeat(70_000))).rejects.toThrow(/GitHub accepts at most 65536/);
    expect(github.fake().requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
