import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/commands/errors.js';
import type { BrandApplyResult } from '../../../src/engine/apply/index.js';
import { parseCommentPayload } from '../../../src/views/github/comment-marker.js';
import { renderReviewComment } from '../../../src/views/github/comment.js';
import {
  markCommentOutdated,
  renderApplyRefusedComment,
  renderAppliedComment,
} from '../../../src/views/github/comment-variants.js';
import { COMMENT_LIMIT } from '../../../src/views/github/limits.js';
import { plannedReview, samplePlan } from './review-fixtures.js';

const runUrl = 'https://github.com/o/r/actions/runs/9';

function applied(ok: boolean): BrandApplyResult {
  return {
    brand: 'trailhead',
    accountId: 'TRLHD1',
    ok,
    counts: { created: 1, updated: 1, replaced: 1, deleted: 0, archived: 0, failed: ok ? 0 : 1, skipped: 0 },
    resources: [
      {
        kind: 'list',
        key: 'vip-list',
        name: 'VIP list',
        action: 'create',
        id: 'LVIP01',
        outcome: 'applied',
        operations: [],
      },
      {
        kind: 'segment',
        key: 'vip',
        name: 'VIP',
        action: 'update',
        id: 'SVIP01',
        outcome: 'applied',
        operations: [],
      },
      {
        kind: 'flow',
        key: 'welcome',
        name: 'Welcome series',
        action: 'replace',
        id: 'FNEW01',
        previousId: 'FWELC1',
        outcome: 'applied',
        operations: [],
      },
      {
        kind: 'list',
        key: 'newsletter',
        name: 'Newsletter',
        action: 'noop',
        id: 'LNEWS1',
        outcome: 'unchanged',
        operations: [],
      },
      ...(ok
        ? []
        : [
            {
              kind: 'template' as const,
              key: 'promo',
              name: 'Promo',
              action: 'update' as const,
              id: 'TPROMO',
              outcome: 'failed' as const,
              operations: [],
              error: 'Klaviyo answered 503 <Service Unavailable>',
            },
          ]),
    ],
  };
}

describe('the applied comment', () => {
  it('says what was applied at which commit, with each object’s Klaviyo id and a link to the run', () => {
    const { body, payload } = renderAppliedComment(applied(true), {
      sha: '0123456789abcdef',
      runUrl,
      fingerprint: 'f1',
    });
    expect(payload).toEqual({
      version: 1,
      brand: 'trailhead',
      fingerprint: 'f1',
      headSha: '0123456789abcdef',
      status: 'applied',
    });
    expect(parseCommentPayload(body)).toEqual(payload);
    expect(body).toContain(
      ':white_check_mark: **Applied** at <code>0123456789ab</code> in [this run](https://github.com/o/r/actions/runs/9): 1 created, 1 updated, 1 replaced, 0 deleted.',
    );
    expect(body).toContain(
      '| list <code>vip-list</code> “VIP list” | :white_check_mark: created | <code>LVIP01</code> |',
    );
    expect(body).toContain(
      '| flow <code>welcome</code> “Welcome series” | :white_check_mark: replaced | <code>FNEW01</code> | replaced FWELC1 |',
    );
    expect(body).not.toContain('newsletter');
  });

  it('says a partial apply did not finish, why each failure happened, and that re-running finishes it', () => {
    const { body } = renderAppliedComment(applied(false), { sha: '0123456789abcdef', runUrl });
    expect(body).toContain(':x: **Apply did not finish**');
    expect(body).toContain(
      '| :x: failed | <code>TPROMO</code> | Klaviyo answered 503 &lt;Service Unavailable&gt; |',
    );
    expect(body).toContain('**Next:** re-run the deploy workflow');
  });
});

describe('the apply-refused comment', () => {
  it('lists what differs from the reviewed plan and how to proceed', () => {
    const error = new CommandError('refused', 'the plan has changed since it was reviewed', {
      reason: 'plan-changed',
      refusals: [
        {
          type: 'changed',
          brand: 'trailhead',
          differences: [
            {
              type: 'changed',
              kind: 'segment',
              key: 'vip',
              id: 'SVIP01',
              reason: 'its content in the code differs from the reviewed plan',
            },
          ],
        },
        {
          type: 'changed',
          brand: 'summit',
          differences: [{ type: 'changed', kind: 'list', key: 'x', reason: 'summit only' }],
        },
      ],
    });
    const { body, payload } = renderApplyRefusedComment(error, 'trailhead', {
      sha: 'feedface00',
      runUrl,
      fingerprint: 'f1',
    });
    expect(payload.status).toBe('apply-refused');
    expect(body).toContain(':no_entry: **Not applied** at <code>feedface00</code>');
    expect(body).toContain('(<code>plan-changed</code>)');
    expect(body).toContain(
      '  - segment vip (SVIP01): its content in the code differs from the reviewed plan',
    );
    expect(body).not.toContain('summit only');
    expect(body).toContain('re-run the review workflow');
    expect(body).toContain('`workflow_dispatch`');
  });
});

describe('an outdated comment', () => {
  const body = renderReviewComment(plannedReview(samplePlan()), 'trailhead', { headSha: 'aaaa1111' }).body;

  it('is marked outdated in its payload, points to the newer one and collapses the old content', () => {
    const outdated = markCommentOutdated(body, {
      newCommentUrl: 'https://github.com/o/r/pull/1#issuecomment-2',
    });
    expect(parseCommentPayload(outdated)).toMatchObject({
      status: 'outdated',
      brand: 'trailhead',
      headSha: 'aaaa1111',
    });
    expect(outdated).toContain(
      '**Outdated:** superseded by [a newer comment](https://github.com/o/r/pull/1#issuecomment-2)',
    );
    expect(outdated).toContain(
      '<details><summary><s>Previous comment for <code>aaaa1111</code></s></summary>',
    );
    expect(outdated).toContain('**Delete** `-` list `old`');
    expect(markCommentOutdated(outdated)).toBe(outdated);
    expect(markCommentOutdated('a comment by someone else')).toBe('a comment by someone else');
  });

  it('stays within GitHub’s limit when the old comment used all of it', () => {
    const full = body + 'x\n'.repeat((COMMENT_LIMIT - body.length) / 2);
    expect(markCommentOutdated(full).length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });
});
