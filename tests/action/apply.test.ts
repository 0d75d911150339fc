/**
 * Apply on merge as the deploy workflow runs it: a pull request reviewed (its comment holds the review
 * fingerprint), then the push of its merge commit. The built Action in its own process, the fake GitHub, the
 * sandbox as the brand's Klaviyo account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTemplateMarker } from '../../src/engine/markers.js';
import { parseCommentPayload } from '../../src/views/github/index.js';
import { actionWorkspace, BOT, pullRequestEvent, pushEvent, sha, type ActionWorkspace } from './workspace.js';

let ws: ActionWorkspace;
beforeEach(async () => {
  ws = await actionWorkspace();
});
afterEach(async () => {
  await ws.close();
});

const BRAND = 'trailhead';

const templatePath = (key: string) => `marketing/brands/${BRAND}/templates/${key}.html`;

/** Sets a template's subject in its front matter: a change a pull request makes. */
async function setSubject(key: string, subject: string): Promise<void> {
  const path = templatePath(key);
  const text = await ws.read(path);
  await ws.write(path, text.replace(/^subject: .*$/m, `subject: ${JSON.stringify(subject)}`));
}

/** The Klaviyo template carrying `key`'s marker. */
async function template(key: string) {
  for await (const t of ws.klaviyo(BRAND).templates.list())
    if (parseTemplateMarker(String(t.attributes.html ?? ''))?.key === key) return t;
  return undefined;
}

/** A pull request that merged as `merge`, reviewed at its head with the files as they are now. */
async function reviewAndMerge(number: number) {
  const head = sha(`head-${number}`);
  const merge = sha(`merge-${number}`);
  ws.github.addPullRequest({ number, headSha: head, merged: true, mergeCommitSha: merge });
  ws.github.setCommitPulls(merge, [number]);
  const review = await ws.run({
    command: 'review',
    brand: BRAND,
    eventName: 'pull_request',
    event: pullRequestEvent(number, head),
  });
  expect(review.code, review.stdout).toBe(0);
  return { head, merge };
}

const deploy = (merge: string, inputs: Record<string, string> = {}) =>
  ws.run({ command: 'apply', brand: BRAND, eventName: 'push', event: pushEvent(merge), sha: merge, inputs });

const comment = (number: number) =>
  ws.github.comments(number).find((c) => c.login === BOT && c.body.includes(`brand=${BRAND}`))!;

const writesSince = (from: number) => ws.sandbox.requestLog.slice(from).filter((e) => e.method !== 'GET');

describe('apply on merge', () => {
  it(
    'applies the reviewed plan and writes the outcome into the pull request comment',
    { timeout: 180_000 },
    async () => {
      const { merge } = await reviewAndMerge(7);
      const run = await deploy(merge);
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs['failure-reason']).toBe('');
      expect(await template('welcome-1')).toBeDefined();
      const after = parseCommentPayload(comment(7).body)!;
      expect(after.status).toBe('applied');
      expect(comment(7).body).toContain(merge.slice(0, 12));
      expect(run.summary).toContain('welcome-1');

      // Deploying the same commit again (a re-run) has nothing left to write and succeeds.
      const again = await deploy(merge);
      expect(again.code, again.stdout).toBe(0);
    },
  );

  it(
    'refuses with plan-changed when an object of the plan was edited in Klaviyo after the review',
    { timeout: 180_000 },
    async () => {
      await deploy(sha('initial'), { 'on-unreviewed': 'apply' });
      await setSubject('welcome-1', 'Reviewed subject');
      const { merge } = await reviewAndMerge(8);
      // After the review, a marketer edits the same email in Klaviyo.
      const t = (await template('welcome-1'))!;
      await ws
        .klaviyo(BRAND)
        .templates.update(t.id, { html: `${String(t.attributes.html)}<p>edited by hand</p>` });
      const from = ws.sandbox.requestLog.length;
      const run = await deploy(merge);
      expect(run.code).not.toBe(0);
      expect(run.outputs['failure-reason']).toBe('plan-changed');
      expect(writesSince(from).filter((e) => !e.path.startsWith('/api/tags'))).toEqual([]);
      expect(String((await template('welcome-1'))!.attributes.html)).toContain('edited by hand');
      expect(parseCommentPayload(comment(8).body)!.status).toBe('apply-refused');
      expect(comment(8).body).toContain('welcome-1');
    },
  );

  it(
    'applies a reviewed plan although another pull request was applied in between',
    { timeout: 180_000 },
    async () => {
      await deploy(sha('initial'), { 'on-unreviewed': 'apply' });
      // Two pull requests reviewed against the same main: one changes winback-1, the other welcome-2.
      const winback = await ws.read(templatePath('winback-1'));
      const welcome = await ws.read(templatePath('welcome-2'));
      await setSubject('winback-1', 'We miss you on the trail');
      const first = await reviewAndMerge(9);
      await ws.write(templatePath('winback-1'), winback);
      await setSubject('welcome-2', 'Gear our crew buys twice');
      const second = await reviewAndMerge(10);
      // Merged in turn: main has the first change when it deploys, then both when the second one does.
      await ws.write(templatePath('welcome-2'), welcome);
      await setSubject('winback-1', 'We miss you on the trail');
      const applied = await deploy(first.merge);
      expect(applied.code, applied.summary).toBe(0);
      await setSubject('welcome-2', 'Gear our crew buys twice');
      const next = await deploy(second.merge);
      expect(next.code, next.summary).toBe(0);
      expect(parseCommentPayload(comment(10).body)!.status).toBe('applied');
    },
  );

  it(
    'refuses a direct push with changes as unreviewed, and applies it when asked to',
    { timeout: 180_000 },
    async () => {
      await deploy(sha('initial'), { 'on-unreviewed': 'apply' });
      await setSubject('welcome-1', 'Pushed straight to main');
      const from = ws.sandbox.requestLog.length;
      const run = await deploy(sha('direct'));
      expect(run.code).not.toBe(0);
      expect(run.outputs['failure-reason']).toBe('unreviewed');
      // The plan it would have applied is in the summary, to read before choosing on-unreviewed: apply.
      expect(run.summary).toContain('welcome-1');
      expect(writesSince(from)).toEqual([]);
      const dispatched = await deploy(sha('direct'), { 'on-unreviewed': 'apply' });
      expect(dispatched.code, dispatched.stdout).toBe(0);
    },
  );
});
