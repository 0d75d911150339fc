/**
 * `pull` keeps edits made in Klaviyo: each is written into the file that declares the object, only the keys
 * concerned change, the next plan has nothing left to revert, and a change made in the repository survives.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import type { Plan } from '../../../src/engine/plan.js';
import { FIXTURE, prepareNorth, SPARE_TEMPLATE } from './edits.js';
import { handEdit, openWorkspace, type Workspace } from './harness.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const NORTH = 'marketing/brands/north';

async function pull(w: Workspace, ...args: string[]) {
  return runCli(['pull', '--brand', 'north', ...args], {
    cwd: w.cwd,
    env: w.env,
    progress: () => undefined,
  });
}

const read = (w: Workspace, file: string) => readFile(join(w.cwd, file), 'utf8');

/** The north account's object carrying `[kg:key]` (or, for templates, the key's marker). */
function find(w: Workspace, kind: 'segments' | 'flows', key: string): string {
  const objects = w.account('north')[kind] as Record<string, { name: string }>;
  return Object.entries(objects).find(([, o]) => o.name.endsWith(`[kg:${key}]`))![0];
}

function templateId(w: Workspace, key: string): string {
  const templates = w.account('north').templates;
  return Object.entries(templates).find(
    ([, t]) => !t.ownerMessageId && String(t.html).includes(`klaviyo-gitops:template=${key} `),
  )![0];
}

async function editTemplate(
  w: Workspace,
  key: string,
  part: 'html' | 'text',
  from: string,
  to: string,
): Promise<void> {
  const id = templateId(w, key);
  const current = String(w.account('north').templates[id]![part]);
  expect(current).toContain(from);
  const body = { data: { type: 'template', id, attributes: { [part]: current.replace(from, to) } } };
  expect(await handEdit(w, 'north', 'PATCH', `/api/templates/${id}`, body)).toBe(200);
}

const editTemplateHtml = (w: Workspace, key: string, from: string, to: string) =>
  editTemplate(w, key, 'html', from, to);

/** Edits one action of a flow as the flow editor would: the whole action sent back with one change. */
async function editAction(
  w: Workspace,
  flow: string,
  type: string,
  edit: (data: Record<string, unknown>) => void,
): Promise<void> {
  const flowId = find(w, 'flows', flow);
  const [id, action] = Object.entries(w.account('north').flowActions).find(
    ([, a]) => a.flowId === flowId && a.definition.type === type,
  )!;
  const definition = structuredClone(action.definition) as Record<string, unknown>;
  edit(definition.data as Record<string, unknown>);
  const body = { data: { type: 'flow-action', id, attributes: { definition } } };
  expect(await handEdit(w, 'north', 'PATCH', `/api/flow-actions/${id}`, body)).toBe(200);
}

/** The vip segment renamed, and its order count raised from 3 to 5. */
async function editVipSegment(w: Workspace): Promise<void> {
  const id = find(w, 'segments', 'vip');
  const definition = structuredClone(w.account('north').segments[id]!.definition) as {
    condition_groups: Array<{ conditions: Array<Record<string, unknown>> }>;
  };
  const orders = definition.condition_groups[1]!.conditions[0]!;
  (orders.measurement_filter as Record<string, unknown>).value = 5;
  const body = {
    data: { type: 'segment', id, attributes: { name: 'VIP shoppers [kg:vip]', definition } },
  };
  expect(await handEdit(w, 'north', 'PATCH', `/api/segments/${id}`, body)).toBe(200);
}

/** The welcome flow paused, and its split on orders raised from one order to two. */
async function editWelcomeFlow(w: Workspace): Promise<void> {
  const id = find(w, 'flows', 'welcome');
  const body = { data: { type: 'flow', id, attributes: { status: 'manual' } } };
  expect(await handEdit(w, 'north', 'PATCH', `/api/flows/${id}`, body)).toBe(200);
  await editAction(w, 'welcome', 'conditional-split', (data) => {
    const filter = data.profile_filter as {
      condition_groups: Array<{ conditions: Array<Record<string, unknown>> }>;
    };
    (filter.condition_groups[0]!.conditions[0]!.measurement_filter as Record<string, unknown>).value = 2;
  });
}

async function renameNewsletter(w: Workspace): Promise<void> {
  const lists = w.account('north').lists as Record<string, { name: string }>;
  const [id] = Object.entries(lists).find(([, l]) => l.name.endsWith('[kg:newsletter]'))!;
  const body = { data: { type: 'list', id, attributes: { name: 'North Ridge Letter [kg:newsletter]' } } };
  expect(await handEdit(w, 'north', 'PATCH', `/api/lists/${id}`, body)).toBe(200);
}

