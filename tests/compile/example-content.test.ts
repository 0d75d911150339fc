import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { buildDesiredState, type BuildResult } from '../../src/compile/index.js';
import { flowCreateBody, segmentCreateBody } from '../../src/compile/spec-check.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { klaviyoSchemaValidator } from '../../src/klaviyo/spec/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

let result: BuildResult;
beforeAll(async () => {
  result = await buildDesiredState({ cwd: REPO, dir: 'marketing' });
});

describe('the example marketing content', () => {
  it('has no errors, and no warnings at all in its YAML (flows, segments, lists, blueprints, config)', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.diagnostics.filter((d) => d.file.endsWith('.yaml')).map(formatDiagnostic)).toEqual([]);
  });

  it('has both brands with their accounts, lists, segments, templates and the standard flows', () => {
    expect(result.states.map((s) => [s.brand, s.accountId, s.apiKeyVariable])).toEqual([
      ['emberwick', 'EMBRWK', 'KLAVIYO_API_KEY_EMBERWICK'],
      ['trailhead', 'TRLHD1', 'KLAVIYO_API_KEY_TRAILHEAD'],
    ]);
    for (const state of result.states) {
      expect(state.lists.map((l) => l.key).sort()).toEqual(['newsletter', 'sms-subscribers']);
      expect(state.segments.map((s) => s.key).sort()).toEqual([
        'active-customers',
        'all-customers',
        'engaged-90-days',
        'high-intent-browsers',
        'lapsed-180-days',
        'new-subscribers',
        'sms-consented',
        'vip',
        'vip-lifetime',
      ]);
      expect(state.flows.map((f) => f.key)).toEqual(
        expect.arrayContaining([
          'welcome',
          'abandoned-cart',
          'browse-abandonment',
          'win-back',
          'post-purchase',
          'birthday',
        ]),
      );
    }
  });

  it('compiles every flow to a body the Klaviyo spec accepts (FlowCreateQuery)', () => {
    const flows = result.states.flatMap((s) => s.flows.map((f) => [`${s.brand}/${f.key}`, f] as const));
    expect(flows.length).toBeGreaterThanOrEqual(12);
    for (const [name, flow] of flows) {
      expect([name, klaviyoSchemaValidator().validate('FlowCreateQuery', flowCreateBody(flow))]).toEqual([
        name,
        { ok: true },
      ]);
    }
  });

  it('compiles every segment to a body the Klaviyo spec accepts (SegmentCreateQuery)', () => {
    const segments = result.states.flatMap((s) => s.segments.map((g) => [`${s.brand}/${g.key}`, g] as const));
    expect(segments).toHaveLength(18);
    for (const [name, segment] of segments) {
      expect([
        name,
        klaviyoSchemaValidator().validate('SegmentCreateQuery', segmentCreateBody(segment)),
      ]).toEqual([name, { ok: true }]);
    }
  });

  it('references only templates, lists and segments that exist, and only known metrics', () => {
    for (const state of result.states) {
      const keys = {
        template: new Set(state.templates.map((t) => t.key)),
        list: new Set(state.lists.map((l) => l.key)),
        segment: new Set(state.segments.map((s) => s.key)),
      };
      for (const object of [...state.flows, ...state.segments]) {
        for (const ref of object.refs) {
          if (ref.kind !== 'metric')
            expect([object.key, ref.kind, keys[ref.kind].has(ref.key)]).toEqual([object.key, ref.kind, true]);
        }
      }
    }
  });

  it('assembles every template: no build syntax left, Klaviyo tags intact, the brand filled in', () => {
    for (const state of result.states) {
      expect(state.templates.length).toBeGreaterThanOrEqual(12);
      for (const template of state.templates) {
        expect([template.key, template.html.includes('[['), template.html.includes(']]')]).toEqual([
          template.key,
          false,
          false,
        ]);
        expect([template.key, /\{%-?\s*unsubscribe/.test(template.html)]).toEqual([template.key, true]);
        expect(template.text.length).toBeGreaterThan(0);
        expect(template.subject.length).toBeGreaterThan(0);
      }
    }
    const trailhead = result.states.find((s) => s.brand === 'trailhead')!;
    expect(trailhead.templates.find((t) => t.key === 'welcome-1')!.html).toContain(
      "{{ first_name|default:'there' }}",
    );
  });

  it('validate exits 0 and prints the summary', async () => {
    // A copy, so the email QA cache the command keeps lands in a temp directory, not in the checkout.
    const cwd = await mkdtemp(join(tmpdir(), 'kg-example-'));
    try {
      await cp(join(REPO, 'marketing'), join(cwd, 'marketing'), { recursive: true });
      const outcome = await runCli(['validate'], { cwd, env: {}, progress: () => {} });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout.split('\n').at(-1)).toMatch(/^\d+ files, 0 errors, \d+ warnings?$/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
