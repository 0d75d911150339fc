import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { tempProject, type TempProject } from './temp-project.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const SEGMENT = 'marketing/brands/acme/segments/big-spenders.yaml';
const BLUEPRINT = 'marketing/shared/blueprints/vip-customers.yaml';
const VIP_BLUEPRINT = [
  'description: VIP by lifetime spend.',
  'parameters:',
  '  min_spend: { type: number, required: true }',
  'segment:',
  '  all:',
  '    - metric: Placed Order',
  '      sum: { at_least: "${min_spend}" }',
  '      within: alltime',
  '',
].join('\n');

async function build(files: Record<string, string | null>) {
  project = tempProject(files);
  return buildDesiredState({ cwd: project.cwd, dir: project.dir });
}

describe('segment blueprints', () => {
  it('give both example brands the four default segments, with each brand parameters', async () => {
    const result = await buildDesiredState({ cwd: REPO, dir: 'marketing' });
    expect(result.errors).toBe(0);
    for (const state of result.states) {
      const byKey = new Map(state.segments.map((s) => [s.key, s]));
      expect(byKey.get('all-customers')?.definition.condition_groups).toEqual([
        {
          conditions: [
            expect.objectContaining({
              type: 'profile-metric',
              metric_id: '@metric:Placed Order',
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
              timeframe_filter: { type: 'date', operator: 'alltime' },
            }),
          ],
        },
      ]);
      expect(byKey.get('vip-lifetime')?.definition.condition_groups[0]).toMatchObject({
        conditions: [{ measurement: 'sum', timeframe_filter: { operator: 'alltime' } }],
      });
      expect(byKey.get('new-subscribers')?.definition.condition_groups[0]).toMatchObject({
        conditions: [
          {
            type: 'profile-marketing-consent',
            consent: { channel: 'email', consent_status: { filters: [{ field: 'status_date' }] } },
          },
        ],
      });
      expect(byKey.get('active-customers')?.source.file).toBe(
        `marketing/brands/${state.brand}/segments/active-customers.yaml`,
      );
    }
    const window = (brand: string, key: string) =>
      result.states.find((s) => s.brand === brand)!.segments.find((s) => s.key === key)!.definition
        .condition_groups[0];
    expect(window('emberwick', 'active-customers')).toMatchObject({
      conditions: [{ timeframe_filter: { operator: 'in-the-last', unit: 'day', quantity: 60 } }],
    });
    expect(window('trailhead', 'active-customers')).toMatchObject({
      conditions: [{ timeframe_filter: { quantity: 90 } }],
    });
    expect(window('emberwick', 'vip-lifetime')).toMatchObject({
      conditions: [{ measurement_filter: { value: 250 } }],
    });
    expect(window('trailhead', 'vip-lifetime')).toMatchObject({
      conditions: [{ measurement_filter: { value: 1000 } }],
    });
  });

  it('reports a missing required parameter at the segment file', async () => {
    const result = await build({
      [BLUEPRINT]: VIP_BLUEPRINT,
      [SEGMENT]: 'name: Big spenders\nextends: vip-customers\n',
    });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${SEGMENT}:2:10: error missing-parameter: blueprint 'vip-customers' needs the parameter 'min_spend' (add 'min_spend:' under 'with:')`,
    );
  });

  it('refuses a segment that extends a flow blueprint, at its extends: line', async () => {
    const result = await build({
      [BLUEPRINT]: VIP_BLUEPRINT,
      [SEGMENT]: 'name: Big spenders\nextends: reminder\n',
    });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${SEGMENT}:2:10: error blueprint-kind: blueprint 'reminder' is a flow blueprint: a segment cannot extend it (extend a blueprint with a 'segment:' body)`,
    );
  });

  it('points a bad condition inside the blueprint at the blueprint line, naming the segment', async () => {
    const result = await build({
      [BLUEPRINT]: VIP_BLUEPRINT.replace('Placed Order', 'Placed Ordr'),
      [SEGMENT]: 'name: Big spenders\nextends: vip-customers\nwith: { min_spend: 500 }\n',
    });
    expect(result.diagnostics.map(formatDiagnostic)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${BLUEPRINT}:6:15: error unknown-metric: unknown metric 'Placed Ordr' \\(in blueprint 'vip-customers', extended by ${SEGMENT}\\)`,
        ),
      ),
    );
  });

  it('refuses a segment without conditions or a blueprint', async () => {
    const result = await build({ [SEGMENT]: 'name: Big spenders\n' });
    expect(result.diagnostics.map(formatDiagnostic).join('\n')).toMatch(
      new RegExp(`${SEGMENT}:1:1: error .*'all'`),
    );
  });

  it('refuses a blueprint with both a flow and a segment body', async () => {
    const result = await build({
      [BLUEPRINT]: `${VIP_BLUEPRINT}flow:\n  trigger: { metric: Placed Order }\n  steps: []\n`,
    });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${BLUEPRINT}:4:1: error blueprint-body: a blueprint is either a flow or a segment: it has both 'flow:' and 'segment:' (split it into two blueprints)`,
    );
  });
});
