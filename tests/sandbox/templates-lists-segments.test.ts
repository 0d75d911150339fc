import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { api, createList, createTemplate, fixture, KEY } from './helpers.js';

let sandbox: RunningSandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ enforceRateLimits: false, templateCap: 12 });
});
afterEach(() => sandbox.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON:API documents are read loosely in tests
type Doc = any;
const q = (filter: string): string => encodeURIComponent(filter);

describe('pagination', () => {
  it('pages with a full links.next URL carrying page[cursor] until there is none', async () => {
    for (let i = 0; i < 11; i++) await createTemplate(sandbox, `t${i}`);
    const first = await api(sandbox, 'GET', '/api/templates');
    expect(first.body.data).toHaveLength(10); // default and max page size of get_templates
    const next = new URL(first.body.links.next);
    expect(next.origin).toBe(sandbox.url);
    expect(next.searchParams.get('page[cursor]')).toBeTruthy();
    const second = await api(sandbox, 'GET', first.body.links.next);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.links.next).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((t: Doc) => t.id);
    expect(new Set(ids).size).toBe(11);
  });

  it('honours a smaller page[size] and refuses one above the cap with 400', async () => {
    for (let i = 0; i < 3; i++) await createTemplate(sandbox, `t${i}`);
    const small = await api(sandbox, 'GET', '/api/templates?page[size]=2');
    expect(small.body.data).toHaveLength(2);
    expect(new URL(small.body.links.next).searchParams.get('page[size]')).toBe('2');
    const tooBig = await api(sandbox, 'GET', '/api/templates?page[size]=11');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].source).toEqual({ parameter: 'page[size]' });
    expect((await api(sandbox, 'GET', '/api/flows?page[size]=50')).status).toBe(200);
    expect((await api(sandbox, 'GET', '/api/flows?page[size]=51')).status).toBe(400);
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await api(sandbox, 'GET', '/api/templates?page[cursor]=garbage!');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toBe('Invalid cursor provided.');
  });
});

