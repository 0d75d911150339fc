/** One plan with a change of each kind, made by the real diff: shared by the plan renderers' and GitHub views' tests. */
import { diffBrand } from '../../src/engine/diff/index.js';
import { assemblePlan, type Plan } from '../../src/engine/plan.js';
import {
  dFlow,
  dList,
  desiredState,
  dSegment,
  dTemplate,
  remoteState,
  rFlow,
  rList,
  rSegment,
  rTemplate,
  vipDefinition,
  welcomeDefinition,
  withIds,
} from '../engine/fixtures.js';

export const ids = {
  '@list:newsletter': 'LNEWS1',
  '@metric:Placed Order': 'MPLACE',
  '@template:welcome': 'TWELC1',
};
export const html = '<html>\n<body>\n<p>Welcome</p>\n{% unsubscribe %}\n</body>\n</html>';

/** trailhead: create a list, update a segment and a template, replace a flow, delete a list. */
export function samplePlan(extraLists = 0): Plan {
  const changed = structuredClone(vipDefinition);
  (
    changed.condition_groups[0]!.conditions[0] as { measurement_filter: { value: number } }
  ).measurement_filter.value = 5;
  const extra = Array.from({ length: extraLists }, (_, i) => dList(`extra-${i}`, `Extra list ${i}`));
  const desired = desiredState({
    deletion: { list: 'delete', segment: 'retain', template: 'retain', flow: 'retain' },
    lists: [dList('newsletter', 'Newsletter'), dList('vip-list', 'VIP list'), ...extra],
    segments: [dSegment('vip', changed)],
    templates: [dTemplate('welcome', html.replace('Welcome', 'Welcome aboard'))],
    flows: [dFlow('welcome', welcomeDefinition({ extraStep: true }))],
  });
  const remote = remoteState({
    lists: [rList('newsletter', 'LNEWS1', 'Newsletter'), rList('old', 'LOLD01', 'Old list')],
    segments: [rSegment('vip', 'SVIP01', withIds(vipDefinition, ids))],
    templates: [rTemplate('welcome', 'TWELC1', html)],
    flows: [
      rFlow('welcome', 'FWELC1', welcomeDefinition(), ids, {
        'email-1': { html, text: 'text of welcome', key: 'welcome' },
      }),
    ],
  });
  return assemblePlan([diffBrand(desired, remote)], new Date('2026-07-20T12:00:00Z'));
}
