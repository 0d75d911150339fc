import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/engine/plan.js';
import { reviewedResources, reviewFingerprint } from '../../../src/engine/review-fingerprint.js';
import {
  commentHead,
  commentMarker,
  parseCommentPayload,
  type CommentPayload,
} from '../../../src/views/github/comment-marker.js';
import { brandReviewFacts, renderReviewComment, shouldComment } from '../../../src/views/github/comment.js';
import { COMMENT_LIMIT, commentLength } from '../../../src/views/github/limits.js';
import {
  emptyPlan,
  finding,
  flowPreview,
  plannedReview,
  preview,
  samplePlan,
  skippedReview,
} from './review-fixtures.js';

const context = { headSha: 'abcdef1234567890abcd', runUrl: 'https://github.com/o/r/actions/runs/7' };
const welcomeFile = 'marketing/brands/trailhead/templates/welcome.html';

describe('the review comment of a brand', () => {
  const flows = [
    flowPreview('welcome', [
      { step: 'email-1', template: 'welcome' },
      { step: 'email-2', template: 'welcome' },
    ]),
    flowPreview('winback', [{ step: 'winback-1', template: 'winback' }]),
  ];

  it('lists each changed flow email under its flow with its subject, and leaves unchanged flows out', () => {
    const { body } = renderReviewComment(plannedReview(samplePlan(), { flows }), 'trailhead', context);
    expect(body).toContain('#### Changed flow emails');
    expect(body).toContain('**Flow welcome** <code>welcome</code>');
    expect(body).toContain(
      '| <code>email-1</code> | As soon as the flow starts | Subject of email-1 | Preview of welcome | <code>welcome</code> | template |',
    );
    expect(body).toContain(
      '| <code>email-2</code> | Wait 2 days | Subject of email-2 | Preview of welcome | <code>welcome</code> | new step, template |',
    );
    // The plan touches neither winback's flow nor its template.
    expect(body).not.toContain('winback');
  });

  it('lists every flow email when there is no plan to say which changed', () => {
    const { body } = renderReviewComment(skippedReview('no-key', { flows }), 'trailhead', context);
    expect(body).toContain('#### Flow emails');
    expect(body).toContain('**Flow winback** <code>winback</code>');
    expect(body).toContain('| <code>winback-1</code> | As soon as the flow starts | Subject of winback-1 |');
  });

  it('starts with the brand marker and a payload holding the review fingerprint', () => {
    const plan = samplePlan();
    const { body, payload } = renderReviewComment(plannedReview(plan), 'trailhead', context);
    expect(body.split('\n')[0]).toBe('<!-- klaviyo-gitops brand=trailhead -->');
    expect(body.startsWith(commentMarker('trailhead'))).toBe(true);
    expect(parseCommentPayload(body)).toEqual({
      version: 1,
      brand: 'trailhead',
      fingerprint: reviewFingerprint(plan.brands[0]!),
      headSha: context.headSha,
      status: 'planned',
      resources: reviewedResources(plan.brands[0]!),
    });
    expect(payload.status).toBe('planned');
  });

  it('shows account, counts, each delete and replace with its reason, previews, findings and what merging does', () => {
    const review = plannedReview(samplePlan(), {
      diagnostics: [finding(welcomeFile, 4, 'img-alt', '<img> has no alt attribute')],
      emails: [preview('welcome', { subject: 'Welcome | friend', previewText: 'Glad *you* are here' })],
    });
    const { body, trimmed } = renderReviewComment(review, 'trailhead', context);
    expect(trimmed).toBe(false);
    expect(body).toContain('### klaviyo-gitops: trailhead (account <code>TRLHD1</code>)');
    expect(body).toContain(`**Plan:** ${formatSummary(samplePlan().brands[0]!.summary)}`);
    expect(body).toContain('**Delete** `-` list `old` “Old list”');
    expect(body).toContain('**Replace** `-/+` flow `welcome`');
    expect(body).toContain('> - because a step was added (email-2)');
    expect(body).toContain('<details><summary><code>~</code> segment <code>vip</code>');
    // Previews: user text escaped, so a pipe cannot split the row and stars cannot turn bold.
    expect(body).toContain(
      '| Email welcome <code>welcome</code> | Welcome \\| friend | Glad \\*you\\* are here | 20.0 KB | clean |',
    );
    expect(body).toContain('[previews artifact](https://github.com/o/r/actions/runs/7#artifacts)');
    expect(body).toContain(
      `| <code>${welcomeFile}:4:3</code> | :warning: warning | <code>img-alt</code> | &lt;img&gt; has no alt attribute |`,
    );
    expect(body).toContain('Daily caps used by this plan: flow creates 1 of 100 today');
    expect(body).toContain('**Next:** merging applies this plan to account <code>TRLHD1</code>.');
    expect(body).toContain(`review fingerprint <code>${reviewFingerprint(samplePlan().brands[0]!)}</code>`);
  });

  it("leaves out other brands' findings and caps its own table, pointing to the job summary", () => {
    const own = Array.from({ length: 40 }, (_, i) =>
      finding(welcomeFile, i + 1, 'link-http', 'uses http://'),
    );
    const other = finding('marketing/brands/summit/templates/a.html', 1, 'img-alt', 'summit only');
    const { body } = renderReviewComment(
      plannedReview(samplePlan(), { diagnostics: [...own, other] }),
      'trailhead',
      { ...context, findingsLimit: 30 },
    );
    expect(body).not.toContain('summit only');
    expect(body.match(/link-http/g)).toHaveLength(30);
    expect(body).toContain('… and 10 more findings in the job summary.');
  });

  it('degrades diffs to one line per resource, says so, and keeps the deletes, replaces and next step', () => {
    const review = plannedReview(samplePlan());
    const full = renderReviewComment(review, 'trailhead', context).body;
    const { body, trimmed } = renderReviewComment(review, 'trailhead', {
      ...context,
      budget: full.length - 200,
    });
    expect(trimmed).toBe(true);
    expect(body.length).toBeLessThanOrEqual(full.length - 200);
    expect(body).not.toContain('```diff');
    expect(body).toContain(
      "Trimmed to fit GitHub's comment limit: the full plan is in the [job summary](https://github.com/o/r/actions/runs/7).",
    );
    expect(body).toContain('- `~` segment `vip` “VIP”: update in place (definition)');
    expect(body).toContain('**Delete** `-` list `old`');
    expect(body).toContain('**Replace** `-/+` flow `welcome`');
    expect(body).toContain('**Next:** merging applies this plan');
  });

  it('fits any plan into any budget above a floor, keeping the marker and the counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1_500, max: 70_000 }),
        fc.integer({ min: 0, max: 200 }),
        (lists, budget, findings) => {
          const plan = samplePlan(lists);
          const diagnostics = Array.from({ length: findings }, (_, i) =>
            finding(
              welcomeFile,
              i + 1,
              'caniemail',
              `\`display:flex\` is not supported ${'😀'.repeat(i % 7)}`,
            ),
          );
          const { body } = renderReviewComment(plannedReview(plan, { diagnostics }), 'trailhead', {
            ...context,
            budget,
          });
          expect(commentLength(body)).toBeLessThanOrEqual(Math.min(budget, COMMENT_LIMIT));
          expect(body.startsWith(`${commentMarker('trailhead')}\n`)).toBe(true);
          expect(parseCommentPayload(body)?.brand).toBe('trailhead');
          expect(body).toContain(`**Plan:** ${formatSummary(plan.brands[0]!.summary)}`);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('counts characters as GitHub does, conservatively: an emoji counts as two', () => {
    expect(commentLength('😀')).toBe(2);
    expect(commentLength('é')).toBe(1);
  });

  it('on a fork says the plan needs a maintainer, with no fingerprint', () => {
    const { body, payload } = renderReviewComment(skippedReview('no-key'), 'trailhead', {
      ...context,
      fromFork: true,
      accountId: 'TRLHD1',
    });
    expect(payload).toMatchObject({ status: 'no-plan', fingerprint: null });
    expect(body).toContain('**Plan:** not made (no Klaviyo key)');
    expect(body).toContain(
      '**Next:** the plan needs a maintainer: secrets are not available to pull requests from forks.',
    );
  });

  it('with invalid files asks to fix the findings first', () => {
    const review = skippedReview('validation-failed', {
      diagnostics: [finding(welcomeFile, 2, 'unknown-key', 'unknown key "subjet"', 'error')],
    });
    const { body } = renderReviewComment(review, 'trailhead', context);
    expect(body).toContain('| :x: error | <code>unknown-key</code> | unknown key "subjet" |');
    expect(body).toContain('**Next:** fix the findings above; the plan is made once the files are valid.');
  });

  it('says nothing is left when the plan is empty and the files are clean', () => {
    const { body, payload } = renderReviewComment(
      plannedReview(emptyPlan(), { emails: [] }),
      'trailhead',
      context,
    );
    expect(payload.status).toBe('nothing-to-do');
    expect(body).toContain(
      '**Nothing left to do:** the plan for this brand is empty and its files are clean.',
    );
    expect(body).not.toContain('#### Previews');
  });
});

describe('shouldComment', () => {
  it('stays silent with nothing to say and nothing said, and updates an earlier comment when nothing is left', () => {
    expect(shouldComment({ hasChanges: false, hasFindings: false, hasEarlierComment: false })).toBe('silent');
    expect(shouldComment({ hasChanges: false, hasFindings: false, hasEarlierComment: true })).toBe(
      'nothing-left',
    );
    expect(shouldComment({ hasChanges: true, hasFindings: false, hasEarlierComment: false })).toBe('comment');
    expect(shouldComment({ hasChanges: false, hasFindings: true, hasEarlierComment: true })).toBe('comment');
  });
});

describe('the comment marker and payload', () => {
  const payload = (brand: string, headSha = 'abc'): CommentPayload => ({
    version: 1,
    brand,
    fingerprint: null,
    headSha,
    status: 'planned',
  });

  it('cannot be closed or forged by a brand name or any payload text', () => {
    const evil = 'x --> <!-- klaviyo-gitops brand=y --> --!>';
    const head = commentHead({ ...payload(evil, '-->--!><script>'), fingerprint: '--' });
    const [marker, hidden] = head.split('\n');
    // Each hidden line is exactly one HTML comment: no `--` inside it, and it ends only at its end.
    for (const line of [marker!, hidden!]) {
      expect(line.startsWith('<!-- ')).toBe(true);
      expect(line.endsWith(' -->')).toBe(true);
      expect(line.slice(4, -3)).not.toContain('--');
      expect(line.slice(4, -3)).not.toContain('>');
    }
    expect(parseCommentPayload(head)).toEqual({
      ...payload(evil, '-->--!><script>'),
      fingerprint: '--',
    });
  });

  it('reads back any payload it wrote', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary' }),
        fc.option(fc.string(), { nil: null }),
        (brand, sha, fingerprint) => {
          const written = { ...payload(brand, sha), fingerprint };
          expect(parseCommentPayload(`${commentHead(written)}body`)).toEqual(written);
        },
      ),
    );
  });

  it('never throws, and takes nothing but its own first two lines for a payload', () => {
    const real = commentHead(payload('trailhead'));
    fc.assert(
      fc.property(fc.string(), fc.nat(real.length), fc.string(), (noise, at, tail) => {
        const mangled = real.slice(0, at) + noise + real.slice(at) + tail;
        const parsed = parseCommentPayload(mangled);
        if (parsed) expect(parsed.brand).toBeTypeOf('string');
      }),
    );
    expect(parseCommentPayload(undefined)).toBeUndefined();
    expect(parseCommentPayload(`Some text\n${real}`)).toBeUndefined();
    expect(parseCommentPayload(real.replace('"status":"planned"', '"status":"merged"'))).toBeUndefined();
    // A payload for another brand than its marker says is not ours.
    const [marker] = real.split('\n');
    const other = commentHead(payload('summit')).split('\n')[1];
    expect(parseCommentPayload(`${marker}\n${other}\n`)).toBeUndefined();
  });
});

describe('brandReviewFacts', () => {
  it('counts shared-file findings for every brand whose emails reported them, and only theirs', () => {
    const layout = finding('marketing/shared/layouts/base.html', 3, 'caniemail', 'flex unsupported');
    const summitEmail = preview('promo', { brand: 'summit', findings: [layout] });
    const review = plannedReview(emptyPlan(), { diagnostics: [layout], emails: [summitEmail] });
    expect(brandReviewFacts(review, 'trailhead')).toEqual({ hasChanges: false, hasFindings: false });
    expect(brandReviewFacts(review, 'summit')).toEqual({ hasChanges: true, hasFindings: true });
    expect(brandReviewFacts(plannedReview(samplePlan()), 'trailhead').hasChanges).toBe(true);
    // Without a plan (a fork), changed emails count as changes.
    expect(brandReviewFacts(skippedReview('no-key'), 'trailhead').hasChanges).toBe(true);
  });
});
