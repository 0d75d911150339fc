import { describe, expect, it } from 'vitest';
import { flowToFile, type FlowImportContext } from '../../src/engine/import/flow-file.js';
import type { RemoteFlow, RemoteFlowAction } from '../../src/engine/remote-model.js';

const ctx: FlowImportContext = {
  flowKey: 'cart',
  listKey: (id) => (id === 'L1' ? 'newsletter' : undefined),
  segmentKey: () => undefined,
  metricName: (id) => (id === 'M1' ? 'Started Checkout' : undefined),
  templateKeyOfCopy: (id) => (id === 'C1' ? 'cart-1' : undefined),
  listName: () => 'Newsletter',
  sender: { from_email: 'hello@acme.example', from_label: 'Acme' },
};

function flow(
  actions: RemoteFlowAction[],
  trigger: unknown = { type: 'metric', id: 'M1', trigger_filter: null },
): RemoteFlow {
  return {
    kind: 'flow',
    id: 'F1',
    name: 'Cart',
    created: '',
    updated: '',
    ownership: { type: 'unmanaged' },
    status: 'live',
    archived: false,
    triggerType: 'Metric',
    tags: [],
    templateCopies: {},
    definition: { triggers: [trigger], entry_action_id: actions[0]?.id ?? null, actions },
  };
}

describe('flowToFile', () => {
  it('writes a trigger filter as where tests and an unknown linear action as a raw step', () => {
    const result = flowToFile(
      flow(
        [
          {
            id: 'a1',
            type: 'time-delay',
            links: { next: 'a2' },
            data: { unit: 'hours', value: 4, timezone: 'profile', status: 'live' },
          },
          { id: 'a2', type: 'code', links: { next: null }, data: { status: 'live', source: 'return 1' } },
        ],
        {
          type: 'metric',
          id: 'M1',
          trigger_filter: {
            condition_groups: [
              {
                conditions: [
                  {
                    type: 'metric-property',
                    metric_id: 'M1',
                    field: '$value',
                    filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 20 },
                  },
                ],
              },
            ],
          },
        },
      ),
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      rawSteps: ['step-1'],
      file: {
        name: 'Cart',
        status: 'live',
        trigger: { metric: 'Started Checkout', where: [{ property: '$value', at_least: 20 }] },
        steps: [
          { id: 'wait-1', wait: { hours: 4 } },
          { id: 'step-1', raw: { type: 'code', data: { source: 'return 1' } } },
        ],
      },
    });
  });

  it('falls back to raw for an email from another sender, and keeps its template copy id', () => {
    const result = flowToFile(
      flow([
        {
          id: 'a1',
          type: 'send-email',
          links: { next: null },
          data: {
            message: {
              id: 'msg',
              from_email: 'other@acme.example',
              from_label: 'Acme',
              subject_line: 'Hi',
              template_id: 'C1',
            },
          },
        },
      ]),
      ctx,
    );
    expect(result.ok && result.file.steps).toEqual([
      {
        id: 'step-1',
        raw: {
          type: 'send-email',
          data: {
            message: {
              from_email: 'other@acme.example',
              from_label: 'Acme',
              subject_line: 'Hi',
              template_id: 'C1',
            },
          },
        },
      },
    ]);
  });

  it('refuses a flow whose branching the format cannot express', () => {
    const result = flowToFile(
      flow([{ id: 'a1', type: 'multi-branch-split', links: {}, data: { name: 'x', branches: [] } }]),
      ctx,
    );
    expect(result).toEqual({
      ok: false,
      reason: 'its multi-branch-split step has no spelling in the flow format',
    });
  });
});
