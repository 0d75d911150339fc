/**
 * The deploy-shaped workload under heavy fault injection: every kind of fault the sandbox offers, each at 10% of
 * requests. Creates reconcile by name, so no fault may cause a failure or a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { KlaviyoClient, type KlaviyoClientEvent } from '../../src/klaviyo/index.js';
import { flowCreate, segmentCreate, templateCreate } from './helpers/bodies.js';
import { fastClock } from './helpers/fast-clock.js';

const KEY = 'pk_faults_test_0123456789';
const TEMPLATES = 200;
const SEGMENTS = 30;
const FLOWS = 40;

let sandbox: RunningSandbox;
let segmentIds: string[] = [];
let flowIds: string[] = [];

beforeAll(async () => {
  // Rate limits are the client's pacing concern, tested elsewhere; here the sandbox only injects faults.
  sandbox = await startSandbox({ port: 0, enforceRateLimits: false });
  // Set-up needs no faults; a 1000x clock keeps the client's pacing of 70 creates out of the way.
  const setup = new KlaviyoClient({
    apiKey: KEY,
    baseUrl: sandbox.url,
    clock: fastClock(1000),
    timeoutMs: 30_000 * 1000,
  });
  const list = await setup.lists.create({ data: { type: 'list', attributes: { name: 'Trigger' } } });
  const template = await setup.templates.create(templateCreate('Flow email'));
  segmentIds = (
    await Promise.all(
      Array.from({ length: SEGMENTS }, (_, i) => setup.segments.create(segmentCreate(`Segment ${i}`))),
    )
  ).map((s) => s.id);
  flowIds = (
    await Promise.all(
      Array.from({ length: FLOWS }, (_, i) =>
        setup.flows.create(flowCreate(`Flow ${i}`, list.id, template.id)),
      ),
    )
  ).map((f) => f.id);
});

afterAll(async () => {
  await sandbox.close();
});

describe('a workload under 10% faults of every kind', () => {
  it(
    'completes every call exactly once: no failures, no duplicate templates',
    { timeout: 120_000 },
    async () => {
      sandbox.setFaults({
        rate429: 0.1,
        rate5xx: 0.1,
        rateHang: 0.1,
        rateDrop: 0.1,
        rateLostResponse: 0.1,
        seed: 7,
      });
      const events: KlaviyoClientEvent[] = [];
      const client = new KlaviyoClient({
        apiKey: KEY,
        baseUrl: sandbox.url,
        // 60x: Klaviyo's one-minute windows last 1 s, and so does the 60 s timeout; with at most 16 requests in
        // flight the sandbox answers well within it, so only hung requests time out.
        clock: fastClock(60),
        timeoutMs: 60_000,
        // Look an ambiguous create up only after a request the sandbox may still be working on has landed.
        reconcileDelayMs: 60_000,
        maxRetries: 30,
        onEvent: (e) => events.push(e),
      });

      const results = await Promise.allSettled([
        ...Array.from({ length: TEMPLATES }, (_, i) =>
          client.templates.create(templateCreate(`Workload template ${i}`), { reconcile: 'by-name' }),
        ),
        ...segmentIds.map((id) =>
          client.segments.update(id, { definition: segmentCreate('x', false).data.attributes.definition }),
        ),
        ...flowIds.map((id) => client.flows.updateStatus(id, 'live')),
      ]);
      sandbox.setFaults({});

      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(failures).toEqual([]);

      // Every fault kind actually happened, and the lost responses hit creates that then reconciled.
      const faults = new Set(sandbox.requestLog.map((r) => r.fault).filter(Boolean));
      expect([...faults].sort()).toEqual(['drop', 'hang', 'lost-response', 'server-error', 'throttle']);
      expect(events.some((e) => e.type === 'reconcile' && e.found)).toBe(true);
      expect(events.some((e) => e.type === 'reconcile' && !e.found)).toBe(true);

      const state = sandbox.account(KEY).state;
      const names = Object.values(state.templates)
        .map((t) => t.name)
        .filter((name) => name.startsWith('Workload template '));
      expect(names).toHaveLength(TEMPLATES);
      expect(new Set(names).size).toBe(TEMPLATES);
      expect(segmentIds.every((id) => JSON.stringify(state.segments[id]).includes('false'))).toBe(true);
      expect(flowIds.every((id) => state.flows[id]?.status === 'live')).toBe(true);
    },
  );
});
