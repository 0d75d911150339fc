import { describe, expect, it } from 'vitest';
import { diffBrand } from '../../src/engine/diff/index.js';
import { ARCHIVED_TAG, OWNERSHIP_TAG, PROTECTED_TAG } from '../../src/engine/markers.js';
import { formatSummary, type ResourcePlan } from '../../src/engine/plan.js';
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
  unmanagedList,
  vipDefinition,
  welcomeDefinition,
  withIds,
} from './fixtures.js';

const ids = { '@list:newsletter': 'LNEWS1', '@metric:Placed Order': 'MPLACE', '@template:welcome': 'TWELC1' };
const welcomeHtml = '<html><body><p>Welcome {{ first_name }}</p>{% unsubscribe %}</body></html>';

function find(resources: ResourcePlan[], kind: string, key: string): ResourcePlan {
  const found = resources.find((r) => r.kind === kind && r.key === key);
  if (!found) throw new Error(`no ${kind} ${key} in plan`);
  return found;
}

/** A brand where everything is in sync: list, segment, template and flow. */
function inSync(
  overrides: { flow?: ReturnType<typeof dFlow>; template?: ReturnType<typeof dTemplate> } = {},
) {
  const desired = desiredState({
    lists: [dList('newsletter', 'Newsletter')],
    segments: [dSegment('vip')],
    templates: [overrides.template ?? dTemplate('welcome', welcomeHtml)],
    flows: [overrides.flow ?? dFlow('welcome')],
  });
  const remote = remoteState({
    lists: [rList('newsletter', 'LNEWS1', 'Newsletter')],
    segments: [rSegment('vip', 'SVIP01', withIds(vipDefinition, ids))],
    templates: [rTemplate('welcome', 'TWELC1', welcomeHtml)],
    flows: [
      rFlow('welcome', 'FWELC1', welcomeDefinition(), ids, {
        'email-1': { html: welcomeHtml, text: 'text of welcome', key: 'welcome' },
      }),
    ],
  });
  return { desired, remote };
}

