import { describe, expect, it } from 'vitest';
import { collect } from '../../src/klaviyo/index.js';
import { json } from './helpers/fake-fetch.js';
import { scriptedClient } from './helpers/client.js';

const SERVER_ORIGIN = 'https://a.klaviyo.com';

function pageOf(ids: string[], next?: string) {
  return json(200, {
    data: ids.map((id) => ({ type: 'template', id, attributes: { name: `t-${id}` } })),
    links: { self: 'ignored', ...(next ? { next } : {}) },
  });
}

describe('cursor pagination', () => {
  it('follows links.next verbatim, on the client’s base URL, until there is none', async () => {
    const next1 = `${SERVER_ORIGIN}/api/templates?page%5Bcursor%5D=abc%3D%3D&page%5Bsize%5D=10&filter=equals(name,%22x%22)`;
    const next2 = `${SERVER_ORIGIN}/api/templates?page%5Bcursor%5D=def&page%5Bsize%5D=10`;
    const { client, calls } = scriptedClient(
      (_, i) => [pageOf(['1', '2'], next1), pageOf(['3'], next2), pageOf(['4'])][i]!,
    );
    const ids = (await collect(client.templates.list())).map((t) => t.id);

    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(calls.map((c) => c.url.origin)).toEqual(Array(3).fill('https://klaviyo.test'));
    expect(calls[1]!.url.search).toBe(new URL(next1).search);
    expect(calls[1]!.url.searchParams.get('page[cursor]')).toBe('abc==');
    expect(calls[2]!.url.searchParams.get('page[cursor]')).toBe('def');
  });

  it('asks for the operation’s largest page by default', async () => {
    const { client, calls } = scriptedClient(() => pageOf([]));
    await collect(client.templates.list());
    await collect(client.flows.list());
    await collect(client.profiles.list());
    expect(calls.map((c) => c.url.searchParams.get('page[size]'))).toEqual(['10', '50', '100']);
  });

  it('keeps an explicit page size and passes sparse fieldsets, includes, sort and filters', async () => {
    const { client, calls } = scriptedClient(() => pageOf([]));
    await collect(
      client.flows.list({
        pageSize: 5,
        fields: { flow: ['name', 'status'] },
        include: ['tags'],
        sort: '-updated',
        filter: 'equals(status,"live")',
      }),
    );
    const params = calls[0]!.url.searchParams;
    expect(params.get('page[size]')).toBe('5');
    expect(params.get('fields[flow]')).toBe('name,status');
    expect(params.get('include')).toBe('tags');
    expect(params.get('sort')).toBe('-updated');
    expect(params.get('filter')).toBe('equals(status,"live")');
  });

  it('stops reading pages as soon as a lookup found its match', async () => {
    const { client, calls } = scriptedClient((_, i) =>
      i === 0 ? pageOf(['1'], `${SERVER_ORIGIN}/api/templates?page%5Bcursor%5D=p2`) : pageOf(['2']),
    );
    const found = await client.templates.findByName('t-1');
    expect(found?.id).toBe('1');
    expect(calls).toHaveLength(1);
  });

  it('stops when the server hands back a link it already gave', async () => {
    const loop = `${SERVER_ORIGIN}/api/templates?page%5Bcursor%5D=same`;
    const { client, calls } = scriptedClient(() => pageOf(['x'], loop));
    const items = await collect(client.templates.list());
    expect(items).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('keeps a base URL path prefix when following next links', async () => {
    const { client, calls } = scriptedClient(
      (_, i) =>
        i === 0
          ? pageOf(['1'], 'https://proxy.test/klaviyo/api/templates?page%5Bcursor%5D=n')
          : pageOf(['2']),
      { baseUrl: 'https://proxy.test/klaviyo/' },
    );
    await collect(client.templates.list());
    expect(calls.map((c) => c.url.pathname)).toEqual(['/klaviyo/api/templates', '/klaviyo/api/templates']);
  });

  it('pages through a collection with included resources page by page', async () => {
    const { client } = scriptedClient(() =>
      json(200, {
        data: [{ type: 'tag', id: 'T' }],
        included: [{ type: 'tag-group', id: 'G' }],
        links: { self: 'x' },
      }),
    );
    const pages = await collect(
      client.pages<{ data: unknown[]; included?: unknown[] }>('/api/tags', { include: ['tag-group'] }),
    );
    expect(pages[0]!.included).toEqual([{ type: 'tag-group', id: 'G' }]);
  });
});
