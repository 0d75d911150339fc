import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, fakeClock } from './helpers.js';

let sandbox: RunningSandbox | undefined;
afterEach(() => sandbox?.close());

const patch = (metricId: unknown, slot = 'revenue', bodyId = slot) => ({
  data: {
    type: 'mapped-metric',
    id: bodyId,
    relationships: { metric: { data: { type: 'metric', id: metricId } } },
  },
});

async function someMetricId(s: RunningSandbox): Promise<string> {
  const metrics = await api(s, 'GET', '/api/metrics');
  return metrics.body.data.find((m: { attributes: { name: string } }) => m.attributes.name === 'Opened Email')
    .id as string;
}

describe('mapped metrics in the sandbox', () => {
  it('has the seven slots, unmapped, and points one at a metric with a PATCH', async () => {
    sandbox = await startSandbox({ enforceRateLimits: false });
    const listed = await api(sandbox, 'GET', '/api/mapped-metrics');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([
      'added_to_cart',
      'cancelled_sales',
      'ordered_product',
      'refunded_sales',
      'revenue',
      'started_checkout',
      'viewed_product',
    ]);
    expect(listed.body.data[4].relationships.metric.data).toBeNull();

    const metricId = await someMetricId(sandbox);
    const patched = await api(sandbox, 'PATCH', '/api/mapped-metrics/revenue', patch(metricId));
    expect(patched.status).toBe(200);
    expect(patched.body.data.relationships.metric.data).toEqual({ type: 'metric', id: metricId });

    const one = await api(sandbox, 'GET', '/api/mapped-metrics/revenue?include=metric');
    expect(one.body.data.relationships.metric.data.id).toBe(metricId);
    expect(one.body.data.attributes.updated).toEqual(expect.any(String));
    expect(one.body.included.map((m: { id: string }) => m.id)).toEqual([metricId]);
  });

  it('refuses a metric that does not exist, a body id unlike the path, and an unknown slot', async () => {
    sandbox = await startSandbox({ enforceRateLimits: false });
    const missing = await api(sandbox, 'PATCH', '/api/mapped-metrics/revenue', patch('NOPE12'));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].source).toEqual({ pointer: '/data/relationships/metric/data/id' });

    const metricId = await someMetricId(sandbox);
    const mismatch = await api(
      sandbox,
      'PATCH',
      '/api/mapped-metrics/revenue',
      patch(metricId, 'revenue', 'viewed_product'),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].source).toEqual({ pointer: '/data/id' });

    const slot = await api(sandbox, 'GET', '/api/mapped-metrics/profit');
    expect(slot.status).toBe(400);
    expect(slot.body.errors[0].source).toEqual({ parameter: 'id' });

    const after = await api(sandbox, 'GET', '/api/mapped-metrics/revenue');
    expect(after.body.data.relationships.metric.data).toBeNull();
  });

  it("holds re-mappings to Klaviyo's 30 a day", async () => {
    const clock = fakeClock();
    sandbox = await startSandbox({ enforceRateLimits: true, clock });
    const metricId = await someMetricId(sandbox);
    for (let i = 0; i < 30; i++) {
      clock.advance(5_000);
      expect((await api(sandbox, 'PATCH', '/api/mapped-metrics/revenue', patch(metricId))).status).toBe(200);
    }
    clock.advance(5_000);
    const capped = await api(sandbox, 'PATCH', '/api/mapped-metrics/revenue', patch(metricId));
    expect(capped.status).toBe(429);
  });
});
