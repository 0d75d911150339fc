import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, fixture, flowBody, flowWorld, KEY, type FlowWorld } from './helpers.js';

let sandbox: RunningSandbox;
let world: FlowWorld;
beforeEach(async () => {
  sandbox = await startSandbox({ enforceRateLimits: false });
  world = await flowWorld(sandbox);
});
afterEach(() => sandbox.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON:API documents are read loosely in tests
type Doc = any;

async function createFlow(body = flowBody(world)): Promise<Doc> {
  const res = await api(sandbox, 'POST', '/api/flows?additional-fields[flow]=definition', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

function actionByType(definition: Doc, type: string): Doc {
  return definition.actions.find((a: Doc) => a.type === type);
}

describe('create_flow', () => {
  it('turns temporary ids into real ids and rewrites every link', async () => {
    const flow = await createFlow();
    const def = flow.attributes.definition;
    const ids = def.actions.map((a: Doc) => a.id);
    expect(ids).toHaveLength(8);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(def.actions.every((a: Doc) => a.temporary_id === undefined)).toBe(true);
    expect(ids).toContain(def.entry_action_id);
    const links = def.actions
      .flatMap((a: Doc) => Object.values(a.links ?? {}))
      .filter((l: unknown) => l !== null);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(ids).toContain(link);
    const split = actionByType(def, 'conditional-split');
    expect(ids).toContain(split.links.next_if_true);
    expect(ids).toContain(split.links.next_if_false);
    const ab = actionByType(def, 'ab-test');
    expect(ab.data.main_action.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(ab.data.main_action.temporary_id).toBeUndefined();
    expect(ab.data.current_experiment.variations[0].id).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('creates the flow in draft with the trigger type of its trigger, ignoring a status in the body', async () => {
    const body = flowBody(world);
    body.data.attributes.status = 'live';
    const flow = await createFlow(body);
    expect(flow.id).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(flow.attributes).toMatchObject({
      status: 'draft',
      archived: false,
      trigger_type: 'Added to List',
    });
    expect(flow.links.self).toBe(`${sandbox.url}/api/flows/${flow.id}/`);
  });

  it('hides the definition unless additional-fields asks for it', async () => {
    const flow = await createFlow();
    const plain = await api(sandbox, 'GET', `/api/flows/${flow.id}`);
    expect(plain.body.data.attributes.definition).toBeUndefined();
    const full = await api(sandbox, 'GET', `/api/flows/${flow.id}?additional-fields[flow]=definition`);
    expect(full.body.data.attributes.definition).toEqual(flow.attributes.definition);
  });

  it('refuses a link to no action, pointing at it', async () => {
    const body = flowBody(world);
    body.data.attributes.definition.actions[0].links.next = 'nowhere';
    const res = await api(sandbox, 'POST', '/api/flows', body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/definition/actions/0/links/next');
    expect(sandbox.account(KEY).counts().flows).toBe(0);
  });

  it.each([
    ['template', '/data/attributes/definition/actions/1/data/message/template_id'],
    ['list', '/data/attributes/definition/triggers/0/id'],
    [
      'metric',
      '/data/attributes/definition/actions/3/data/profile_filter/condition_groups/0/conditions/0/metric_id',
    ],
  ])('refuses an unknown %s id, pointing at it', async (kind, pointer) => {
    const body = flowBody(world);
    const bad =
      kind === 'template' ? world.templates.welcome : kind === 'list' ? world.listId : world.metricId;
    const text = JSON.stringify(body).replaceAll(JSON.stringify(bad), '"Zz9Zz9"');
    const res = await api(sandbox, 'POST', '/api/flows', JSON.parse(text));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].source.pointer).toBe(pointer);
    expect(sandbox.account(KEY).counts()).toMatchObject({ flows: 0, flowActions: 0, flowTemplates: 0 });
  });

  it('lists actions and their messages', async () => {
    const flow = await createFlow();
    const actions = await api(sandbox, 'GET', `/api/flows/${flow.id}/flow-actions`);
    expect(actions.body.data).toHaveLength(8);
    const emails = await api(
      sandbox,
      'GET',
      `/api/flows/${flow.id}/flow-actions?filter=${encodeURIComponent('equals(action_type,"SEND_EMAIL")')}`,
    );
    expect(emails.body.data).toHaveLength(1);
    const email = emails.body.data[0];
    const messages = await api(sandbox, 'GET', `/api/flow-actions/${email.id}/flow-messages`);
    expect(messages.body.data).toHaveLength(1);
    expect(messages.body.data[0].attributes).toMatchObject({ channel: 'email' });
    expect(messages.body.data[0].id).toBe(email.attributes.definition.data.message.id);
    const ab = actionByType(flow.attributes.definition, 'ab-test');
    const abMessages = await api(sandbox, 'GET', `/api/flow-actions/${ab.id}/flow-messages`);
    expect(abMessages.body.data).toHaveLength(2);
  });
});

describe('the flow email template copy', () => {
  it('keeps a private copy of the template, unaffected by later template edits, until the action is updated', async () => {
    const flow = await createFlow();
    const email = actionByType(flow.attributes.definition, 'send-email');
    const copyId = email.data.message.template_id;
    expect(copyId).not.toBe(world.templates.welcome);

    const templates = await api(sandbox, 'GET', '/api/templates');
    expect(templates.body.data.map((t: Doc) => t.id)).not.toContain(copyId);

    const messageId = email.data.message.id;
    const before = await api(sandbox, 'GET', `/api/flow-messages/${messageId}/template`);
    expect(before.body.data).toMatchObject({ id: copyId, attributes: { html: '<p>Welcome v1</p>' } });

    const edit = await api(sandbox, 'PATCH', `/api/templates/${world.templates.welcome}`, {
      data: { type: 'template', id: world.templates.welcome, attributes: { html: '<p>Welcome v2</p>' } },
    });
    expect(edit.status).toBe(200);
    const stale = await api(sandbox, 'GET', `/api/flow-messages/${messageId}/template`);
    expect(stale.body.data.attributes.html).toBe('<p>Welcome v1</p>');

    const update = await api(sandbox, 'PATCH', `/api/flow-actions/${email.id}`, {
      data: {
        type: 'flow-action',
        id: email.id,
        attributes: {
          definition: {
            ...email,
            data: { ...email.data, message: { ...email.data.message, template_id: world.templates.welcome } },
          },
        },
      },
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    const fresh = await api(sandbox, 'GET', `/api/flow-messages/${messageId}/template`);
    expect(fresh.body.data.attributes.html).toBe('<p>Welcome v2</p>');
    expect(fresh.body.data.id).not.toBe(copyId);
    expect((await api(sandbox, 'GET', `/api/templates/${copyId}`)).status).toBe(404);
    expect(sandbox.account(KEY).counts().flowTemplates).toBe(3);
  });

  it('answers 404 when the flow copy is patched as a plain template', async () => {
    const flow = await createFlow();
    const copyId = actionByType(flow.attributes.definition, 'send-email').data.message.template_id;
    const res = await api(sandbox, 'PATCH', `/api/templates/${copyId}`, {
      data: { type: 'template', id: copyId, attributes: { html: '<p>x</p>' } },
    });
    expect(res.status).toBe(404);
  });
});

describe('changing a flow after creation', () => {
  it('updates the status and cascades it to the actions', async () => {
    const flow = await createFlow();
    const res = await api(sandbox, 'PATCH', `/api/flows/${flow.id}`, {
      data: { type: 'flow', id: flow.id, attributes: { status: 'live' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.attributes.status).toBe('live');
    const actions = await api(sandbox, 'GET', `/api/flows/${flow.id}/flow-actions`);
    const email = actions.body.data.find((a: Doc) => a.attributes.definition.type === 'send-email');
    expect(email.attributes.definition.data.status).toBe('live');
    const bad = await api(sandbox, 'PATCH', `/api/flows/${flow.id}`, {
      data: { type: 'flow', id: flow.id, attributes: { status: 'paused' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source.pointer).toBe('/data/attributes/status');
  });

  it('updates one action in place and moves the flow updated stamp', async () => {
    const clock = { t: Date.parse('2026-08-01T00:00:00Z'), now: () => clock.t };
    await sandbox.close();
    sandbox = await startSandbox({ enforceRateLimits: false, clock });
    world = await flowWorld(sandbox);
    const flow = await createFlow();
    const delay = actionByType(flow.attributes.definition, 'time-delay');
    clock.t += 5 * 60_000;
    const res = await api(sandbox, 'PATCH', `/api/flow-actions/${delay.id}`, {
      data: {
        type: 'flow-action',
        id: delay.id,
        attributes: { definition: { ...delay, data: { ...delay.data, value: 3 } } },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.attributes.definition.data.value).toBe(3);
    const after = await api(sandbox, 'GET', `/api/flows/${flow.id}`);
    expect(after.body.data.attributes.updated).toBe('2026-08-01T00:05:00+00:00');
    expect(after.body.data.attributes.created).toBe('2026-08-01T00:00:00+00:00');
  });

  it('refuses an update that changes the links or the type of an action', async () => {
    const flow = await createFlow();
    const [first, second] = flow.attributes.definition.actions;
    const relinked = await api(sandbox, 'PATCH', `/api/flow-actions/${first.id}`, {
      data: {
        type: 'flow-action',
        id: first.id,
        attributes: { definition: { ...first, links: { next: null } } },
      },
    });
    expect(relinked.status).toBe(400);
    expect(relinked.body.errors[0].source.pointer).toBe('/data/attributes/definition/links');
    const retyped = await api(sandbox, 'PATCH', `/api/flow-actions/${first.id}`, {
      data: {
        type: 'flow-action',
        id: first.id,
        attributes: {
          definition: {
            id: first.id,
            type: 'countdown-delay',
            data: { unit: 'days', value: 1 },
            links: first.links,
          },
        },
      },
    });
    expect(retyped.status).toBe(400);
    expect(retyped.body.errors[0].source.pointer).toBe('/data/attributes/definition/type');
    const unchanged = await api(sandbox, 'GET', `/api/flow-actions/${first.id}`);
    expect(unchanged.body.data.attributes.definition).toEqual(first);
    expect(second).toBeDefined();
  });

  it('accepts the Klaviyo-validated action update body once its ids are real', async () => {
    const flow = await createFlow();
    const email = actionByType(flow.attributes.definition, 'send-email');
    const body = fixture('flow_action_update.json');
    body.data.id = email.id;
    body.data.attributes.definition.id = email.id;
    body.data.attributes.definition.links = email.links;
    body.data.attributes.definition.data.message.template_id = world.templates.a;
    const res = await api(sandbox, 'PATCH', `/api/flow-actions/${email.id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.attributes.definition.data.message.subject_line).toContain('Welcome aboard');
  });

  it('deletes an action, rewiring its predecessor to its successor', async () => {
    const flow = await createFlow();
    const [delay1, email] = flow.attributes.definition.actions;
    expect(delay1.links.next).toBe(email.id);
    expect((await api(sandbox, 'DELETE', `/api/flow-actions/${email.id}`)).status).toBe(204);
    expect((await api(sandbox, 'GET', `/api/flow-actions/${email.id}`)).status).toBe(404);
    expect((await api(sandbox, 'GET', `/api/flow-messages/${email.data.message.id}`)).status).toBe(404);
    const after = await api(sandbox, 'GET', `/api/flows/${flow.id}?additional-fields[flow]=definition`);
    const def = after.body.data.attributes.definition;
    expect(def.actions).toHaveLength(7);
    expect(def.actions[0].links.next).toBe(email.links.next);
  });

  it('deletes a flow with its actions, messages and template copies', async () => {
    const flow = await createFlow();
    expect((await api(sandbox, 'DELETE', `/api/flows/${flow.id}`)).status).toBe(204);
    expect((await api(sandbox, 'GET', `/api/flows/${flow.id}`)).status).toBe(404);
    expect(sandbox.account(KEY).counts()).toMatchObject({
      flows: 0,
      flowActions: 0,
      flowMessages: 0,
      flowTemplates: 0,
    });
  });
});
