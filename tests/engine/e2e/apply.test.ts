/**
 * apply end to end: the example marketing content against empty sandbox accounts, then the edits a pull request
 * makes, conflicts, another account's key and reviewed plan files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseNameMarker } from '../../../src/engine/markers.js';
import type { Plan } from '../../../src/engine/plan.js';
import { editNorth, FIXTURE, prepareNorth, SPARE_TEMPLATE } from './edits.js';
import {
  handEdit,
  objectsPerKey,
  allObjectsPerKey,
  openWorkspace,
  readJsonLines,
  runRecords,
  writesSince,
  type Workspace,
} from './harness.js';

function onlyOnes(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 1));
}

async function readPlan(ws: Workspace, file = 'output/plan.json'): Promise<Plan> {
  return JSON.parse(await readFile(join(ws.cwd, file), 'utf8')) as Plan;
}

function changedResources(plan: Plan): string[] {
  return plan.brands.flatMap((b) =>
    b.resources.filter((r) => r.action.type !== 'noop').map((r) => `${r.kind}:${r.key}:${r.action.type}`),
  );
}

describe('apply (example content, sandbox accounts)', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('creates everything in empty accounts once; the next plan has no changes; the run is recorded without secrets', async () => {
    ws = await openWorkspace(FIXTURE);
    const applied = await ws.apply();
    expect(applied.stderr).toBeUndefined();
    expect(applied.exitCode).toBe(0);
    // The target was said through progress, before the first write; the result starts with the brands.
    expect(applied.stdout).toMatch(/^brand north /);
    expect(applied.stdout).toMatch(/Apply complete: 16 created, 0 updated, 0 deleted\.$/);

    const plan = await ws.plan({ detailedExitcode: true });
    expect(plan.exitCode).toBe(0);
    expect(changedResources(await readPlan(ws))).toEqual([]);

    for (const brand of ws.brands) {
      const counts = objectsPerKey(ws.account(brand.brand));
      expect(onlyOnes(counts)).toEqual({});
      expect(Object.keys(counts)).toHaveLength(brand.brand === 'north' ? 12 : 4);
      // Every live flow is live; every list, segment and flow carries the ownership tag.
      const account = ws.account(brand.brand);
      const statuses = Object.values(account.flows).map((f) => `${parseNameMarker(f.name)?.key}:${f.status}`);
      expect(statuses.sort()).toEqual(
        brand.brand === 'north' ? ['cart:live', 'vip:manual', 'welcome:live'] : ['welcome:live'],
      );
      const owner = Object.values(account.tags).find((t) => t.name === 'klaviyo-gitops')!;
      expect(owner.flows.sort()).toEqual(Object.keys(account.flows).sort());
      expect(owner.segments.sort()).toEqual(Object.keys(account.segments).sort());
      expect(owner.lists.sort()).toEqual(Object.keys(account.lists).sort());
    }

    const log = await readJsonLines(join(ws.cwd, 'logs/activity.log'));
    const creates = log.filter((e) => String(e.operation).startsWith('create_') && e.kind !== undefined);
    expect(creates).toHaveLength(16);
    // `reconciled`: a create whose answer came too late, found by its marker instead of sent twice.
    const unexpected = creates.filter(
      (e) =>
        !['ok', 'reconciled'].includes(String(e.outcome)) ||
        typeof e.id !== 'string' ||
        typeof e.time !== 'string',
    );
    expect(unexpected).toEqual([]);
    expect(new Set(creates.map((e) => e.id)).size).toBe(16);
    expect(log[0]).toMatchObject({
      brand: expect.any(String),
      run: expect.any(String),
      operation: expect.any(String),
    });

    const [record] = await runRecords(ws.cwd);
    expect(record).toMatchObject({ outcome: 'applied', summary: { created: 16, failed: 0 } });
    const brands = record!.brands as Array<{ resources: Array<{ outcome: string; id?: string }> }>;
    expect(brands.flatMap((b) => b.resources).every((r) => r.outcome === 'applied' && r.id)).toBe(true);

    const written = [
      await readFile(join(ws.cwd, 'logs/activity.log'), 'utf8'),
      JSON.stringify(record),
      applied.stdout,
    ];
    for (const brand of ws.brands) for (const text of written) expect(text).not.toContain(brand.key);
  });

  it('applies the example content (marketing/) to empty accounts; the next plan has no changes', async () => {
    ws = await openWorkspace(join(import.meta.dirname, '../../..'));
    const applied = await ws.apply();
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: \d+ created, 0 updated, 0 deleted\.$/);
    expect((await ws.plan({ detailedExitcode: true })).exitCode).toBe(0);
    for (const brand of ws.brands) {
      const counts = objectsPerKey(ws.account(brand.brand));
      expect(onlyOnes(counts)).toEqual({});
      expect(Object.keys(counts).filter((k) => k.startsWith('flow:')).length).toBeGreaterThan(0);
    }
  });

  it('plans exactly a pull request’s edits (a new step as a replace) and converges on apply', async () => {
    ws = await openWorkspace(FIXTURE);
    await prepareNorth(ws.dir);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const oldVip = Object.values(ws.account('north').flows).find((f) => f.name.endsWith('[kg:vip]'))!;

    await editNorth(ws.dir);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const plan = await readPlan(ws);
    expect(changedResources(plan)).toEqual([
      'segment:vip:update',
      `template:${SPARE_TEMPLATE}:delete`,
      // The subject is also the template's <title>: the template changes with it.
      'template:welcome-2:update',
      'flow:cart:update',
      'flow:vip:replace',
      'flow:welcome:update',
    ]);
    const steps = (key: string) => {
      const action = plan.brands[0]!.resources.find((r) => r.kind === 'flow' && r.key === key)!.action;
      return action.type === 'update'
        ? action.steps.flatMap((s) => s.changes.map((c) => `${s.step} ${c.path}`))
        : [];
    };
    expect(steps('cart')).toEqual(['wait-4h data.value']);
    expect(steps('welcome')).toEqual([
      'welcome-2 data.message.subject_line',
      'welcome-2 data.message.template_id',
    ]);

    // Deleting needs the flag; the refusal comes before any write.
    const before = ws.sandbox.requestLog.length;
    const refused = await ws.apply({ brand: 'north' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`template ${SPARE_TEMPLATE}`);
    expect(refused.stdout).toMatch(/Refused: 1 delete without --allow-destroy\. Nothing was written\.$/);
    expect(writesSince(ws, before)).toEqual([]);

    const applied = await ws.apply({ brand: 'north', allowDestroy: true });
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 0 created, 4 updated, 1 replaced, 1 deleted\.$/);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);

    const account = ws.account('north');
    expect(onlyOnes(objectsPerKey(account))).toEqual({});
    expect(objectsPerKey(account)[`template:${SPARE_TEMPLATE}`]).toBeUndefined();
    // The replaced flow: the new one in its status (manual), the old one kept in draft and detached (archive policy).
    const vips = Object.values(account.flows).filter((f) => f.name.endsWith('[kg:vip]'));
    expect(vips).toHaveLength(2);
    expect(account.flows[oldVip.id]!.status).toBe('draft');
    expect(vips.find((f) => f.id !== oldVip.id)!.status).toBe('manual');
    const archived = Object.values(account.tags).find((t) => t.name === 'klaviyo-gitops:archived')!;
    expect(archived.flows).toEqual([oldVip.id]);
    // The new delay and subject are on the live actions; the flow email holds a copy of the new template.
    const waits = Object.values(account.flowActions).filter(
      (a) => account.flows[a.flowId]?.name.endsWith('[kg:cart]') && a.definition.type === 'time-delay',
    );
    expect(waits.map((a) => (a.definition.data as { value?: number }).value)).toContain(6);
  });

  it('refuses an object edited by hand in Klaviyo since the plan; --force with --overwrite-hand-edits overwrites it', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    await editNorth(ws.dir, { deleteSpare: false });
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);

    const vip = Object.values(ws.account('north').segments).find((s) => s.name.endsWith('[kg:vip]'))!;
    const status = await handEdit(ws, 'north', 'PATCH', `/api/segments/${vip.id}`, {
      data: { type: 'segment', id: vip.id, attributes: { is_starred: false } },
    });
    expect(status).toBe(200);

    const before = ws.sandbox.requestLog.length;
    const refused = await ws.apply({ brand: 'north', plan: 'output/plan.json' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('brand north: 1 conflict: changed in Klaviyo since the plan');
    expect(refused.stdout).toContain(`segment vip (${vip.id}): changed in Klaviyo since the plan (updated `);
    // The starred flag was also edited since the last apply: reverting it is a hand-edit revert on its own.
    expect(refused.stdout).toContain(`segment vip (${vip.id}): edited in Klaviyo at `);
    expect(refused.stdout).toContain('apply reverts: isStarred');
    expect(refused.stdout).toMatch(
      /Refused: 1 conflict, 1 hand edit to revert without --overwrite-hand-edits\. Nothing was written\.$/,
    );
    expect(writesSince(ws, before)).toEqual([]);

    const forcedOnly = await ws.apply({ brand: 'north', plan: 'output/plan.json', force: true });
    expect(forcedOnly.exitCode).toBe(1);
    expect(forcedOnly.stdout).toMatch(/Refused: 1 hand edit to revert without --overwrite-hand-edits\./);
    expect(writesSince(ws, before)).toEqual([]);

    const forced = await ws.apply({
      brand: 'north',
      plan: 'output/plan.json',
      force: true,
      overwriteHandEdits: true,
    });
    expect(forced.exitCode).toBe(0);
    expect(ws.account('north').segments[vip.id]!.is_starred).toBe(true);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);
  });

  it('refuses a key of another account before any write', async () => {
    ws = await openWorkspace(FIXTURE);
    const before = ws.sandbox.requestLog.length;
    const southKey = ws.brands.find((b) => b.brand === 'south')!.key;
    const refused = await ws.apply({ brand: 'north' }, { KLAVIYO_API_KEY_NORTH: southKey });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(
      'Refused: brand north: the API key belongs to Klaviyo account SOUTH1, but the brand is configured for account NORTH1',
    );
    expect(writesSince(ws, before)).toEqual([]);
    expect(ws.sandbox.requestLog.slice(before).map((e) => e.operationId)).toEqual(['get_accounts']);
    expect(refused.stdout).not.toContain(southKey);
  });

  it('applies a reviewed plan file only while it is current and unedited', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.plan({ brand: 'north', out: 'output/reviewed.json' })).exitCode).toBe(2);
    const reviewedText = await readFile(join(ws.cwd, 'output/reviewed.json'), 'utf8');

    // Edited after review (a resource's body, fingerprints left as they were): refused, nothing read or written.
    const tampered = reviewedText.replace('"name": "North Newsletter"', '"name": "Our Newsletter"');
    expect(tampered).not.toBe(reviewedText);
    await writeFile(join(ws.cwd, 'output/tampered.json'), tampered);
    let before = ws.sandbox.requestLog.length;
    const edited = await ws.apply({ plan: 'output/tampered.json', force: true });
    expect(edited.exitCode).toBe(1);
    expect(edited.stdout).toBe(
      'Refused: output/tampered.json: the plan was edited after it was made (its fingerprints do not match its content); refusing to apply it. Nothing was written.',
    );
    expect(ws.sandbox.requestLog.length).toBe(before);

    // Stale: the code changed after the review. Refused even with --force: the new plan needs its own review.
    const vipPath = join(ws.dir, 'brands/north/segments/vip.yaml');
    const vip = await readFile(vipPath, 'utf8');
    await writeFile(vipPath, vip.replace('count: { at_least: 3 }', 'count: { at_least: 5 }'));
    before = ws.sandbox.requestLog.length;
    const stale = await ws.apply({ plan: 'output/reviewed.json', force: true });
    expect(stale.exitCode).toBe(1);
    expect(stale.stdout).toContain(
      'brand north: the plan has changed since it was reviewed (1 resource differ)',
    );
    expect(stale.stdout).toContain('segment vip: its content in the code differs from the reviewed plan');
    expect(writesSince(ws, before)).toEqual([]);

    // Back to the reviewed code: applied.
    await writeFile(vipPath, vip);
    const applied = await ws.apply({ plan: 'output/reviewed.json' });
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 12 created/);
    expect(onlyOnes(allObjectsPerKey(ws.account('north')))).toEqual({});

    // The same file once more: the remote changed since (this very apply); nothing is left to do, nothing written.
    before = ws.sandbox.requestLog.length;
    const again = await ws.apply({ plan: 'output/reviewed.json' });
    expect(again.exitCode).toBe(0);
    expect(writesSince(ws, before)).toEqual([]);
  });
});