async function cartEmailAndDelay(w: Workspace): Promise<void> {
  await editAction(w, 'cart', 'send-email', (data) => {
    (data.message as Record<string, unknown>).subject_line = 'Your cart misses you';
  });
  await editAction(w, 'cart', 'time-delay', (data) => {
    data.value = 6;
  });
}

const planFile = async (w: Workspace): Promise<Plan> => JSON.parse(await read(w, 'output/plan.json')) as Plan;

describe('pull', () => {
  it('writes each edit made in Klaviyo into its file, so the next plan has no changes', async () => {
    ws = await openWorkspace(FIXTURE);
    await prepareNorth(ws.dir);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const files = {
      template: `${NORTH}/templates/${SPARE_TEMPLATE}.html`,
      text: `${NORTH}/templates/${SPARE_TEMPLATE}.txt`,
      list: `${NORTH}/lists/newsletter.yaml`,
      segment: `${NORTH}/segments/vip.yaml`,
      welcome: `${NORTH}/flows/welcome.yaml`,
      cart: `${NORTH}/flows/cart.yaml`,
    };
    const before = Object.fromEntries(
      await Promise.all(Object.entries(files).map(async ([k, f]) => [k, await read(ws!, f)] as const)),
    );

    await editTemplateHtml(ws, SPARE_TEMPLATE, 'saved for a week.', 'saved for 30 days.');
    await editTemplate(ws, SPARE_TEMPLATE, 'text', 'saved for a week.', 'saved for 30 days.');
    await renameNewsletter(ws);
    await editVipSegment(ws);
    await editWelcomeFlow(ws);
    await cartEmailAndDelay(ws);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);

    const pulled = await pull(ws);
    expect(pulled.stderr ?? '').toBe('');
    expect(pulled.stdout.split('\n').filter((l) => /^[~+] /.test(l))).toEqual([
      `~ ${files.list}: list newsletter: name "North Newsletter" -> "North Ridge Letter"`,
      `~ ${files.segment}: segment vip: name "VIP customers" -> "VIP shoppers", conditions (all)`,
      `~ ${files.template}: template ${SPARE_TEMPLATE}: html (body line 9)`,
      `~ ${files.text}: template ${SPARE_TEMPLATE}: text (line 3)`,
      `~ ${files.cart}: flow cart: wait-4h wait.hours 4 -> 6, cart-1 email.subject "Still thinking it over?" -> "Your cart misses you"`,
      `~ ${files.welcome}: flow welcome: status "live" -> "manual", ordered split.if.0.count.at_least 1 -> 2`,
    ]);
    expect(pulled.stdout).toContain('Pulled 9 edits into 6 files; review with git diff and commit');
    expect(pulled.exitCode).toBe(0);

    // Only the keys concerned changed; the rest of each file is byte for byte what it was.
    const after = async (key: keyof typeof files) => read(ws!, files[key]);
    expect(await after('template')).toBe(
      before.template!.replace('saved for a week.</p>', 'saved for 30 days.</p>'),
    );
    expect(await after('text')).toBe(before.text!.replace('saved for a week.', 'saved for 30 days.'));
    expect(await after('list')).toBe(before.list!.replace('North Newsletter', 'North Ridge Letter'));
    expect(await after('segment')).toBe(
      before
        .segment!.replace('name: VIP customers', 'name: VIP shoppers')
        .replace('at_least: 3', 'at_least: 5'),
    );
    expect(await after('welcome')).toBe(
      before
        .welcome!.replace('status: live', 'status: manual')
        .replace(
          '{ metric: Placed Order, since: flow_start }',
          '{ metric: Placed Order, since: flow_start, count: { at_least: 2 } }',
        ),
    );
    expect(await after('cart')).toBe(
      before
        .cart!.replace('wait: { hours: 4 }', 'wait: { hours: 6 }')
        .replace('subject: "Still thinking it over?"', 'subject: "Your cart misses you"'),
    );

    const again = await ws.plan({ brand: 'north' });
    expect(again.stdout).toContain('No changes');
    expect(again.exitCode).toBe(0);
  });

  it('keeps the changes made in the repository, merging them with an edit of the same segment', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const engaged = `${NORTH}/segments/engaged.yaml`;
    const vip = `${NORTH}/segments/vip.yaml`;
    // Not applied yet: another segment's condition, and the vip segment's tier.
    const engagedInCode = (await read(ws, engaged)).replace(
      'count: { at_least: 1 }',
      'count: { at_least: 2 }',
    );
    await writeFile(join(ws.cwd, engaged), engagedInCode);
    const vipInCode = (await read(ws, vip)).replace('equals: Gold', 'equals: Platinum');
    await writeFile(join(ws.cwd, vip), vipInCode);
    await editVipSegment(ws);

    const pulled = await pull(ws);
    expect(pulled.exitCode).toBe(0);
    expect(pulled.stdout).toContain(
      `~ ${vip}: segment vip: name "VIP customers" -> "VIP shoppers", conditions (all, merged with the repository's own change)`,
    );
    expect(await read(ws, engaged)).toBe(engagedInCode);
    expect(await read(ws, vip)).toBe(
      vipInCode.replace('name: VIP customers', 'name: VIP shoppers').replace('at_least: 3', 'at_least: 5'),
    );

    // Both repository changes are still planned, as changes of the code; nothing reverts an edit any more.
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const changed = (await planFile(ws)).brands[0]!.resources.filter((r) => r.action.type !== 'noop');
    expect(changed.map((r) => [`${r.kind}:${r.key}`, r.handEdit])).toEqual([
      ['segment:engaged', undefined],
      ['segment:vip', undefined],
    ]);
    for (const r of changed)
      expect(r.action.type === 'update' && r.action.changes).toEqual([
        expect.objectContaining({ path: 'definition', origin: 'code' }),
      ]);
  });

  it("writes an edit of the shared layout as a standalone template, and one of a flow email's template in place", async () => {
    ws = await openWorkspace(FIXTURE);
    await prepareNorth(ws.dir);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const spare = `${NORTH}/templates/${SPARE_TEMPLATE}.html`;
    const welcome = `${NORTH}/templates/welcome-1.html`;
    const welcomeBefore = await read(ws, welcome);
    await editTemplateHtml(ws, SPARE_TEMPLATE, 'max-width:600px;', 'max-width:640px;');
    await editTemplateHtml(ws, 'welcome-1', 'Your first-order code is inside.', 'Your 15% code is inside.');
    const spareId = templateId(ws, SPARE_TEMPLATE);

    const pulled = await pull(ws);
    expect(pulled.exitCode).toBe(0);
    expect(pulled.stdout).toContain(
      `~ ${spare}: template ${SPARE_TEMPLATE}: html (the whole email as the body, layout dropped)`,
    );
    expect(pulled.stdout).toContain(
      `template ${SPARE_TEMPLATE}: written standalone: the edit touched the shared layout (marketing/shared/layouts/base.html:5)`,
    );
    expect(pulled.stdout).toContain(
      'template welcome-1: the flow emails that use it keep their copy of the old version until the next apply re-assigns it (flow welcome step welcome-1)',
    );
    const standalone = await read(ws, spare);
    expect(standalone).not.toMatch(/^layout:/m);
    expect(standalone).toContain('max-width:640px;');
    expect(standalone.split('---\n')[2]).toBe(
      String(ws.account('north').templates[spareId]!.html).replace(
        /<!-- klaviyo-gitops:template=[^>]*-->\n/,
        '',
      ),
    );
    expect(await read(ws, welcome)).toBe(
      welcomeBefore.replace('Your first-order code is inside.</p>', 'Your 15% code is inside.</p>'),
    );

    // What is left is the announced re-assignment; once applied, nothing.
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const changed = (await planFile(ws)).brands[0]!.resources.filter((r) => r.action.type !== 'noop');
    expect(changed.map((r) => `${r.kind}:${r.key}`)).toEqual(['flow:welcome']);
    const welcomeFlow = changed[0]!.action;
    expect(welcomeFlow.type === 'update' && welcomeFlow.steps.map((s) => s.changes)).toEqual([
      [
        expect.objectContaining({
          path: 'data.message.template_id',
          cause: 'template welcome-1 changed',
          origin: 'code',
        }),
      ],
    ]);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(0);
  });

  it('lists what it cannot pull, says how to keep it, and leaves those files alone', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const engaged = `${NORTH}/segments/engaged.yaml`;
    const cart = `${NORTH}/flows/cart.yaml`;
    const before = [await read(ws, engaged), await read(ws, cart)];
    const engagedId = find(ws, 'segments', 'engaged');
    expect(await handEdit(ws, 'north', 'DELETE', `/api/segments/${engagedId}`, undefined)).toBe(204);
    // An email edited in the flow editor: Klaviyo changes the flow's own copy of the template.
    const account = ws.account('north');
    const flowId = find(ws, 'flows', 'cart');
    const copy = Object.values(account.templates).find(
      (t) =>
        t.ownerMessageId !== undefined &&
        account.flowMessages[t.ownerMessageId]?.actionId !== undefined &&
        account.flowActions[account.flowMessages[t.ownerMessageId]!.actionId]?.flowId === flowId,
    )!;
    copy.html = String(copy.html).replace('Your cart is saved for a week.', 'Your cart is saved, come back!');
    account.flows[flowId]!.updated = new Date(ws.clock.now()).toISOString();

    const pulled = await pull(ws);
    expect(pulled.exitCode).toBe(1);
    expect(pulled.stdout).toContain('Not pulled (2):');
    expect(pulled.stdout).toContain(`segment engaged: deleted in Klaviyo since the last apply (`);
    expect(pulled.stdout).toContain(`to keep the deletion, \`git rm ${engaged}\``);
    expect(pulled.stdout).toContain(
      "flow cart steps.cart-1.data.message.template_id: step cart-1's email was edited in Klaviyo's flow editor",
    );
    expect(pulled.stdout).toContain(
      'Pulled 0 edits into 0 files; review with git diff and commit; 2 not pulled',
    );
    expect([await read(ws, engaged), await read(ws, cart)]).toEqual(before);
  });

  it('writes a step field a blueprint takes from a parameter under with:, and says why another cannot be', async () => {
    ws = await openWorkspace(FIXTURE);
    await mkdir(join(ws.dir, 'shared/blueprints'), { recursive: true });
    await writeFile(
      join(ws.dir, 'shared/blueprints/reminder.yaml'),
      [
        'description: A reminder some hours after joining a list.',
        'parameters:',
        '  wait_hours: { type: integer, default: 2 }',
        'flow:',
        '  trigger: { list: early-access }',
        '  steps:',
        '    - id: wait',
        '      wait: { hours: "${wait_hours}" }',
        '    - id: reminder',
        '      email: { template: vip-thanks, subject: "Early access is open" }',
        '',
      ].join('\n'),
    );
    const flowFile = `${NORTH}/flows/reminder.yaml`;
    const flowText =
      'name: Early access reminder\nstatus: live\nextends: reminder # the shared one\nwith: { wait_hours: 3 }\n';
    await writeFile(join(ws.cwd, flowFile), flowText);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    await editAction(ws, 'reminder', 'time-delay', (data) => {
      data.value = 5;
    });
    await editAction(ws, 'reminder', 'send-email', (data) => {
      (data.message as Record<string, unknown>).subject_line = 'Early access ends Friday';
    });

    const pulled = await pull(ws);
    expect(pulled.exitCode).toBe(1);
    expect(pulled.stdout).toContain(`~ ${flowFile}: flow reminder: with.wait_hours 3 -> 5`);
    expect(pulled.stdout).toContain(
      'flow reminder steps.reminder.data.message.subject_line: the flow extends blueprint reminder, which sets reminder email.subject itself, not from a parameter: change it in marketing/shared/blueprints/reminder.yaml',
    );
    expect(await read(ws, flowFile)).toBe(flowText.replace('{ wait_hours: 3 }', '{ wait_hours: 5 }'));
    // The parameter now says 5 hours; the subject is still Klaviyo's edit, planned as a revert.
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const reminder = (await planFile(ws)).brands[0]!.resources.find((r) => r.key === 'reminder')!;
    expect(reminder.handEdit).toMatchObject({ paths: ['steps.reminder.data.message.subject_line'] });
    expect(reminder.action.type === 'update' && reminder.action.steps.map((s) => s.step)).toEqual([
      'reminder',
    ]);
  });

  it('says what else the next plan changes because of a pulled edit', async () => {
    ws = await openWorkspace(FIXTURE);
    expect((await ws.apply({ brand: 'north' })).exitCode).toBe(0);
    const lists = ws.account('north').lists as Record<string, { name: string }>;
    const [id] = Object.entries(lists).find(([, l]) => l.name.endsWith('[kg:early-access]'))!;
    const body = { data: { type: 'list', id, attributes: { name: 'Insiders [kg:early-access]' } } };
    expect(await handEdit(ws, 'north', 'PATCH', `/api/lists/${id}`, body)).toBe(200);

    const pulled = await pull(ws);
    expect(pulled.exitCode).toBe(0);
    expect(pulled.stdout).toContain(
      `~ ${NORTH}/lists/early-access.yaml: list early-access: name "Early access" -> "Insiders"`,
    );
    // The vip flow's list step is named after the list in the repository; Klaviyo kept the old step name.
    expect(pulled.stdout).toContain(
      'the next plan also changes flow vip steps.add-early-access.data.name: it follows from the pulled files',
    );
    expect((await ws.plan({ brand: 'north' })).exitCode).toBe(2);
    const changed = (await planFile(ws)).brands[0]!.resources.filter((r) => r.action.type !== 'noop');
    expect(changed.map((r) => [`${r.kind}:${r.key}`, r.handEdit])).toEqual([['flow:vip', undefined]]);
  });

  it('refuses usage errors with exit 2', async () => {
    ws = await openWorkspace(FIXTURE);
    const unknown = await pull(ws, '--brand', 'nowhere');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown brand 'nowhere'");
    const flag = await runCli(['pull', '--force'], { cwd: ws.cwd, env: ws.env, progress: () => undefined });
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('Usage: klaviyo-gitops pull [--dir marketing] [--brand B]');
  });
});
