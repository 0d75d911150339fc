import { describe, expect, it } from 'vitest';
import { compileSegment } from '../../src/compile/segment.js';
import { knownMetrics } from '../../src/project/metrics.js';
import type { Condition, SegmentFile } from '../../src/project/model.js';

function compile(all: Condition[]) {
  return compileSegment(
    {
      key: 'new-subscribers',
      file: 'segments/new-subscribers.yaml',
      value: { name: 'New Subscribers', all } satisfies SegmentFile,
      at: (path) => ({ file: 'segments/new-subscribers.yaml', line: 3 + path.length, col: 1 }),
      valid: true,
    },
    {
      lists: new Set<string>(),
      segments: new Set<string>(),
      templates: new Set<string>(),
      metrics: knownMetrics(),
    },
  );
}

describe('consent conditions with a window', () => {
  it('compiles within: beside consent to a status_date filter of the subscription', () => {
    const compiled = compile([{ consent: { channel: 'email' }, within: { last: 30, unit: 'day' } }]);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.desired.definition.condition_groups).toEqual([
      {
        conditions: [
          {
            type: 'profile-marketing-consent',
            consent: {
              channel: 'email',
              can_receive_marketing: true,
              consent_status: {
                subscription: 'subscribed',
                filters: [
                  {
                    field: 'status_date',
                    filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
                  },
                ],
              },
            },
          },
        ],
      },
    ]);
  });

  it('keeps double opt-in and the window together', () => {
    const compiled = compile([
      { consent: { channel: 'email', double_opt_in: true }, within: { last: 1, unit: 'week' } },
    ]);
    const condition = compiled.desired.definition.condition_groups[0] as { conditions: unknown[] };
    expect(condition.conditions[0]).toMatchObject({
      consent: {
        consent_status: {
          filters: [{ field: 'is_double_opt_in' }, { field: 'status_date', filter: { quantity: 1 } }],
        },
      },
    });
  });

  it('still refuses count: or where: beside consent', () => {
    const compiled = compile([{ consent: { channel: 'email' }, count: { at_least: 1 } }]);
    expect(compiled.diagnostics.map((d) => d.message)).toEqual(["'count' belongs to a metric condition"]);
  });
});
