import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, createList, fixture, KEY } from './helpers.js';

let sandbox: RunningSandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ enforceRateLimits: false });
});
afterEach(() => sandbox.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON:API documents are read loosely in tests
type Doc = any;
const q = (filter: string): string => encodeURIComponent(filter);

describe('profiles', () => {
  it('upserts through profile-import: 201 when created, 200 when updated', async () => {
    const first = await api(sandbox, 'POST', '/api/profile-import', fixture('profile_upsert.json'));
    expect(first.status).toBe(201);
    expect(first.body.data.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(first.body.data.attributes.properties).toMatchObject({ VIP: true, Interests: ['candles'] });
    const again = await api(sandbox, 'POST', '/api/profile-import', fixture('profile_upsert.json'));
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
  });

  it('answers 409 duplicate_profile with the existing id on create_profile', async () => {
    const body = { data: { type: 'profile', attributes: { email: 'dup@example.com' } } };
    const first = await api(sandbox, 'POST', '/api/profiles', body);
    expect(first.status).toBe(201);
    const second = await api(sandbox, 'POST', '/api/profiles', body);
    expect(second.status).toBe(409);
    expect(second.body.errors[0]).toMatchObject({
      code: 'duplicate_profile',
      meta: { duplicate_profile_id: first.body.data.id },
    });
  });

  it('finds profiles by email, phone number and external id, and updates them', async () => {
    const created = await api(sandbox, 'POST', '/api/profiles', {
      data: {
        type: 'profile',
        attributes: { email: 'a@example.com', phone_number: '+15005550006', external_id: 'x-1' },
      },
    });
    await api(sandbox, 'POST', '/api/profiles', {
      data: { type: 'profile', attributes: { email: 'b@example.com' } },
    });
    const id = created.body.data.id;
    for (const filter of [
      'equals(email,"a@example.com")',
      'equals(phone_number,"+15005550006")',
      'equals(external_id,"x-1")',
    ]) {
      const res = await api(sandbox, 'GET', `/api/profiles?filter=${q(filter)}`);
      expect(res.body.data.map((p: Doc) => p.id)).toEqual([id]);
    }
    const patched = await api(sandbox, 'PATCH', `/api/profiles/${id}`, {
      data: { type: 'profile', id, attributes: { first_name: 'Ann', phone_number: null } },
    });
    expect(patched.body.data.attributes).toMatchObject({
      first_name: 'Ann',
      phone_number: null,
      email: 'a@example.com',
    });
    expect((await api(sandbox, 'GET', `/api/profiles/${id}`)).body.data.attributes.first_name).toBe('Ann');
  });
});

describe('events and metrics', () => {
  it('accepts an event with 202, creates its metric and profile once, and dedupes on unique_id', async () => {
    const first = await api(sandbox, 'POST', '/api/events', fixture('event.json'));
    expect(first.status).toBe(202);
    expect(first.body).toBeUndefined();
    await api(sandbox, 'POST', '/api/events', fixture('event.json'));
    const other = fixture('event.json');
    other.data.attributes.unique_id = 'order-1235';
    await api(sandbox, 'POST', '/api/events', other);
    const counts = sandbox.account(KEY).counts();
    expect(counts.events).toBe(2);
    expect(counts.profiles).toBe(1);
    const metrics = await api(sandbox, 'GET', '/api/metrics');
    const placed = metrics.body.data.filter((m: Doc) => m.attributes.name === 'Placed Order');
    expect(placed).toHaveLength(1);
    const byMetric = await api(
      sandbox,
      'GET',
      `/api/events?filter=${q(`equals(metric_id,"${placed[0].id}")`)}`,
    );
    expect(byMetric.body.data).toHaveLength(2);
    const metric = await api(sandbox, 'GET', `/api/metrics/${placed[0].id}`);
    expect(metric.body.data.attributes.name).toBe('Placed Order');
  });
});

describe('list members and bulk jobs', () => {
  it('adds and removes profiles on a list', async () => {
    const list = await createList(sandbox, 'members');
    const ids: string[] = [];
    for (const email of ['m1@example.com', 'm2@example.com']) {
      const res = await api(sandbox, 'POST', '/api/profiles', {
        data: { type: 'profile', attributes: { email } },
      });
      ids.push(res.body.data.id);
    }
    const members = { data: ids.map((id) => ({ type: 'profile', id })) };
    expect((await api(sandbox, 'POST', `/api/lists/${list}/relationships/profiles`, members)).status).toBe(
      204,
    );
    expect((await api(sandbox, 'GET', `/api/lists/${list}/profiles`)).body.data).toHaveLength(2);
    await api(sandbox, 'DELETE', `/api/lists/${list}/relationships/profiles`, { data: [members.data[0]] });
    const left = await api(sandbox, 'GET', `/api/lists/${list}/profiles`);
    expect(left.body.data.map((p: Doc) => p.id)).toEqual([ids[1]]);
    const unknown = await api(
      sandbox,
      'POST',
      `/api/lists/${list}/relationships/profiles`,
      fixture('list_add.json'),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].source.pointer).toBe('/data/0/id');
  });

  it('imports profiles in bulk into a list; the job is queued, then processing, then complete', async () => {
    const list = await createList(sandbox, 'imported');
    const body = JSON.parse(JSON.stringify(fixture('bulk_import.json')).replace('"Y6nRLr"', `"${list}"`));
    const job = await api(sandbox, 'POST', '/api/profile-bulk-import-jobs', body);
    expect(job.status).toBe(202);
    expect(job.body.data.attributes).toMatchObject({ status: 'queued', total_count: 2 });
    const poll = async (): Promise<Doc> =>
      (await api(sandbox, 'GET', `/api/profile-bulk-import-jobs/${job.body.data.id}`)).body.data.attributes;
    expect(await poll()).toMatchObject({ status: 'processing' });
    expect(await poll()).toMatchObject({ status: 'complete', completed_count: 2, failed_count: 0 });
    expect((await api(sandbox, 'GET', `/api/lists/${list}/profiles`)).body.data).toHaveLength(2);
  });

  it('subscribes, unsubscribes and suppresses profiles', async () => {
    const list = await createList(sandbox, 'consent');
    const swap = (name: string): Doc =>
      JSON.parse(JSON.stringify(fixture(name)).replace('"Y6nRLr"', `"${list}"`));
    expect(
      (await api(sandbox, 'POST', '/api/profile-subscription-bulk-create-jobs', swap('sub_bulk.json')))
        .status,
    ).toBe(202);
    const email = q('equals(email,"matt-kemp@klaviyo-demo.com")');
    const consent = async (): Promise<Doc> =>
      (await api(sandbox, 'GET', `/api/profiles?filter=${email}&additional-fields[profile]=subscriptions`))
        .body.data[0].attributes.subscriptions.email.marketing;
    expect(await consent()).toMatchObject({ consent: 'SUBSCRIBED', can_receive_email_marketing: true });
    expect((await api(sandbox, 'GET', `/api/lists/${list}/profiles`)).body.data).toHaveLength(1);
    await api(sandbox, 'POST', '/api/profile-suppression-bulk-create-jobs', fixture('suppress.json'));
    expect(await consent()).toMatchObject({
      can_receive_email_marketing: false,
      suppression: [{ reason: 'USER_SUPPRESSED' }],
    });
    await api(sandbox, 'POST', '/api/profile-subscription-bulk-delete-jobs', swap('unsub_bulk.json'));
    expect(await consent()).toMatchObject({ consent: 'UNSUBSCRIBED', can_receive_email_marketing: false });
  });
});

describe('tags', () => {
  it('tags flows, segments and lists, reads the tags back, and untags', async () => {
    const group = await api(sandbox, 'POST', '/api/tag-groups', fixture('tag_group.json'));
    expect(group.status).toBe(201);
    const body = fixture('tag_create.json');
    body.data.relationships['tag-group'].data.id = group.body.data.id;
    const tag = await api(sandbox, 'POST', '/api/tags', body);
    expect(tag.status).toBe(201);
    const tagId = tag.body.data.id;
    expect(tagId).toMatch(/^[0-9a-f-]{36}$/);
    const list = await createList(sandbox, 'tagged');
    expect(
      (
        await api(sandbox, 'POST', `/api/tags/${tagId}/relationships/lists`, {
          data: [{ type: 'list', id: list }],
        })
      ).status,
    ).toBe(204);
    const tags = await api(sandbox, 'GET', `/api/lists/${list}/tags`);
    expect(tags.body.data.map((t: Doc) => t.attributes.name)).toEqual(['managed-by:klaviyo-gitops']);
    const withTags = await api(sandbox, 'GET', `/api/lists/${list}?include=tags`);
    expect(withTags.body.included.map((t: Doc) => t.id)).toEqual([tagId]);
    expect((await api(sandbox, 'GET', `/api/tags/${tagId}/relationships/lists`)).body.data).toEqual([
      { type: 'list', id: list },
    ]);
    const unknownFlow = await api(
      sandbox,
      'POST',
      `/api/tags/${tagId}/relationships/flows`,
      fixture('tag_flows.json'),
    );
    expect(unknownFlow.status).toBe(400);
    await api(sandbox, 'DELETE', `/api/tags/${tagId}/relationships/lists`, {
      data: [{ type: 'list', id: list }],
    });
    expect((await api(sandbox, 'GET', `/api/lists/${list}/tags`)).body.data).toEqual([]);
    const found = await api(
      sandbox,
      'GET',
      `/api/tags?filter=${q('equals(name,"managed-by:klaviyo-gitops")')}`,
    );
    expect(found.body.data).toHaveLength(1);
    expect((await api(sandbox, 'DELETE', `/api/tags/${tagId}`)).status).toBe(204);
    expect((await api(sandbox, 'GET', '/api/tags')).body.data).toEqual([]);
  });

  it('puts a tag without a group into the default group', async () => {
    const tag = await api(sandbox, 'POST', '/api/tags', {
      data: { type: 'tag', attributes: { name: 'plain' } },
    });
    const groups = await api(sandbox, 'GET', '/api/tag-groups');
    const defaultGroup = groups.body.data.find((g: Doc) => g.attributes.default);
    expect(tag.body.data.relationships['tag-group'].data.id).toBe(defaultGroup.id);
  });
});

describe('images', () => {
  it('records an image imported from a URL, suffixing a repeated name', async () => {
    const first = await api(sandbox, 'POST', '/api/images', fixture('image_url.json'));
    expect(first.status).toBe(201);
    expect(first.body.data.attributes).toMatchObject({
      name: 'hero-2026-07.png',
      format: 'png',
      hidden: false,
    });
    expect(first.body.data.attributes.image_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/images\//);
    const second = await api(sandbox, 'POST', '/api/images', fixture('image_url.json'));
    expect(second.body.data.attributes.name).toBe('hero-2026-07_1.png');
  });
});