describe('filters and sparse fieldsets', () => {
  it('filters templates by equals, any, contains and greater-than on updated', async () => {
    const clock = { t: Date.parse('2026-08-01T00:00:00Z'), now: () => clock.t };
    await sandbox.close();
    sandbox = await startSandbox({ enforceRateLimits: false, clock });
    const a = await createTemplate(sandbox, '[gitops] welcome');
    clock.t += 3_600_000;
    const b = await createTemplate(sandbox, '[gitops] goodbye');
    await createTemplate(sandbox, 'hand made');
    const names = async (filter: string): Promise<string[]> =>
      (await api(sandbox, 'GET', `/api/templates?filter=${q(filter)}`)).body.data.map(
        (t: Doc) => t.attributes.name,
      );
    expect(await names('equals(name,"[gitops] welcome")')).toEqual(['[gitops] welcome']);
    expect(await names(`any(id,["${a}","${b}"])`)).toEqual(['[gitops] welcome', '[gitops] goodbye']);
    expect(await names("contains(name,'gitops')")).toHaveLength(2);
    expect(await names('greater-than(updated,2026-08-01T00:30:00Z)')).toEqual([
      '[gitops] goodbye',
      'hand made',
    ]);
  });

  it('filters flows by status and name prefix', async () => {
    const res = await api(sandbox, 'GET', `/api/flows?filter=${q('equals(status,"live")')}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect((await api(sandbox, 'GET', `/api/flows?filter=${q('starts-with(name,"[gitops]")')}`)).status).toBe(
      200,
    );
  });

  it('refuses a filter on a field the operation does not filter on, and a malformed filter', async () => {
    const wrongField = await api(sandbox, 'GET', `/api/templates?filter=${q('equals(html,"x")')}`);
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.errors[0].source).toEqual({ parameter: 'filter' });
    expect((await api(sandbox, 'GET', `/api/templates?filter=${q('equals(name,"x"')}`)).status).toBe(400);
  });

  it('returns only the requested attributes with fields[type]', async () => {
    await createTemplate(sandbox, 'sparse');
    const res = await api(sandbox, 'GET', '/api/templates?fields[template]=name,updated');
    expect(Object.keys(res.body.data[0].attributes).sort()).toEqual(['name', 'updated']);
  });
});

describe('templates', () => {
  it('creates, reads, updates and deletes a template; deleted ones answer 404', async () => {
    const create = await api(sandbox, 'POST', '/api/templates', fixture('tpl_create.json'));
    expect(create.status).toBe(201);
    const id = create.body.data.id;
    expect(id).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(create.body.data.attributes).toMatchObject({ name: '[gitops] welcome-1', editor_type: 'CODE' });
    const update = fixture('tpl_update.json');
    update.data.id = id;
    const patched = await api(sandbox, 'PATCH', `/api/templates/${id}`, update);
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.html).toBe('<html><body>v2 {% unsubscribe %}</body></html>');
    expect((await api(sandbox, 'DELETE', `/api/templates/${id}`)).status).toBe(204);
    expect((await api(sandbox, 'GET', `/api/templates/${id}`)).status).toBe(404);
    expect((await api(sandbox, 'DELETE', `/api/templates/${id}`)).status).toBe(404);
  });

  it('clones a template under a new name', async () => {
    const source = await createTemplate(sandbox, 'source', '<p>same</p>');
    const body = fixture('tpl_clone.json');
    body.data.id = source;
    const res = await api(sandbox, 'POST', '/api/template-clone', body);
    expect(res.status).toBe(201);
    expect(res.body.data.id).not.toBe(source);
    expect(res.body.data.attributes).toMatchObject({
      name: '[gitops-preview] welcome-1 @ PR#42',
      html: '<p>same</p>',
    });
  });

  it('renders a stored template with the context variables', async () => {
    const create = await api(sandbox, 'POST', '/api/templates', fixture('tpl_create.json'));
    const body = fixture('tpl_render.json');
    body.data.id = create.body.data.id;
    const res = await api(sandbox, 'POST', '/api/template-render', body);
    expect(res.status).toBe(201);
    expect(res.body.data.attributes.html).toContain('<p>Hi Jane,</p><p>Welcome to Example Store.</p>');
    expect(res.body.data.attributes.text).toContain('Hi Jane, welcome!');
  });

  it('refuses creates and clones beyond the cap of templates ever created through the API', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await createTemplate(sandbox, `t${i}`));
    // Deleting does not give the quota back.
    await api(sandbox, 'DELETE', `/api/templates/${ids[0]}`);
    const create = await api(sandbox, 'POST', '/api/templates', fixture('tpl_create.json'));
    expect(create.status).toBe(400);
    expect(create.body.errors[0].detail).toMatch(/limit of 12 templates that can be created via the API/);
    const clone = await api(sandbox, 'POST', '/api/template-clone', {
      data: { type: 'template', id: ids[1] },
    });
    expect(clone.status).toBe(400);
    expect(sandbox.account(KEY).counts().templates).toBe(11);
  });
});

describe('lists', () => {
  it('creates, renames, lists and deletes lists', async () => {
    const create = await api(sandbox, 'POST', '/api/lists', fixture('list_create.json'));
    expect(create.status).toBe(201);
    expect(create.body.data.attributes).toMatchObject({
      name: '[gitops] Newsletter',
      opt_in_process: 'double_opt_in',
    });
    const id = create.body.data.id;
    const renamed = await api(sandbox, 'PATCH', `/api/lists/${id}`, {
      data: { type: 'list', id, attributes: { name: 'News' } },
    });
    expect(renamed.body.data.attributes.name).toBe('News');
    const found = await api(sandbox, 'GET', `/api/lists?filter=${q('equals(name,"News")')}`);
    expect(found.body.data.map((l: Doc) => l.id)).toEqual([id]);
    expect((await api(sandbox, 'DELETE', `/api/lists/${id}`)).status).toBe(204);
    expect((await api(sandbox, 'GET', `/api/lists/${id}`)).status).toBe(404);
  });
});

describe('segments', () => {
  it('creates a segment from the validated example once its ids exist, and replaces the definition on update', async () => {
    const list = await createList(sandbox, 'members');
    const metrics = await api(sandbox, 'GET', '/api/metrics');
    const metric = metrics.body.data[0].id;
    const text = JSON.stringify(fixture('seg_create.json'))
      .replace('"UWP7cZ"', `"${metric}"`)
      .replace('"Xb7kLm"', `"${list}"`);
    const create = await api(sandbox, 'POST', '/api/segments', JSON.parse(text));
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    const id = create.body.data.id;
    expect(create.body.data.attributes).toMatchObject({
      is_active: true,
      is_processing: false,
      is_starred: false,
    });
    const update = JSON.parse(JSON.stringify(fixture('seg_update.json')).replace('"Y6nRLr"', `"${list}"`));
    update.data.id = id;
    const patched = await api(sandbox, 'PATCH', `/api/segments/${id}`, update);
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.definition).toEqual(update.data.attributes.definition);
    const profiles = await api(sandbox, 'GET', `/api/segments/${id}/profiles`);
    expect(profiles.body.data).toEqual([]);
  });

  it('refuses an unknown metric id in a segment, pointing at it', async () => {
    const res = await api(sandbox, 'POST', '/api/segments', fixture('seg_create.json'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].source.pointer).toMatch(
      /^\/data\/attributes\/definition\/condition_groups\/1\/conditions\/0\/metric_id$/,
    );
  });

  it('deactivates only when is_active is the only attribute', async () => {
    const condition = { type: 'profile-region', in_region: true, region: 'united_states' };
    const create = await api(sandbox, 'POST', '/api/segments', {
      data: {
        type: 'segment',
        attributes: { name: 'us', definition: { condition_groups: [{ conditions: [condition] }] } },
      },
    });
    const id = create.body.data.id;
    const mixed = await api(sandbox, 'PATCH', `/api/segments/${id}`, {
      data: { type: 'segment', id, attributes: { is_active: false, name: 'x' } },
    });
    expect(mixed.status).toBe(400);
    const body = fixture('seg_deactivate.json');
    body.data.id = id;
    const off = await api(sandbox, 'PATCH', `/api/segments/${id}`, body);
    expect(off.body.data.attributes.is_active).toBe(false);
  });
});
