/**
 * Edits made in Klaviyo after an apply are never reverted unseen: the plan marks each revert, apply refuses it
 * without --overwrite-hand-edits, also from a fresh checkout with no local files (what was last applied lives in
 * Klaviyo), and an object whose name lost its key suffix is re-linked, never duplicated.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runApply } from '../../../src/commands/apply.js';
import type { CommandContext } from '../../../src/commands/command.js';
import { runPlan } from '../../../src/commands/plan.js';
import { runAsCli } from '../../../src/commands/cli-outcome.js';
import { CommandError } from '../../../src/commands/errors.js';
import { exitCodeOf } from '../../../src/commands/exit-codes.js';
import type { Plan } from '../../../src/engine/plan.js';
import { FIXTURE } from './edits.js';
import { handEdit, objectsPerKey, openWorkspace, writesSince, type Workspace } from './harness.js';

let ws: Workspace | undefined;
const fresh: string[] = [];
afterEach(async () => {
  await ws?.close();
  ws = undefined;
  for (const dir of fresh.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A new checkout of the repository: the marketing files only, nothing a previous run left behind. */
async function freshCheckout(
  from: Workspace,
): Promise<CommandContext & { deps: Parameters<typeof runPlan>[2] }> {
  const cwd = await mkdtemp(join(tmpdir(), 'kg-fresh-'));
  fresh.push(cwd);
  await cp(from.dir, join(cwd, 'marketing'), { recursive: true });
  return {
    cwd,
    env: from.env,
    progress: () => undefined,
    deps: { targets: { client: { clock: from.clock, maxRetries: 8 } }, now: from.clock.date },
  };
}

function north(ws: Workspace) {
  const account = ws.account('north');
  const find = <T extends { name: string }>(objects: Record<string, T>, key: string): [string, T] =>
    Object.entries(objects).find(([, o]) => o.name.endsWith(`[kg:${key}]`))!;
  return { account, find };
}

/** The three edits a marketer makes in Klaviyo: a template's HTML, a segment's name, a live flow paused. */
async function editInKlaviyo(
  ws: Workspace,
): Promise<{ templateId: string; segmentId: string; flowId: string }> {
  const { account, find } = north(ws);
  const [templateId, template] = Object.entries(account.templates).find(([, t]) =>
    String(t.html).includes('klaviyo-gitops:template=welcome-1 '),
  )!;
  const html = String(template.html).replace('</body>', '<p>Free shipping this week only</p></body>');
  const [segmentId] = find(account.segments, 'vip');
  const [flowId] = find(account.flows, 'welcome');
  const edits: Array<[string, string, unknown]> = [
    [
      'PATCH',
      `/api/templates/${templateId}`,
      { data: { type: 'template', id: templateId, attributes: { html } } },
    ],
    [
      'PATCH',
      `/api/segments/${segmentId}`,
      { data: { type: 'segment', id: segmentId, attributes: { name: 'VIP shoppers [kg:vip]' } } },
    ],
    [
      'PATCH',
      `/api/flows/${flowId}`,
      { data: { type: 'flow', id: flowId, attributes: { status: 'manual' } } },
    ],
  ];
  for (const [method, path, body] of edits) expect(await handEdit(ws, 'north', method, path, body)).toBe(200);
  return { templateId, segmentId, flowId };
}

const readPlanFile = async (cwd: string): Promise<Plan> =>
  JSON.parse(await readFile(join(cwd, 'output/plan.json'), 'utf8')) as Plan;

