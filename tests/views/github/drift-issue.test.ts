import { describe, expect, it } from 'vitest';
import { driftFromPlan, type BrandDrift } from '../../../src/engine/drift.js';
import {
  driftIssueMarker,
  driftResolvedComment,
  parseDriftIssueMarker,
  renderDriftIssue,
} from '../../../src/views/github/drift-issue.js';
import { COMMENT_LIMIT } from '../../../src/views/github/limits.js';
import { samplePlan } from './review-fixtures.js';

const checkedAt = new Date('2026-07-21T06:00:00Z');
const runUrl = 'https://github.com/o/r/actions/runs/3';

describe('the drift issue', () => {
  const drift = driftFromPlan(samplePlan()).brands[0]!;

  it('names the brand in its title and marker, lists each drifted object with both values and the fix', () => {
    const issue = renderDriftIssue(
      drift,
      [{ brand: 'trailhead', key: 'vip', name: 'VIP', id: 'SVIP01', outcome: 'updated' }],
      { checkedAt, runUrl },
    );
    expect(issue.title).toBe('Klaviyo drift: trailhead');
    expect(issue.body.split('\n')[0]).toBe(driftIssueMarker('trailhead'));
    expect(parseDriftIssueMarker(issue.body)).toBe('trailhead');
    expect(issue.body).toContain(
      '(checked 2026-07-21 06:00 UTC in [this run](https://github.com/o/r/actions/runs/3))',
    );
    expect(issue.body).toContain(
      '| segment <code>vip</code> “VIP” | <code>SVIP01</code> | differs from the repository | apply would update it in place |',
    );
    expect(issue.body).toContain(
      '| list <code>vip-list</code> “VIP list” | — | missing in Klaviyo | apply would create it |',
    );
    expect(issue.body).toContain(
      '| <code>definition</code> | <code>Placed Order at least 3 times in the last 365 days AND is in list newsletter</code> | <code>Placed Order at least 5 times',
    );
    expect(issue.body).toContain('- segment <code>vip</code> “VIP” (<code>SVIP01</code>): updated');
    expect(issue.body).toContain('Not drift: 1 managed object no longer in the repository');
    expect(issue.body).toContain('`klaviyo-gitops pull --brand trailhead`');
  });

  it('stays within GitHub’s limit for thousands of drifted objects, and says it was trimmed', () => {
    const many: BrandDrift = {
      ...drift,
      items: Array.from({ length: 3000 }, (_, i) => ({
        kind: 'segment' as const,
        key: `seg-${i}`,
        name: `Segment ${i}`,
        id: `S${i}`,
        state: 'differs' as const,
        fields: [{ path: 'definition', klaviyo: 'x'.repeat(150), repository: 'y'.repeat(150) }],
        fix: 'update' as const,
      })),
    };
    const issue = renderDriftIssue(many, [], { checkedAt });
    expect(issue.trimmed).toBe(true);
    expect(issue.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(issue.body).toContain("Trimmed to fit GitHub's issue limit");
    expect(issue.body).toContain('**To fix:**');
    expect(parseDriftIssueMarker(issue.body)).toBe('trailhead');
  });

  it('reads no brand from other bodies, and cannot be closed by a brand name', () => {
    expect(parseDriftIssueMarker('Klaviyo drift: trailhead')).toBeUndefined();
    expect(parseDriftIssueMarker(`text\n${driftIssueMarker('trailhead')}`)).toBeUndefined();
    expect(parseDriftIssueMarker(42)).toBeUndefined();
    const evil = 'a --> b';
    expect(driftIssueMarker(evil).slice(4, -3)).not.toContain('--');
    expect(parseDriftIssueMarker(driftIssueMarker(evil))).toBe(evil);
  });

  it('closes with the time it was resolved', () => {
    expect(driftResolvedComment(checkedAt)).toBe(
      'Drift resolved at 2026-07-21 06:00 UTC: Klaviyo matches the repository.',
    );
  });
});
