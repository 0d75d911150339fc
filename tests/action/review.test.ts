/**
 * The review job as a pull request meets it: the built Action in its own process, a pull_request event, the
 * fake GitHub and the sandbox as the brands' Klaviyo accounts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommentPayload } from '../../src/views/github/index.js';
import {
  actionWorkspace,
  BAD_TOKEN,
  BOT,
  pullRequestEvent,
  READ_TOKEN,
  sha,
  type ActionWorkspace,
} from './workspace.js';

let ws: ActionWorkspace;
beforeEach(async () => {
  ws = await actionWorkspace();
});
afterEach(async () => {
  await ws.close();
});

const HEAD = sha('head-7');
const ours = (number: number) => ws.github.comments(number).filter((c) => c.login === BOT);

describe('review on a pull request', () => {
  it(
    'posts one comment per brand, finds it again on page 3 and updates it in place',
    { timeout: 120_000 },
    async () => {
      ws.github.addPullRequest({
        number: 7,
        headSha: HEAD,
        files: ['marketing/shared/partials/email-head.html'],
      });
      // The pull request's change to the shared head: a style every email gets and Outlook cannot show.
      const head = join(ws.cwd, 'marketing/shared/partials/email-head.html');
      await writeFile(
        head,
        (await readFile(head, 'utf8')).replace('</style>', '  .tilt { transform: rotate(1deg); }\n</style>'),
      );
      // 250 comments by reviewers (and the bot's own unrelated ones) push ours to the third page.
      ws.github.seedComments(7, 240);
      ws.github.seedComments(7, 10, { login: BOT, body: (i) => `deploy notice ${i}` });
      const first = await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(7, HEAD),
      });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(first.outputs['has-changes']).toBe('true');
      expect(Number(first.outputs['to-create'])).toBeGreaterThan(0);
      expect(first.outputs['failure-reason']).toBe('');
      const posted = ours(7).filter((c) => c.body.startsWith('<!-- klaviyo-gitops brand=trailhead -->'));
      expect(posted).toHaveLength(1);
      expect(first.outputs['comment-id']).toBe(String(posted[0]!.id));
      const payload = parseCommentPayload(posted[0]!.body)!;
      expect(payload).toMatchObject({ brand: 'trailhead', headSha: HEAD, status: 'planned' });
      expect(payload.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(posted[0]!.body).toContain('Previews');
      // Every flow is new to this account: its emails are listed under it, variant B with the flow's own subject.
      expect(posted[0]!.body).toContain('#### Changed flow emails');
      expect(posted[0]!.body).toContain('**Welcome series** <code>welcome</code>');
      expect(posted[0]!.body).toMatch(
        /\| <code>welcome-1<\/code> B · 50% \| +\| Your 10% code for the trail is inside \| [^|]+ \| <code>welcome-1<\/code> \| +\|/,
      );
      // The job summary holds the plan and every finding; annotations carry file, line and column.
      expect(first.summary).toContain('trailhead');
      const annotated = first.annotations.filter((a) => a.properties.file);
      expect(annotated.length).toBeGreaterThan(0);
      for (const a of annotated) {
        expect(a.properties.line).toMatch(/^\d+$/);
        expect(a.properties.col).toMatch(/^\d+$/);
      }
      // A finding of a shared layout is reported once, at the shared file, not once per email using it.
      const keys = first.annotations.map(
        (a) => `${a.properties.file}:${a.properties.line}:${a.properties.col}:${a.message}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.filter((k) => k.includes('`transform`'))).toHaveLength(1);

      // The second brand's matrix job keeps its own comment.
      const other = await ws.run({
        command: 'review',
        brand: 'emberwick',
        eventName: 'pull_request',
        event: pullRequestEvent(7, HEAD),
      });
      expect(other.code, other.stderr).toBe(0);
      // A new push: the same comment is updated, on page 3, never duplicated.
      const next = sha('head-7b');
      const again = await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(7, next),
      });
      expect(again.code).toBe(0);
      const mine = ours(7).filter((c) => c.body.startsWith('<!-- klaviyo-gitops'));
      expect(mine.map((c) => c.body.split('\n')[0]).sort()).toEqual([
        '<!-- klaviyo-gitops brand=emberwick -->',
        '<!-- klaviyo-gitops brand=trailhead -->',
      ]);
      const updated = mine.find((c) => c.body.includes('brand=trailhead'))!;
      expect(updated.id).toBe(posted[0]!.id);
      expect(parseCommentPayload(updated.body)!.headSha).toBe(next);
      expect(
        ws.github.requests
          .filter((r) => r.method === 'GET' && r.path.endsWith('/issues/7/comments'))
          .some((r) => r.query.page === '3'),
      ).toBe(true);
    },
  );

  it(
    'keeps a plan over the comment budget within it and says where the rest is',
    { timeout: 120_000 },
    async () => {
      ws.github.addPullRequest({ number: 8, headSha: HEAD });
      const run = await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(8, HEAD),
        inputs: { 'comment-budget': '4000' },
      });
      expect(run.code, run.stderr).toBe(0);
      const [comment] = ours(8);
      expect(comment!.body.length).toBeLessThanOrEqual(4000);
      expect(comment!.body).toContain('Trimmed to fit');
      expect(comment!.body).toContain('https://github.example/acme/marketing/actions/runs/4242');
      expect(comment!.body).toMatch(/\+\d+ ~\d+ -\d+/);
    },
  );

  it(
    'fails with validation-failed and annotates the line when a file is invalid, without planning',
    { timeout: 120_000 },
    async () => {
      ws.github.addPullRequest({
        number: 9,
        headSha: HEAD,
        files: ['marketing/brands/trailhead/segments/vip.yaml'],
      });
      const path = 'marketing/brands/trailhead/brand.yaml';
      const text = await ws.read(path);
      await ws.write(path, text.replace(/^name: .*$/m, 'name: [unclosed'));
      const run = await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(9, HEAD),
      });
      expect(run.code).not.toBe(0);
      expect(run.outputs['failure-reason']).toBe('validation-failed');
      const error = run.annotations.find((a) => a.level === 'error');
      expect(error?.properties.file).toBe(path);
      expect(Number(error?.properties.line)).toBeGreaterThan(0);
      const payload = parseCommentPayload(ours(9)[0]!.body)!;
      expect(payload).toMatchObject({ status: 'no-plan', fingerprint: null });
    },
  );

  it(
    'reviews a fork without a key or a write token: findings, previews and summary, no failure',
    { timeout: 120_000 },
    async () => {
      ws.github.addPullRequest({ number: 10, headSha: HEAD, headRepo: 'someone/marketing' });
      const run = await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(10, HEAD, true),
        token: READ_TOKEN,
        apiKey: '',
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs['failure-reason']).toBe('');
      expect(run.outputs['previews-dir']).toBe('output/previews');
      expect(await ws.read('output/previews/index.html')).toContain('<html');
      expect(run.summary).toMatch(/maintainer/i);
      expect(run.summary).toContain('not posted');
      expect(ours(10)).toEqual([]);
      // The comment waits in the review artifact for the workflow_run job.
      const artifact = JSON.parse(await ws.read('output/review/trailhead.json')) as {
        body: string;
        pullRequest: number;
      };
      expect(artifact.pullRequest).toBe(10);

      // klaviyo-review-comment.yml: the default branch's Action posts it, after checking the pull request's head.
      const published = await ws.run({
        command: 'publish-review',
        brand: 'trailhead',
        eventName: 'workflow_run',
        event: { workflow_run: { id: 99, head_sha: HEAD, event: 'pull_request' } },
        apiKey: '',
      });
      expect(published.code, published.stdout).toBe(0);
      expect(ours(10).map((c) => c.body)).toEqual([artifact.body]);
    },
  );

  it(
    'refuses a review artifact that names another pull request than the one reviewed',
    { timeout: 120_000 },
    async () => {
      ws.github.addPullRequest({ number: 11, headSha: HEAD, headRepo: 'someone/marketing' });
      ws.github.addPullRequest({ number: 12, headSha: sha('victim') });
      await ws.run({
        command: 'review',
        brand: 'trailhead',
        eventName: 'pull_request',
        event: pullRequestEvent(11, HEAD, true),
        token: READ_TOKEN,
        apiKey: '',
      });
      const artifact = JSON.parse(await ws.read('output/review/trailhead.json')) as Record<string, unknown>;
      await ws.write('output/review/trailhead.json', JSON.stringify({ ...artifact, pullRequest: 12 }));
      const published = await ws.run({
        command: 'publish-review',
        brand: 'trailhead',
        eventName: 'workflow_run',
        event: { workflow_run: { id: 99, head_sha: HEAD, event: 'pull_request' } },
        apiKey: '',
      });
      expect(published.code).not.toBe(0);
      expect(published.summary).toContain('is not the one the review ran for');
      expect(ours(12)).toEqual([]);
    },
  );

  it('fails with github-permission when GitHub rejects the token', { timeout: 120_000 }, async () => {
    ws.github.addPullRequest({ number: 13, headSha: HEAD });
    const run = await ws.run({
      command: 'review',
      brand: 'trailhead',
      eventName: 'pull_request',
      event: pullRequestEvent(13, HEAD),
      token: BAD_TOKEN,
    });
    expect(run.code).not.toBe(0);
    expect(run.outputs['failure-reason']).toBe('github-permission');
    expect(run.stdout).toContain('::error::');
  });
});