describe('hand edits in Klaviyo', () => {
  it('marks each revert in the plans and refuses to apply it without --overwrite-hand-edits', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const { templateId, segmentId, flowId } = await editInKlaviyo(ws);

    const planCtx = { cwd: ws.cwd, env: ws.env, progress: () => undefined };
    const planned = await runAsCli(
      runPlan(
        { dir: 'marketing', brand: 'north', markdown: 'output/plan.md', detailedExitcode: true },
        planCtx,
        { targets: { client: { clock: ws.clock } }, now: ws.clock.date },
      ),
      {},
      planCtx,
    );
    expect(planned.exitCode).toBe(2);
    expect(planned.stdout).toContain('! edited in Klaviyo at ');
    expect(planned.stdout).toMatch(/apply reverts: html\b/);
    expect(planned.stdout).toContain('apply reverts: name');
    expect(planned.stdout).toContain('apply reverts: status');
    expect(planned.stdout).toContain('status: "manual" -> "live" (reverts an edit made in Klaviyo)');
    expect(planned.stdout).toContain('klaviyo-gitops pull --brand north');
    const markdown = await readFile(join(ws.cwd, 'output/plan.md'), 'utf8');
    expect(markdown).toContain('**Reverts edits made in Klaviyo**');
    expect(markdown).toContain('(reverts an edit made in Klaviyo)');

    const plan = await readPlanFile(ws.cwd);
    const byKey = new Map(plan.brands[0]!.resources.map((r) => [`${r.kind}:${r.key}`, r]));
    expect(byKey.get('template:welcome-1')!.handEdit).toMatchObject({ type: 'edited', paths: ['html'] });
    expect(byKey.get('segment:vip')!.handEdit).toMatchObject({ type: 'edited', paths: ['name'] });
    expect(byKey.get('flow:welcome')!.handEdit).toMatchObject({ type: 'edited', paths: ['status'] });
    // Nothing else is called a hand edit.
    expect([...byKey.values()].filter((r) => r.handEdit).map((r) => `${r.kind}:${r.key}`)).toEqual([
      'segment:vip',
      'template:welcome-1',
      'flow:welcome',
    ]);

    const before = ws.sandbox.requestLog.length;
    const refused = await ws.apply({ brand: 'north' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/Refused: 3 hand edits to revert without --overwrite-hand-edits\./);
    expect(writesSince(ws, before)).toEqual([]);

    // The same from a fresh checkout: what was last applied is read from Klaviyo, not from local files.
    const checkout = await freshCheckout(ws);
    const freshPlan = await runPlan(
      { dir: 'marketing', brand: 'north', detailedExitcode: true },
      checkout,
      checkout.deps,
    );
    expect(exitCodeOf(freshPlan)).toBe(2);
    expect(
      freshPlan.plan.brands[0]!.resources.find((r) => r.key === 'welcome' && r.kind === 'flow')!.handEdit,
    ).toMatchObject({ type: 'edited', paths: ['status'] });
    const freshApply = await runApply(
      { dir: 'marketing', brand: 'north', allowDestroy: false, force: false, autoApprove: true },
      checkout,
      checkout.deps,
    ).catch((error: unknown) => error);
    expect(freshApply).toBeInstanceOf(CommandError);
    expect(freshApply).toMatchObject({ kind: 'refused', details: { reason: 'conflict' } });
    expect((freshApply as CommandError).details.refusals!.map((r) => r.type)).toEqual(['hand-edits']);
    expect((freshApply as CommandError).message).toMatch(/Refused: 3 hand edits/);
    expect(writesSince(ws, before)).toEqual([]);

    const overwritten = await ws.apply({ brand: 'north', overwriteHandEdits: true });
    expect(overwritten.exitCode).toBe(0);
    const { account } = north(ws);
    expect(account.flows[flowId]!.status).toBe('live');
    expect(account.segments[segmentId]!.name).toBe('VIP customers [kg:vip]');
    expect(String(account.templates[templateId]!.html)).not.toContain('Free shipping this week only');
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);
  });

  it('takes a change in the code as a change, not a revert', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    // A status change in the code: the plan calls it a code change, and apply does not refuse it.
    const flowFile = join(ws.dir, 'brands/north/flows/welcome.yaml');
    const text = await readFile(flowFile, 'utf8');
    await writeFile(flowFile, text.replace('status: live', 'status: manual'));
    const planned = await ws.plan({ brand: 'north' });
    expect(planned.exitCode).toBe(2);
    const plan = await readPlanFile(ws.cwd);
    const welcome = plan.brands[0]!.resources.find((r) => r.kind === 'flow' && r.key === 'welcome')!;
    expect(welcome.handEdit).toBeUndefined();
    expect(welcome.action.type === 'update' && welcome.action.changes[0]).toMatchObject({
      path: 'status',
      origin: 'code',
    });
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);
  });

  it("takes a change as the code's when the repository already holds the value edited in Klaviyo", async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const { account, find } = north(ws);
    const [segmentId, segment] = find(account.segments, 'vip');
    const definition = structuredClone(segment.definition) as {
      condition_groups: Array<{ conditions: Array<{ measurement_filter?: { value: number } }> }>;
    };
    definition.condition_groups[1]!.conditions[0]!.measurement_filter!.value = 5;
    const body = { data: { type: 'segment', id: segmentId, attributes: { definition } } };
    expect(await handEdit(ws, 'north', 'PATCH', `/api/segments/${segmentId}`, body)).toBe(200);
    // The repository takes the same count and changes the tier: applying reverts nothing of Klaviyo's.
    const file = join(ws.dir, 'brands/north/segments/vip.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('at_least: 3', 'at_least: 5').replace('equals: Gold', 'equals: Platinum'),
    );
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const vip = (await readPlanFile(ws.cwd)).brands[0]!.resources.find(
      (r) => r.key === 'vip' && r.kind === 'segment',
    )!;
    expect(vip.handEdit).toBeUndefined();
    expect(vip.action.type === 'update' && vip.action.changes).toEqual([
      expect.objectContaining({ path: 'definition', origin: 'code' }),
    ]);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
  });

  it('re-links a segment whose name lost its key suffix instead of creating a duplicate', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const { account, find } = north(ws);
    const [segmentId] = find(account.segments, 'vip');
    const status = await handEdit(ws, 'north', 'PATCH', `/api/segments/${segmentId}`, {
      data: { type: 'segment', id: segmentId, attributes: { name: 'VIP customers' } },
    });
    expect(status).toBe(200);

    const planned = await ws.plan({ brand: 'north' });
    expect(planned.exitCode).toBe(2);
    expect(planned.stdout).toContain(
      're-linked: its name in Klaviyo, "VIP customers", lost the [kg:vip] suffix (the applied record knows its id)',
    );
    const plan = await readPlanFile(ws.cwd);
    const vip = plan.brands[0]!.resources.find((r) => r.kind === 'segment' && r.key === 'vip')!;
    expect(vip.action.type).toBe('update');
    expect(vip.id).toBe(segmentId);
    // Only the suffix went: the display name is unchanged, so restoring it reverts nothing of the marketer's.
    expect(vip.handEdit).toBeUndefined();

    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    expect(north(ws).account.segments[segmentId]!.name).toBe('VIP customers [kg:vip]');
    expect(objectsPerKey(north(ws).account)['segment:vip']).toBe(1);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);
  });

  it('refuses to create beside a tagged object it cannot link, naming the way to re-link', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const { account, find } = north(ws);
    const [segmentId] = find(account.segments, 'vip');
    // A new key in code, and the old object renamed and stripped of its suffix: nothing ties the two.
    const file = join(ws.dir, 'brands/north/segments/vip.yaml');
    await cp(file, join(ws.dir, 'brands/north/segments/top-buyers.yaml'));
    await rm(file);
    const flow = join(ws.dir, 'brands/north/flows/vip.yaml');
    await writeFile(flow, (await readFile(flow, 'utf8')).replace('segment: vip', 'segment: top-buyers'));
    expect(
      await handEdit(ws, 'north', 'PATCH', `/api/segments/${segmentId}`, {
        data: { type: 'segment', id: segmentId, attributes: { name: 'Best customers' } },
      }),
    ).toBe(200);
    const planned = await ws.plan({ brand: 'north' });
    expect(planned.exitCode).toBe(1);
    expect(planned.stdout).toContain(
      `segment 'Best customers' (${segmentId}) carries the klaviyo-gitops tag but its name lost the [kg:<key>] suffix`,
    );
    expect(planned.stdout).toContain(`renaming it in Klaviyo to 'Best customers [kg:top-buyers]'`);
    const before = ws.sandbox.requestLog.length;
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(1);
    expect(writesSince(ws, before)).toEqual([]);
  });
});
