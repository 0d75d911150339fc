/**
 * Mapped metrics as a declared resource, against the sandbox through the real commands: planned as a create,
 * applied with one PATCH, a no-op on re-plan, a slot re-mapped in Klaviyo is drift and a hand edit that apply
 * refuses to revert unasked, and a metric the account lacks yet is a note, not a failure.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import type { Plan } from '../../../src/engine/plan.js';
import { FIXTURE } from './edits.js';
import { handEdit, openWorkspace, writesSince, type Workspace } from './harness.js';

let ws: Workspace | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await ws?.close();
  ws = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The e2e fixture with north mapping revenue (a metric its segments use) and refunds (one it lacks). */
async function fixtureWithMetrics(): Promise<string> {
  const source = await mkdtemp(join(tmpdir(), 'kg-mapped-'));
  dirs.push(source);
  await cp(join(FIXTURE, 'marketing'), join(source, 'marketing'), { recursive: true });
  await writeFile(
    join(source, 'marketing/brands/north/metrics.yaml'),
    'mapped:\n  revenue: Placed Order\n  refunded_sales: Refunded Order\n',
  );
  return source;
}

const cli = (w: Workspace, ...argv: string[]) =>
  runCli(argv, { cwd: w.cwd, env: w.env, progress: () => undefined });

const readPlan = async (w: Workspace): Promise<Plan> =>
  JSON.parse(await readFile(join(w.cwd, 'output/plan.json'), 'utf8')) as Plan;

const metricId = (w: Workspace, name: string): string =>
  Object.values(w.account('north').metrics).find((m) => m.name === name)!.id;

describe('mapped metrics', () => {
  it('are planned, applied, then a no-op; a re-mapping in Klaviyo is drift that apply will not revert unasked', async () => {
    ws = await openWorkspace(await fixtureWithMetrics());

    const planned = await cli(
      ws,
      'plan',
      '--brand',
      'north',
      '--out',
      'output/plan.json',
      '--markdown',
      'output/plan.md',
    );
    expect(planned.exitCode).toBe(0);
    expect(planned.stdout).toMatch(/\+ mapped-metric revenue "Revenue"/);
    expect(planned.stdout).toContain('metric: "Placed Order"');
    expect(planned.stdout).toContain(
      "mapped metric refunded_sales waits for metric 'Refunded Order', which account NORTH1 does not have yet",
    );
    expect(await readFile(join(ws.cwd, 'output/plan.md'), 'utf8')).toContain(
      'Maps revenue to the metric `Placed Order`.',
    );
    const plan = await readPlan(ws);
    const revenue = plan.brands[0]!.resources.find((r) => r.kind === 'mapped-metric')!;
    expect(revenue).toMatchObject({
      key: 'revenue',
      action: { type: 'create', desired: { kind: 'mapped-metric', metric: 'Placed Order' } },
      cost: [{ operationId: 'update_mapped_metric', count: 1 }],
    });
    expect(plan.brands[0]!.cost.dailyCaps).toContainEqual({
      operationId: 'update_mapped_metric',
      label: 'metric mappings',
      planned: 1,
      cap: 30,
    });
    expect(plan.brands[0]!.resources.some((r) => r.key === 'refunded_sales')).toBe(false);

    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    expect(ws.account('north').mappedMetrics?.revenue?.metricId).toBe(metricId(ws, 'Placed Order'));
    expect(ws.account('north').mappedMetrics?.refunded_sales).toBeUndefined();

    const again = await cli(
      ws,
      'plan',
      '--brand',
      'north',
      '--out',
      'output/plan.json',
      '--detailed-exitcode',
    );
    expect(again.exitCode).toBe(0);
    expect((await readPlan(ws)).brands[0]!.resources.find((r) => r.key === 'revenue')!.action).toEqual({
      type: 'noop',
    });

    // A marketer points revenue at another metric in Klaviyo.
    const opened = metricId(ws, 'Opened Email');
    const status = await handEdit(ws, 'north', 'PATCH', '/api/mapped-metrics/revenue', {
      data: {
        type: 'mapped-metric',
        id: 'revenue',
        relationships: { metric: { data: { type: 'metric', id: opened } } },
      },
    });
    expect(status).toBe(200);

    const drift = await cli(ws, 'drift', '--brand', 'north', '--json');
    const report = JSON.parse(drift.stdout) as {
      drifted: boolean;
      brands: Array<{ items: Array<{ kind: string; key: string; fields: unknown[] }> }>;
    };
    expect(report.drifted).toBe(true);
    expect(report.brands[0]!.items).toContainEqual(
      expect.objectContaining({
        kind: 'mapped-metric',
        key: 'revenue',
        fields: [
          expect.objectContaining({ path: 'metric', klaviyo: 'Opened Email', repository: 'Placed Order' }),
        ],
      }),
    );

    const replanned = await cli(ws, 'plan', '--brand', 'north', '--out', 'output/plan.json');
    expect(replanned.stdout).toContain(
      'metric: "Opened Email" -> "Placed Order" (reverts an edit made in Klaviyo)',
    );
    const before = ws.sandbox.requestLog.length;
    const refused = await ws.apply({ brand: 'north' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/Refused: 1 hand edit to revert without --overwrite-hand-edits\./);
    expect(writesSince(ws, before)).toEqual([]);
    expect(ws.account('north').mappedMetrics?.revenue?.metricId).toBe(opened);

    expect((await ws.apply({ brand: 'north', overwriteHandEdits: true })).exitCode).toBe(0);
    expect(ws.account('north').mappedMetrics?.revenue?.metricId).toBe(metricId(ws, 'Placed Order'));
  });
});
