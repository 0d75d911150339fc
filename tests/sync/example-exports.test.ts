import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/loader.js';
import { decideConsent, countSkips, emptyTally } from '../../src/sync/consent-gate.js';
import type { SourceCustomer, SourceOrder, SourceProblem } from '../../src/sync/model.js';
import { eventsFromOrder } from '../../src/sync/order-events.js';
import { openSyncConfig } from '../../src/sync/sources.js';

const repo = resolve(import.meta.dirname, '../..');

describe.each(['emberwick', 'trailhead'])('the example exports of %s', (brand) => {
  it('read through its sync.yaml without a problem: orders with refunds and cancellations, mixed consent', async () => {
    const { project } = await loadProject({ cwd: repo, dir: 'marketing' });
    const sync = project.brands.get(brand)!.sync!;
    expect(sync.valid).toBe(true);
    const inputs = openSyncConfig(sync.value, {
      brandDir: resolve(repo, 'marketing/brands', brand),
      displayBrandDir: `marketing/brands/${brand}`,
    });
    const orders: SourceOrder[] = [];
    const customers: SourceCustomer[] = [];
    const problems: SourceProblem[] = [];
    for (const source of inputs.sources) {
      if (source.kind === 'tiktok-shop') continue;
      for await (const item of source.read())
        if (item.kind === 'problem') problems.push(item.problem);
        else if (source.kind === 'orders') orders.push(item.record as SourceOrder);
        else customers.push(item.record as SourceCustomer);
    }
    expect(problems).toEqual([]);
    expect(orders.length).toBeGreaterThanOrEqual(300);
    expect(customers).toHaveLength(100);
    const now = new Date('2026-12-01T00:00:00Z');
    const events = orders.flatMap((o) =>
      eventsFromOrder(o, { now, liveWindowHours: inputs.liveWindowHours }),
    );
    const metrics = new Set(events.map((e) => e.metric));
    expect([...metrics].sort()).toEqual([
      'Cancelled Order',
      'Fulfilled Order',
      'Ordered Product',
      'Placed Order',
      'Refunded Order',
    ]);
    expect(new Set(events.map((e) => `${e.metric}|${e.uniqueId}`)).size).toBe(events.length);
    const tally = emptyTally();
    let subscribed = 0;
    for (const customer of customers) {
      const verdict = decideConsent(customer, inputs.consentPolicy, now);
      countSkips(tally, verdict);
      subscribed += Number(verdict.email.action === 'subscribe') + Number(verdict.sms.action === 'subscribe');
    }
    expect(subscribed).toBeGreaterThan(20);
    expect(tally.email.declined).toBeGreaterThan(10);
    expect(tally.sms['phone-not-e164']).toBeGreaterThan(0);
  });
});