describe('diffBrand', () => {
  it('plans nothing when Klaviyo matches the repository, defaults and assigned ids notwithstanding', () => {
    const { desired, remote } = inSync();
    const plan = diffBrand(desired, remote);
    expect(plan.resources.map((r) => `${r.kind}:${r.key}:${r.action.type}`)).toEqual([
      'list:newsletter:noop',
      'segment:vip:noop',
      'template:welcome:noop',
      'flow:welcome:noop',
    ]);
    expect(plan.problems).toEqual([]);
    expect(formatSummary(plan.summary)).toBe('+0 ~0 -0');
  });

  describe('lists', () => {
    it('creates a list that is not in Klaviyo, with the key marker and the ownership tag', () => {
      const plan = diffBrand(desiredState({ lists: [dList('newsletter', 'Newsletter')] }), remoteState());
      const list = find(plan.resources, 'list', 'newsletter');
      expect(list.action).toMatchObject({
        type: 'create',
        desired: { klaviyoName: 'Newsletter [kg:newsletter]' },
      });
      expect(list.cost).toEqual([
        { operationId: 'create_list', count: 1 },
        { operationId: 'tag_lists', count: 1 },
      ]);
      expect(plan.cost.dailyCaps).toEqual([
        { operationId: 'create_list', label: 'list creates', planned: 1, cap: 150 },
      ]);
    });

    it('renames in place: the name is an attribute, the key is the identity', () => {
      const plan = diffBrand(
        desiredState({ lists: [dList('newsletter', 'Weekly news')] }),
        remoteState({ lists: [rList('newsletter', 'LNEWS1', 'Newsletter')] }),
      );
      expect(find(plan.resources, 'list', 'newsletter').action).toMatchObject({
        type: 'update',
        changes: [
          { path: 'name', before: 'Newsletter [kg:newsletter]', after: 'Weekly news [kg:newsletter]' },
        ],
      });
    });

    it('ignores objects without our marker, even with the same name, and counts them', () => {
      const plan = diffBrand(
        desiredState({ lists: [dList('newsletter', 'Newsletter')] }),
        remoteState({
          lists: [
            unmanagedList('LOTHER', 'Newsletter [kg:newsletter] (Clone)'),
            unmanagedList('LX', 'Newsletter'),
          ],
        }),
      );
      expect(plan.resources.map((r) => `${r.key}:${r.action.type}:${r.id ?? '-'}`)).toEqual([
        'newsletter:create:-',
      ]);
      expect(plan.unmanaged.list).toBe(2);
    });

    it('gives a managed object its missing ownership tag back (a create whose tag call never ran)', () => {
      const plan = diffBrand(
        desiredState({ lists: [dList('newsletter', 'Newsletter')] }),
        remoteState({ lists: [rList('newsletter', 'LNEWS1', 'Newsletter', { tags: [] })] }),
      );
      const list = find(plan.resources, 'list', 'newsletter');
      expect(list.action).toMatchObject({
        type: 'update',
        changes: [{ path: 'tags', before: [], after: [OWNERSHIP_TAG] }],
      });
      expect(list.cost).toEqual([{ operationId: 'tag_lists', count: 1 }]);
    });
  });

  describe('segments', () => {
    it('replaces the whole definition on a condition change, comparing ids as keys', () => {
      const { desired, remote } = inSync();
      const changed = structuredClone(vipDefinition);
      (
        changed.condition_groups[0]!.conditions[0] as { measurement_filter: { value: number } }
      ).measurement_filter.value = 5;
      desired.segments = [dSegment('vip', changed)];
      const plan = diffBrand(desired, remote);
      const segment = find(plan.resources, 'segment', 'vip');
      expect(segment.action.type).toBe('update');
      if (segment.action.type !== 'update') return;
      expect(segment.action.changes.map((c) => c.path)).toEqual(['definition']);
      expect(JSON.stringify(segment.action.changes[0]!.before)).toContain('@list:newsletter');
      expect(segment.cost).toEqual([{ operationId: 'update_segment', count: 1 }]);
      expect(plan.cost.dailyCaps).toEqual([
        { operationId: 'update_segment', label: 'segment updates', planned: 1, cap: 100 },
      ]);
    });

    it('updates the starred flag alone', () => {
      const { desired, remote } = inSync();
      desired.segments = [dSegment('vip', vipDefinition, { isStarred: true })];
      const segment = find(diffBrand(desired, remote).resources, 'segment', 'vip');
      expect(segment.action).toMatchObject({
        type: 'update',
        changes: [{ path: 'isStarred', before: false, after: true }],
      });
    });

    it('refuses to plan against a metric the account does not have', () => {
      const { desired, remote } = inSync();
      remote.metrics = [];
      const plan = diffBrand(desired, remote);
      expect(plan.problems).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          message: expect.stringContaining("metric 'Placed Order' does not exist"),
        }),
      );
    });
  });

  describe('templates', () => {
    it('compares the HTML without our marker and lists the flow emails to re-assign', () => {
      const newHtml = welcomeHtml.replace('Welcome', 'Hello');
      const { desired, remote } = inSync({ template: dTemplate('welcome', newHtml) });
      const plan = diffBrand(desired, remote);
      const template = find(plan.resources, 'template', 'welcome');
      expect(template.action).toMatchObject({
        type: 'update',
        changes: [{ path: 'html', before: welcomeHtml, after: newHtml }],
      });
      expect(template.effects).toEqual([
        {
          type: 'reassign-template',
          flow: 'welcome',
          flowId: 'FWELC1',
          step: 'email-1',
          actionId: 'A-email-1',
          plannedInFlow: true,
        },
      ]);
      const flow = find(plan.resources, 'flow', 'welcome');
      expect(flow.action.type).toBe('update');
      if (flow.action.type !== 'update') return;
      expect(flow.action.steps).toHaveLength(1);
      expect(flow.action.steps[0]).toMatchObject({
        step: 'email-1',
        actionId: 'A-email-1',
        changes: [{ path: 'data.message.template_id', cause: 'template welcome changed' }],
        definition: {
          id: 'A-email-1',
          type: 'send-email',
          data: { status: 'live', message: { template_id: '@template:welcome' } },
        },
      });
    });

    it('recognises a flow email copy without our marker by its content', () => {
      const { desired, remote } = inSync();
      remote.flows = [
        rFlow('welcome', 'FWELC1', welcomeDefinition(), ids, {
          'email-1': { html: welcomeHtml, text: 'text of welcome' },
        }),
      ];
      expect(find(diffBrand(desired, remote).resources, 'flow', 'welcome').action.type).toBe('noop');
    });

    it('rewrites the marker when prevent_destroy changes', () => {
      const { desired, remote } = inSync({
        template: dTemplate('welcome', welcomeHtml, { preventDestroy: true }),
      });
      expect(find(diffBrand(desired, remote).resources, 'template', 'welcome').action).toMatchObject({
        type: 'update',
        changes: [{ path: 'preventDestroy', before: false, after: true }],
        desired: { html: expect.stringContaining(' protect -->') },
      });
    });
  });

  describe('flows', () => {
    it('edits a subject in place: one flow-action PATCH', () => {
      const { desired, remote } = inSync({
        flow: dFlow('welcome', welcomeDefinition({ subject: 'Welcome aboard!' })),
      });
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action.type).toBe('update');
      if (flow.action.type !== 'update') return;
      expect(flow.action.steps).toEqual([
        expect.objectContaining({
          step: 'email-1',
          actionId: 'A-email-1',
          changes: [
            {
              path: 'data.message.subject_line',
              before: 'Welcome!',
              after: 'Welcome aboard!',
              origin: 'code',
            },
          ],
        }),
      ]);
      expect(flow.action.steps[0]!.definition).toMatchObject({ links: { next: null } });
      expect(flow.cost).toEqual([{ operationId: 'update_flow_action', count: 1 }]);
    });

    it('changes a delay in place, keeping the links in real ids', () => {
      const { desired, remote } = inSync({ flow: dFlow('welcome', welcomeDefinition({ wait: 3 })) });
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action).toMatchObject({
        type: 'update',
        steps: [
          {
            step: 'wait-1',
            changes: [{ path: 'data.value', before: 1, after: 3 }],
            definition: { id: 'A-wait-1', links: { next: 'A-email-1' } },
          },
        ],
      });
    });

    it('changes the status in place', () => {
      const { desired, remote } = inSync({
        flow: dFlow('welcome', welcomeDefinition(), { status: 'draft' }),
      });
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action).toMatchObject({
        type: 'update',
        changes: [{ path: 'status', before: 'live', after: 'draft' }],
        steps: [],
      });
      expect(flow.cost).toEqual([{ operationId: 'update_flow', count: 1 }]);
    });

    it('replaces the flow when a step is added, saying why and what is lost', () => {
      const { desired, remote } = inSync({ flow: dFlow('welcome', welcomeDefinition({ extraStep: true })) });
      const plan = diffBrand(desired, remote);
      const flow = find(plan.resources, 'flow', 'welcome');
      expect(flow.action.type).toBe('replace');
      if (flow.action.type !== 'replace') return;
      expect(flow.action.reasons).toEqual(['a step was added (email-2): Klaviyo cannot add steps to a flow']);
      expect(flow.action.impact[0]).toContain(
        "profiles waiting in the live flow's delays do not move to the new flow",
      );
      expect(flow.action.steps).toContainEqual(expect.objectContaining({ step: 'email-2', change: 'added' }));
      expect(flow.action.retire).toBe('archive');
      expect(flow.cost).toEqual(
        expect.arrayContaining([
          { operationId: 'create_flow', count: 1 },
          { operationId: 'update_flow', count: 1 },
        ]),
      );
      expect(plan.cost.dailyCaps).toEqual([
        { operationId: 'create_flow', label: 'flow creates', planned: 1, cap: 100 },
      ]);
      expect(formatSummary(plan.summary)).toBe('+0 ~0 -0, 1 replace');
    });

    it('replaces the flow when a step is removed', () => {
      const { desired, remote } = inSync();
      remote.flows = [
        rFlow('welcome', 'FWELC1', welcomeDefinition({ extraStep: true }), ids, {
          'email-1': { html: welcomeHtml, text: 'text of welcome', key: 'welcome' },
          'email-2': { html: welcomeHtml, text: 'text of welcome', key: 'welcome' },
        }),
      ];
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action).toMatchObject({
        type: 'replace',
        reasons: [
          "a step was removed (send-email 'Email email-2'): Klaviyo cannot remove a step without re-wiring the flow",
        ],
      });
    });

    it('replaces the flow when the trigger or the name changes', () => {
      const definition = welcomeDefinition();
      definition.triggers = [{ type: 'metric', id: '@metric:Placed Order' }];
      const { desired, remote } = inSync({ flow: dFlow('welcome', definition, { name: 'Welcome v2' }) });
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action).toMatchObject({
        type: 'replace',
        reasons: [
          'the name changed: Klaviyo cannot rename a flow',
          "the trigger changed: Klaviyo cannot change a flow's trigger",
        ],
      });
    });

    it('reports a moved step as a move', () => {
      const swapped = welcomeDefinition();
      const [wait, email] = swapped.actions;
      swapped.entry_action_id = 'email-1';
      email!.links = { next: 'wait-1' };
      wait!.links = { next: null };
      const { desired, remote } = inSync({ flow: dFlow('welcome', swapped) });
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action.type).toBe('replace');
      if (flow.action.type !== 'replace') return;
      expect(flow.action.steps.map((s) => `${s.step}:${s.change}`).sort()).toEqual([
        'email-1:moved',
        'wait-1:moved',
      ]);
    });
  });

  describe('deletion policy', () => {
    const removedEverything = () => {
      const { remote } = inSync();
      return remote;
    };

    it('retains by default: orphaned, nothing written', () => {
      const plan = diffBrand(desiredState(), removedEverything());
      expect(plan.resources.map((r) => r.action)).toEqual(
        Array(4).fill({ type: 'orphan', policy: 'retain', reason: 'removed' }),
      );
      expect(plan.cost.calls).toEqual([]);
    });

    it('deletes under the delete policy, except what is protected', () => {
      const remote = removedEverything();
      remote.segments[0]!.ownership = {
        ...(remote.segments[0]!.ownership as { type: 'managed' } & (typeof remote.segments)[0]['ownership']),
        preventDestroy: true,
      } as never;
      remote.segments[0]!.tags = [OWNERSHIP_TAG, PROTECTED_TAG];
      const plan = diffBrand(
        desiredState({ deletion: { list: 'delete', segment: 'delete', template: 'delete', flow: 'delete' } }),
        remote,
      );
      expect(plan.resources.map((r) => `${r.kind}:${r.action.type}`)).toEqual([
        'list:delete',
        'segment:orphan',
        'template:delete',
        'flow:delete',
      ]);
      expect(find(plan.resources, 'segment', 'vip').action).toEqual({
        type: 'orphan',
        policy: 'retain',
        reason: 'removed',
        protected: true,
      });
      expect(formatSummary(plan.summary)).toBe('+0 ~0 -3, 1 orphaned');
    });

    it('archives under the archive policy and creates the archive tag once', () => {
      const plan = diffBrand(
        desiredState({
          deletion: { list: 'archive', segment: 'retain', template: 'retain', flow: 'archive' },
        }),
        removedEverything(),
      );
      expect(find(plan.resources, 'flow', 'welcome').cost).toEqual([
        { operationId: 'update_flow', count: 1 },
        { operationId: 'tag_flows', count: 1 },
      ]);
      expect(plan.cost.calls).toContainEqual({ operationId: 'create_tag', count: 1 });
      expect(plan.resources.some((r) => r.action.type === 'delete')).toBe(false);
      expect(ARCHIVED_TAG).toBe('klaviyo-gitops:archived');
    });
  });

  describe('identity', () => {
    it('keeps the newest of two objects with the same key and archives the older', () => {
      const { desired, remote } = inSync();
      const older = rFlow(
        'welcome',
        'FOLD01',
        welcomeDefinition(),
        ids,
        {},
        { created: '2025-06-01T00:00:00+00:00' },
      );
      remote.flows.push(older);
      const plan = diffBrand(desired, remote);
      const flows = plan.resources.filter((r) => r.kind === 'flow');
      expect(flows.map((r) => `${r.id}:${r.action.type}`)).toEqual(['FWELC1:noop', 'FOLD01:orphan']);
      expect(flows[1]!.action).toEqual({ type: 'orphan', policy: 'archive', reason: 'superseded' });
    });

    it('adopts a tagged flow by its exact name (flows cannot be renamed to carry the key)', () => {
      const { desired, remote } = inSync();
      const adopted = remote.flows[0]!;
      adopted.name = 'Welcome series';
      adopted.ownership = { type: 'tagged', displayName: 'Welcome series', preventDestroy: false };
      const flow = find(diffBrand(desired, remote).resources, 'flow', 'welcome');
      expect(flow.action.type).toBe('noop');
      expect(flow.remote?.identity).toBe('tag-and-name');
    });
  });
});
