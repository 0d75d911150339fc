import { readFileSync } from 'node:fs';
import type { RunningSandbox } from '../../src/sandbox/index.js';

export const KEY = 'pk_test_sandbox_key_one';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON:API documents are read loosely in tests
  body: any;
}

export interface CallOptions {
  key?: string | null;
  revision?: string | null;
  contentType?: string;
  rawBody?: string;
}

/** One call to the sandbox with Klaviyo's headers (overridable). */
export async function api(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/vnd.api+json' };
  const key = options.key === undefined ? KEY : options.key;
  if (key !== null) headers.authorization = `Klaviyo-API-Key ${key}`;
  const revision = options.revision === undefined ? '2026-07-15' : options.revision;
  if (revision !== null) headers.revision = revision;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/vnd.api+json';
  const url = path.startsWith('http') ? path : `${sandbox.url}${path}`;
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture bodies are edited freely in tests
export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/klaviyo-bodies/${name}`, import.meta.url), 'utf8'));
}

/** A fake clock tests move by hand. */
export function fakeClock(start = Date.parse('2026-08-03T10:00:00Z')): {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

export async function createTemplate(
  sandbox: RunningSandbox,
  name: string,
  html = `<p>${name}</p>`,
  key = KEY,
): Promise<string> {
  const res = await api(
    sandbox,
    'POST',
    '/api/templates',
    {
      data: { type: 'template', attributes: { name, editor_type: 'CODE', html } },
    },
    { key },
  );
  if (res.status !== 201) throw new Error(`template create failed: ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

export async function createList(sandbox: RunningSandbox, name: string): Promise<string> {
  const res = await api(sandbox, 'POST', '/api/lists', { data: { type: 'list', attributes: { name } } });
  if (res.status !== 201) throw new Error(`list create failed: ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

/** Id of a metric by name (built-in metrics exist from the start). */
export async function metricId(sandbox: RunningSandbox, name: string): Promise<string> {
  const res = await api(sandbox, 'GET', '/api/metrics');
  const metric = (res.body.data as Array<{ id: string; attributes: { name: string } }>).find(
    (m) => m.attributes.name === name,
  );
  if (!metric) throw new Error(`no metric ${name}`);
  return metric.id;
}

export interface FlowWorld {
  listId: string;
  metricId: string;
  templates: { welcome: string; a: string; b: string };
}

/** Creates what flow_create.json refers to, so the fixture can be sent with real ids. */
export async function flowWorld(sandbox: RunningSandbox): Promise<FlowWorld> {
  return {
    listId: await createList(sandbox, 'Newsletter'),
    metricId: await metricId(sandbox, 'Opened Email'),
    templates: {
      welcome: await createTemplate(sandbox, 'welcome', '<p>Welcome v1</p>'),
      a: await createTemplate(sandbox, 'a', '<p>A</p>'),
      b: await createTemplate(sandbox, 'b', '<p>B</p>'),
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture bodies are edited freely in tests
export function flowBody(world: FlowWorld): any {
  const text = JSON.stringify(fixture('flow_create.json'))
    .replaceAll('"Y6nRLr"', JSON.stringify(world.listId))
    .replaceAll('"Sxnb5T"', JSON.stringify(world.metricId))
    .replaceAll('"RipRmi"', JSON.stringify(world.templates.welcome))
    .replaceAll('"TplA11"', JSON.stringify(world.templates.a))
    .replaceAll('"TplB22"', JSON.stringify(world.templates.b));
  return JSON.parse(text);
}
