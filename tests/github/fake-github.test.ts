import { describe, expect, it } from 'vitest';
import { OWNER, REPO, WRITE_TOKEN, useFakeGitHub } from './setup.js';

describe('the fake GitHub', () => {
  const github = useFakeGitHub();

  it('refuses and records a request GitHub would refuse: a bad body, an unknown parameter, a path that does not exist', async () => {
    const fake = github.fake();
    fake.addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    const octokit = github.client();
    const statusOf = (sent: Promise<unknown>) =>
      sent.then(
        () => 200,
        (error: { status: number }) => error.status,
      );
    // Octokit's types refuse these too; the fake must catch what a cast or plain JavaScript lets through.
    const statuses = [
      await statusOf(
        // @ts-expect-error the comment's field is `body`
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner: OWNER,
          repo: REPO,
          issue_number: 1,
          text: 'misspelt field',
        }),
      ),
      await statusOf(
        octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner: OWNER,
          repo: REPO,
          issue_number: 1,
          // @ts-expect-error an issue is open or closed
          state: 'shut',
        }),
      ),
      await statusOf(
        octokit.request('GET /repos/{owner}/{repo}/issues', { owner: OWNER, repo: REPO, sort_order: 'up' }),
      ),
      await statusOf(octokit.request('GET /repos/{owner}/{repo}/plans', { owner: OWNER, repo: REPO })),
    ];
    expect(statuses).toEqual([422, 422, 422, 404]);
    expect(fake.invalidRequests.map((r) => [r.method, r.path, r.problems])).toEqual([
      [
        'POST',
        '/repos/acme/marketing/issues/1/comments',
        ["body must have required property 'body'", 'body has unknown field "text"'],
      ],
      ['PATCH', '/repos/acme/marketing/issues/1', ['body/state must be equal to one of the allowed values']],
      ['GET', '/repos/acme/marketing/issues?sort_order=up', ['unknown query parameter "sort_order"']],
      [
        'GET',
        '/repos/acme/marketing/plans',
        ["no operation GET /repos/acme/marketing/plans in GitHub's REST API"],
      ],
    ]);
    expect(fake.comments(1)).toEqual([]);
    fake.invalidRequests.length = 0;
  });

  it('pages a list with per_page and page, and Link headers to the next and last page', async () => {
    const fake = github.fake();
    fake.addPullRequest({ number: 1, headSha: 'a'.repeat(40) });
    fake.seedComments(1, 5);
    const answer = (page: number) =>
      fetch(`${fake.url}/repos/acme/marketing/issues/1/comments?per_page=2&page=${page}`, {
        headers: { authorization: `token ${WRITE_TOKEN}` },
      });
    const first = await answer(1);
    const base = `${fake.url}/repos/acme/marketing/issues/1/comments?per_page=2`;
    expect(first.headers.get('link')).toBe(`<${base}&page=2>; rel="next", <${base}&page=3>; rel="last"`);
    expect(((await first.json()) as { body: string }[]).map((c) => c.body)).toEqual([
      'Comment 0',
      'Comment 1',
    ]);
    const last = await answer(3);
    expect(last.headers.get('link')).toBe(`<${base}&page=2>; rel="prev", <${base}&page=1>; rel="first"`);
    expect(
      ((await last.json()) as { body: string; user: { login: string; type: string } }[])[0],
    ).toMatchObject({
      body: 'Comment 4',
      user: { login: 'reviewer', type: 'User' },
    });
  });

  it('answers 401 to an unknown token and records requests without the authorization header', async () => {
    const fake = github.fake();
    const answer = await fetch(`${fake.url}/user`, { headers: { authorization: 'token ghp_nobody' } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ message: 'Bad credentials' });
    expect(fake.requests[0]!.headers).not.toHaveProperty('authorization');
  });
});
