/**
 * Every resource helper against the in-process sandbox, which validates each request body and query against the
 * vendored spec and enforces Klaviyo's rate limits: a request that passes here has the shape Klaviyo expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import {
  collect,
  filter,
  KlaviyoClient,
  KlaviyoNotFoundError,
  KlaviyoValidationError,
  type KlaviyoClientEvent,
} from '../../src/klaviyo/index.js';
import { flowCreate, segmentCreate, templateCreate } from './helpers/bodies.js';

const KEY = 'pk_resources_test_0123456789';
const ACCOUNT_ID = 'AcctR1';

let sandbox: RunningSandbox;
let client: KlaviyoClient;
const events: KlaviyoClientEvent[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, accounts: { [KEY]: ACCOUNT_ID } });
  client = new KlaviyoClient({ apiKey: KEY, baseUrl: sandbox.url, onEvent: (e) => events.push(e) });
});

afterAll(async () => {
  await sandbox.close();
});

async function newList(name: string) {
  return client.lists.create({ data: { type: 'list', attributes: { name } } });
}

describe('resource helpers against the sandbox', () => {
  it('accounts: reads the account behind the key', async () => {
    const account = await client.accounts.get();
    expect(account.id).toBe(ACCOUNT_ID);
    expect(account.attributes.contact_information.organization_name).toBeTruthy();
  });

  it('profiles: upserts, gets and finds by email, phone and external id', async () => {
    const profile = await client.profiles.upsert({
      data: {
        type: 'profile',
        attributes: {
          email: 'sarah@example.com',
          phone_number: '+15005550006',
          external_id: 'crm-1',
          first_name: 'Sarah',
          properties: { VIP: true },
        },
      },
    });
    expect((await client.profiles.get(profile.id)).attributes.first_name).toBe('Sarah');
    expect((await client.profiles.findByEmail('sarah@example.com'))?.id).toBe(profile.id);
    expect((await client.profiles.findByPhone('+15005550006'))?.id).toBe(profile.id);
    expect((await client.profiles.findByExternalId('crm-1'))?.id).toBe(profile.id);
    expect(await client.profiles.findByEmail('nobody@example.com')).toBeUndefined();
    // Upserting again updates the same profile.
    const again = await client.profiles.upsert({
      data: { type: 'profile', attributes: { email: 'sarah@example.com', last_name: 'Mason' } },
    });
    expect(again.id).toBe(profile.id);
    expect((await collect(client.profiles.list())).map((p) => p.id)).toContain(profile.id);
  });

  it('events and metrics: records an event, lists it for the profile, finds its metric by name', async () => {
    const profile = await client.profiles.upsert({
      data: { type: 'profile', attributes: { email: 'buyer@example.com' } },
    });
    const body = {
      data: {
        type: 'event' as const,
        attributes: {
          properties: { OrderId: 'o-1' },
          value: 12.5,
          unique_id: 'order-o-1',
          metric: { data: { type: 'metric' as const, attributes: { name: 'Placed Order' } } },
          profile: { data: { type: 'profile' as const, attributes: { email: 'buyer@example.com' } } },
        },
      },
    };
    await client.events.create(body);
    await client.events.create(body); // the unique_id makes the repeat a no-op
    const mine = await collect(client.events.listForProfile(profile.id));
    expect(mine).toHaveLength(1);
    const metric = await client.metrics.findByName('Placed Order');
    expect(metric?.attributes.name).toBe('Placed Order');
    expect((await client.metrics.get(metric!.id)).id).toBe(metric!.id);
    expect(await client.metrics.findByName('No Such Metric')).toBeUndefined();
  });

  it('lists: create, get-or-create, get, update, members, delete', async () => {
    const created = await client.lists.create(
      { data: { type: 'list', attributes: { name: 'Newsletter', opt_in_process: 'single_opt_in' } } },
      { reconcile: 'by-name' },
    );
    const again = await client.lists.getOrCreate('Newsletter');
    expect(again).toEqual({ list: expect.objectContaining({ id: created.id }), created: false });
    const fresh = await client.lists.getOrCreate('VIP');
    expect(fresh.created).toBe(true);

    const renamed = await client.lists.update(fresh.list.id, { name: 'VIP customers' });
    expect(renamed.attributes.name).toBe('VIP customers');
    expect((await client.lists.findByName('VIP customers'))?.id).toBe(fresh.list.id);

    const a = await client.profiles.upsert({
      data: { type: 'profile', attributes: { email: 'a@example.com' } },
    });
    const b = await client.profiles.upsert({
      data: { type: 'profile', attributes: { email: 'b@example.com' } },
    });
    await client.lists.addProfiles(created.id, [a.id, b.id]);
    expect((await collect(client.lists.listProfiles(created.id))).map((p) => p.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    await client.lists.removeProfiles(created.id, [a.id]);
    expect((await collect(client.lists.listProfiles(created.id))).map((p) => p.id)).toEqual([b.id]);
    const counted = await client.lists.get(created.id, { profileCount: true });
    expect(counted.attributes.profile_count).toBe(1);

    expect((await collect(client.lists.list())).map((l) => l.attributes.name)).toEqual(
      expect.arrayContaining(['Newsletter', 'VIP customers']),
    );
    await client.lists.delete(fresh.list.id);
    await expect(client.lists.get(fresh.list.id)).rejects.toBeInstanceOf(KlaviyoNotFoundError);
  });

  it('segments: create, list with definitions, get, update, members, delete', async () => {
    const segment = await client.segments.create(segmentCreate('VIPs'), { reconcile: 'by-name' });
    const listed = await collect(client.segments.list({ filter: filter.equals('name', 'VIPs') }));
    expect(listed[0]?.attributes.definition?.condition_groups).toHaveLength(1);

    const updated = await client.segments.update(segment.id, {
      definition: segmentCreate('x', false).data.attributes.definition,
    });
    expect(updated.id).toBe(segment.id);
    const got = await client.segments.get(segment.id);
    expect(JSON.stringify(got.attributes.definition)).toContain('false');
    expect((await client.segments.findByName('VIPs'))?.id).toBe(segment.id);
    expect(Array.isArray(await collect(client.segments.listProfiles(segment.id)))).toBe(true);
    expect(
      typeof (await client.segments.get(segment.id, { profileCount: true })).attributes.profile_count,
    ).toBe('number');

    await client.segments.delete(segment.id);
    expect(await client.segments.findByName('VIPs')).toBeUndefined();
  });

  it('templates: create, get, find, update, clone, render, delete', async () => {
    const template = await client.templates.create(templateCreate('Welcome email'), { reconcile: 'by-name' });
    expect((await client.templates.get(template.id)).attributes.html).toContain('Hello');
    expect((await client.templates.findByName('Welcome email'))?.id).toBe(template.id);

    const updated = await client.templates.update(template.id, { html: '<p>Hi {{ first_name }}</p>' });
    expect(updated.attributes.html).toBe('<p>Hi {{ first_name }}</p>');

    const copy = await client.templates.clone(template.id, 'Welcome email (copy)', { reconcile: 'by-name' });
    expect(copy.id).not.toBe(template.id);
    expect(copy.attributes.name).toBe('Welcome email (copy)');

    const rendered = await client.templates.render(template.id, { first_name: 'Jane' });
    expect(rendered.attributes.html).toContain('Jane');

    await client.templates.delete(copy.id);
    expect((await collect(client.templates.list())).map((t) => t.id)).not.toContain(copy.id);
  });

  it('flows: create with the real definition back, read, actions, messages, status, delete', async () => {
    const list = await newList('Flow trigger list');
    const template = await client.templates.create(templateCreate('Flow email'));
    const flow = await client.flows.create(flowCreate('Welcome flow', list.id, template.id), {
      reconcile: 'by-name',
    });
    const definition = flow.attributes.definition;
    expect(definition?.actions).toHaveLength(2);
    const actionIds = definition!.actions.map((a) => a.id);
    expect(actionIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(definition!.entry_action_id).toBe(actionIds[0]);

    const read = await client.flows.get(flow.id);
    expect(read.attributes.definition?.actions).toHaveLength(2);
    expect((await client.flows.get(flow.id, { definition: false })).attributes.definition).toBeFalsy();
    expect((await client.flows.findByName('Welcome flow'))?.id).toBe(flow.id);
    expect((await collect(client.flows.list())).map((f) => f.id)).toContain(flow.id);

    const actions = await collect(client.flows.listActions(flow.id));
    expect(actions).toHaveLength(2);
    const email = actions.find((a) => a.attributes.definition?.type === 'send-email')!;
    expect((await client.flows.getAction(email.id)).id).toBe(email.id);

    const messages = await collect(client.flows.listActionMessages(email.id));
    expect(messages).toHaveLength(1);
    expect((await client.flows.getMessage(messages[0]!.id)).id).toBe(messages[0]!.id);
    const copy = await client.flows.getMessageTemplate(messages[0]!.id);
    expect(copy?.attributes.html).toContain('Hello');

    const emailDefinition = email.attributes.definition as Extract<
      NonNullable<typeof email.attributes.definition>,
      { type: 'send-email' }
    >;
    const changed = await client.flows.updateAction(email.id, {
      ...emailDefinition,
      data: {
        ...emailDefinition.data!,
        message: { ...emailDefinition.data!.message, subject_line: 'Hello again' },
      },
    });
    expect(JSON.stringify(changed.attributes)).toContain('Hello again');

    const live = await client.flows.updateStatus(flow.id, 'live');
    expect(live.attributes.status).toBe('live');

    const wait = actions.find((a) => a.id !== email.id)!;
    await client.flows.deleteAction(email.id);
    expect((await collect(client.flows.listActions(flow.id))).map((a) => a.id)).toEqual([wait.id]);

    await client.flows.delete(flow.id);
    await expect(client.flows.get(flow.id)).rejects.toBeInstanceOf(KlaviyoNotFoundError);
  });

  it('tags: ensure a tag in a group, tag and untag flows, segments and lists, read both directions', async () => {
    const { group, created: groupCreated } = await client.tags.ensureGroup({
      name: 'gitops',
      exclusive: false,
    });
    expect(groupCreated).toBe(true);
    const first = await client.tags.ensure('managed-by:klaviyo-gitops', { groupName: 'gitops' });
    const second = await client.tags.ensure('managed-by:klaviyo-gitops', { groupName: 'gitops' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ tag: expect.objectContaining({ id: first.tag.id }), created: false });
    expect((await client.tags.findByName('managed-by:klaviyo-gitops', { groupId: group.id }))?.id).toBe(
      first.tag.id,
    );
    expect((await client.tags.findGroupByName('gitops'))?.id).toBe(group.id);
    const tagId = first.tag.id;

    const list = await newList('Tagged list');
    const segment = await client.segments.create(segmentCreate('Tagged segment'));
    const template = await client.templates.create(templateCreate('Tagged flow email'));
    const flow = await client.flows.create(flowCreate('Tagged flow', list.id, template.id));

    await client.tags.tagFlows(tagId, [flow.id]);
    await client.tags.tagSegments(tagId, [segment.id]);
    await client.tags.tagLists(tagId, [list.id]);
    expect(await client.tags.idsFor(tagId, 'flow')).toEqual([flow.id]);
    expect(await client.tags.idsFor(tagId, 'segment')).toEqual([segment.id]);
    expect(await client.tags.idsFor(tagId, 'list')).toEqual([list.id]);
    for (const [kind, id] of [
      ['flow', flow.id],
      ['segment', segment.id],
      ['list', list.id],
    ] as const) {
      expect((await client.tags.tagsOf(kind, id)).map((t) => t.id)).toEqual([tagId]);
    }

    await client.tags.untagFlows(tagId, [flow.id]);
    await client.tags.untagSegments(tagId, [segment.id]);
    await client.tags.untagLists(tagId, [list.id]);
    expect(await client.tags.idsFor(tagId, 'flow')).toEqual([]);
    expect(await client.tags.tagsOf('segment', segment.id)).toEqual([]);
    expect(await client.tags.idsFor(tagId, 'list')).toEqual([]);
    expect((await collect(client.tags.list())).map((t) => t.id)).toContain(tagId);
    expect((await collect(client.tags.listGroups())).map((g) => g.id)).toContain(group.id);
  });

  it('images: uploads from a URL and reads it back', async () => {
    const image = await client.images.uploadFromUrl({
      data: {
        type: 'image',
        attributes: { name: 'hero.png', import_from_url: 'https://example.com/hero.png', hidden: false },
      },
    });
    expect(image.attributes.image_url).toBeTruthy();
    expect((await client.images.get(image.id)).id).toBe(image.id);
    expect((await collect(client.images.list())).map((i) => i.id)).toContain(image.id);
  });

  it('bulk jobs: imports profiles and waits for the job, subscribes, unsubscribes, suppresses', async () => {
    const list = await newList('Imported');
    const job = await client.bulkJobs.importProfiles({
      data: {
        type: 'profile-bulk-import-job',
        attributes: {
          profiles: {
            data: [
              { type: 'profile', attributes: { email: 'imp1@example.com' } },
              { type: 'profile', attributes: { email: 'imp2@example.com' } },
            ],
          },
        },
        relationships: { lists: { data: [{ type: 'list', id: list.id }] } },
      },
    });
    const done = await client.bulkJobs.waitForImportJob(job.id, { intervalMs: 10 });
    expect(done.attributes.status).toBe('complete');
    expect(await client.profiles.findByEmail('imp1@example.com')).toBeDefined();

    await client.bulkJobs.subscribe({
      data: {
        type: 'profile-subscription-bulk-create-job',
        attributes: {
          profiles: {
            data: [
              {
                type: 'profile',
                attributes: {
                  email: 'imp1@example.com',
                  subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } },
                },
              },
            ],
          },
        },
        relationships: { list: { data: { type: 'list', id: list.id } } },
      },
    });
    await client.bulkJobs.unsubscribe({
      data: {
        type: 'profile-subscription-bulk-delete-job',
        attributes: {
          profiles: {
            data: [
              {
                type: 'profile',
                attributes: {
                  email: 'imp1@example.com',
                  subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } } },
                },
              },
            ],
          },
        },
        relationships: { list: { data: { type: 'list', id: list.id } } },
      },
    });
    const suppression = await client.bulkJobs.suppress({
      data: {
        type: 'profile-suppression-bulk-create-job',
        attributes: { profiles: { data: [{ type: 'profile', attributes: { email: 'imp2@example.com' } }] } },
      },
    });
    if (suppression) {
      const finished = await client.bulkJobs.waitForSuppressJob(suppression.id, { intervalMs: 10 });
      expect(finished.attributes.status).toBe('complete');
    }
  });

  it('surfaces the sandbox’s spec validation as a typed 400 with a pointer', async () => {
    const bad = { data: { type: 'template', attributes: { editor_type: 'CODE', html: '<p/>' } } } as never;
    const error = await client.templates.create(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoValidationError);
    expect((error as KlaviyoValidationError).errors[0]?.source?.pointer).toBeTruthy();
  });

  it('was never throttled: the client paced every call under the enforced limits', () => {
    const statuses = events.flatMap((e) => (e.type === 'response' ? [e.status] : []));
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses).not.toContain(429);
    expect(sandbox.requestLog.filter((r) => r.outcome === 429)).toEqual([]);
  });
});
