import { describe, expect, it } from 'vitest';
import { compileSegment } from '../../src/compile/segment.js';
import { conditionList } from '../../src/engine/import/property-tests.js';
import { knownMetrics } from '../../src/project/metrics.js';
import type { Condition, SegmentFile } from '../../src/project/model.js';

/** Compile leaves ids as placeholders (`@list:newsletter`): the names are read out of them. */
const names = {
  listKey: (id: string) => /^@list:(.+)$/.exec(id)?.[1],
  segmentKey: (id: string) => /^@segment:(.+)$/.exec(id)?.[1],
  metricName: (id: string) => /^@metric:(.+)$/.exec(id)?.[1],
  inFlow: false,
};

/** What compile makes of `all`, read back by import's converter: the same conditions when it is the inverse. */
function roundTrip(all: Condition[]): unknown[] {
  const segment = {
    key: 'vip',
    file: 'segments/vip.yaml',
    value: { name: 'VIP', all } satisfies SegmentFile,
    at: () => ({ file: 'segments/vip.yaml', line: 1, col: 1 }),
    valid: true,
  };
  const scope = {
    lists: new Set(['newsletter']),
    segments: new Set<string>(),
    templates: new Set<string>(),
    metrics: knownMetrics(),
  };
  const compiled = compileSegment(segment, scope);
  expect(compiled.diagnostics).toEqual([]);
  return conditionList(compiled.desired.definition, names);
}

describe('conditions read back from Klaviyo', () => {
  it('spells profile properties, predictive analytics and double opt-in as the format does', () => {
    const all: Condition[] = [
      { consent: { channel: 'email', double_opt_in: true } },
      {
        any: [
          { profile: { property: 'Loyalty Tier', equals: 'Gold' } },
          { profile: { property: 'first_name', is_set: true } },
          { profile: { property: "properties['first_name']", starts_with: 'A' } },
        ],
      },
      { predictive: { dimension: 'predicted_clv', more_than: 250 } },
      { metric: 'Placed Order', count: { at_least: 3 }, within: { last: 365, unit: 'day' } },
      { member_of: { list: 'newsletter' } },
    ];
    expect(roundTrip(all)).toEqual(all);
  });

  it('reads a consent status date back as within: beside consent', () => {
    const all: Condition[] = [
      { consent: { channel: 'email' }, within: { last: 30, unit: 'day' } },
      { consent: { channel: 'email', double_opt_in: true }, within: { last: 2, unit: 'week' } },
      { consent: { channel: 'sms' }, within: { last: 12, unit: 'hour' } },
    ];
    expect(roundTrip(all)).toEqual(all);
  });
});
