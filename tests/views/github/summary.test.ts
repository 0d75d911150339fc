import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/commands/errors.js';
import type { RefreshResult } from '../../../src/commands/results.js';
import { driftFromPlan } from '../../../src/engine/drift.js';
import { dedupeFindings } from '../../../src/views/github/findings.js';
import { utf8Bytes } from '../../../src/views/github/limits.js';
import { renderJobSummary } from '../../../src/views/github/summary.js';
import { emptyPlan, finding, plannedReview, preview, samplePlan, validation } from './review-fixtures.js';

const welcomeFile = 'marketing/brands/trailhead/templates/welcome.html';

describe('the job summary', () => {
  it('of a review holds the full plan, the previews and every finding (more than the comment shows)', () => {
    const diagnostics = Array.from({ length: 60 }, (_, i) =>
      finding(welcomeFile, i + 1, 'link-http', `finding ${i}`),
    );
    const { markdown, trimmed } = renderJobSummary(
      plannedReview(samplePlan(), { diagnostics, emails: [preview('welcome')] }),
      {
        runUrl: 'https://github.com/o/r/actions/runs/5',
      },
    );
    expect(trimmed).toBe(false);
    expect(markdown.startsWith('## klaviyo-gitops review\n')).toBe(true);
    expect(markdown).toContain('### klaviyo-gitops plan: +1 ~2 -1, 1 replace');
    expect(markdown).toContain('```diff');
    expect(markdown).toContain('### Previews: 1 email');
    expect(markdown).toContain('| Email welcome <code>welcome</code> | Subject of welcome |');
    expect(markdown).toContain('### Findings: 0 errors, 60 warnings');
    expect(markdown.match(/link-http/g)).toHaveLength(60);
  });

  it('of an apply lists each resource with its Klaviyo id', () => {
    const plan = samplePlan();
    const { markdown } = renderJobSummary({
      command: 'apply',
      outcome: 'applied',
      target: 'target: Klaviyo (https://a.klaviyo.com)',
      plan,
      planShown: false,
      counts: { created: 1, updated: 0, replaced: 0, deleted: 0, archived: 0, failed: 0, skipped: 0 },
      brands: [
        {
          brand: 'trailhead',
          accountId: 'TRLHD1',
          ok: true,
          counts: { created: 1, updated: 0, replaced: 0, deleted: 0, archived: 0, failed: 0, skipped: 0 },
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
          ],
        },
      ],
    });
    expect(markdown).toContain('target: Klaviyo (https://a.klaviyo.com)');
    expect(markdown).toContain('### trailhead (account <code>TRLHD1</code>): :white_check_mark: applied');
    expect(markdown).toContain(
      '| list <code>vip-list</code> “VIP list” | :white_check_mark: created | <code>LVIP01</code> |',
    );
  });

  it('of a refresh lists what was re-asserted and each managed segment with its profile count', () => {
    const refresh: RefreshResult = {
      command: 'refresh',
      target: 'target: local sandbox',
      reasserted: [{ brand: 'trailhead', key: 'vip', name: 'VIP', id: 'SVIP01', outcome: 'updated' }],
      drift: driftFromPlan(emptyPlan()),
      plan: emptyPlan(),
      segments: [
        { brand: 'trailhead', key: 'vip', name: 'VIP', id: 'SVIP01', profileCount: 12_345 },
        { brand: 'trailhead', key: 'lapsed', name: 'Lapsed', id: 'SLAPS1' },
      ],
      failOnDrift: false,
    };
    const { markdown } = renderJobSummary(refresh);
    expect(markdown).toContain(
      '| trailhead | <code>vip</code> “VIP” | <code>SVIP01</code> | :white_check_mark: re-asserted |',
    );
    expect(markdown).toContain('| trailhead | <code>vip</code> “VIP” | <code>SVIP01</code> | 12,345 |');
    expect(markdown).toContain(
      '| trailhead | <code>lapsed</code> “Lapsed” | <code>SLAPS1</code> | unknown |',
    );
    expect(markdown).toContain('### Drift: trailhead (account <code>TRLHD1</code>): none');
  });

  it('of a drift check lists each drifted object', () => {
    const plan = samplePlan();
    const { markdown } = renderJobSummary({
      command: 'drift',
      target: 't',
      report: driftFromPlan(plan),
      plan,
      failOnDrift: true,
    });
    expect(markdown).toContain('### Drift: trailhead (account <code>TRLHD1</code>): 4 objects');
    expect(markdown).toContain('apply would replace it');
  });

  it('of a failure gives its reason, message, refusals and findings', () => {
    const error = new CommandError('refused', 'apply refused: the plan deletes objects', {
      reason: 'destructive-blocked',
      refusals: [
        { type: 'destroy', brand: 'trailhead', objects: [{ kind: 'list', key: 'old', id: 'LOLD01' }] },
      ],
      diagnostics: [finding(welcomeFile, 1, 'unknown-key', 'unknown key', 'error')],
    });
    const { markdown } = renderJobSummary(error);
    expect(markdown).toContain('### :x: Failed: <code>destructive-blocked</code>');
    expect(markdown).toContain('apply refused: the plan deletes objects');
    expect(markdown).toContain(
      '- brand trailhead: the plan deletes 1 object; re-run with --allow-destroy to allow it:',
    );
    expect(markdown).toContain('  - list old (LOLD01)');
    expect(markdown).toContain('| :x: error | <code>unknown-key</code> |');
  });

  it('stays within its byte budget with multi-byte text, and says it was trimmed', () => {
    const diagnostics = Array.from({ length: 3000 }, (_, i) =>
      finding(welcomeFile, i + 1, 'caniemail', `Überschrift ✉️ nicht unterstützt ${'ü'.repeat(40)}`),
    );
    const budgetBytes = 100_000;
    const { markdown, trimmed } = renderJobSummary(validation(diagnostics), { budgetBytes });
    expect(trimmed).toBe(true);
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(budgetBytes);
    expect(markdown).toContain("Trimmed to fit GitHub's 1 MiB job summary limit");
    expect(markdown).toContain('12 files checked: 0 errors, 3,000 warnings.');
    expect(dedupeFindings(diagnostics)).toHaveLength(3000);
  });

  it('never exceeds GitHub’s 1 MiB, whatever budget is asked for', () => {
    const diagnostics = Array.from({ length: 8000 }, (_, i) =>
      finding(welcomeFile, i + 1, 'caniemail', `not supported ${'✉️'.repeat(60)}`),
    );
    const { markdown, trimmed } = renderJobSummary(validation(diagnostics), { budgetBytes: 5_000_000 });
    expect(trimmed).toBe(true);
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(1_048_576);
  });
});
