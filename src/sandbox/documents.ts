/** JSON:API documents the way Klaviyo writes them: links, relationships, sparse fieldsets, cursor pages. */
import { klaviyoOpenApi } from '../klaviyo/spec/index.js';
import type { SandboxRequest } from './context.js';
import { invalid } from './errors.js';
import { filterTerms, matchesFilter, parseFilter } from './filter.js';
import { getPath, isObject, type JsonObject } from './json.js';

export interface Identifier {
  type: string;
  id: string;
}

export interface Resource {
  type: string;
  id: string;
  attributes: JsonObject;
  relationships?: Record<string, unknown>;
  links: { self: string };
}

export function selfLink(baseUrl: string, collection: string, id: string): string {
  return `${baseUrl}/api/${collection}/${encodeURIComponent(id)}/`;
}

/** A to-one or to-many relationship with Klaviyo's `self` / `related` links. */
export function relationship(
  baseUrl: string,
  collection: string,
  id: string,
  name: string,
  data: Identifier | Identifier[] | null | undefined,
): JsonObject {
  const base = selfLink(baseUrl, collection, id);
  return {
    ...(data !== undefined ? { data } : {}),
    links: { self: `${base}relationships/${name}/`, related: `${base}${name}/` },
  };
}

/** Comma-joined values of a query parameter (`include=tags,flow-actions`). */
export function listParam(url: URL, name: string): string[] {
  const raw = url.searchParams.get(name);
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export function wantsAdditional(url: URL, type: string, field: string): boolean {
  return listParam(url, `additional-fields[${type}]`).includes(field);
}

/** Applies `fields[type]=a,b.c` to a resource's attributes (dotted names select nested fields). */
export function sparse(resource: Resource, url: URL): Resource {
  const fields = listParam(url, `fields[${resource.type}]`).filter((f) => f !== 'id');
  if (fields.length === 0) return resource;
  const attributes: JsonObject = {};
  for (const field of fields) {
    const value = getPath(resource.attributes, field);
    if (value === undefined) continue;
    const keys = field.split('.');
    let target = attributes;
    keys.slice(0, -1).forEach((key) => {
      if (!isObject(target[key])) target[key] = {};
      target = target[key] as JsonObject;
    });
    target[keys[keys.length - 1]!] = value;
  }
  return { ...resource, attributes };
}

export function singleDocument(req: SandboxRequest, resource: Resource, included?: Resource[]): JsonObject {
  return {
    data: sparse(resource, req.url),
    links: { self: req.url.toString() },
    ...(included ? { included: dedupe(included).map((r) => sparse(r, req.url)) } : {}),
  };
}

function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const key = `${r.type}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ListOptions {
  /** Reads a filter / sort field; defaults to `id` and the attributes (dotted paths allowed). */
  fieldOf?: (resource: Resource, name: string) => unknown;
  /** Related resources for `include=`, computed on the returned page only. */
  includer?: (page: Resource[], include: string[]) => Resource[];
  /** Page size when the spec gives no page parameter but Klaviyo pages anyway (metrics: 200). */
  fixedPageSize?: number;
}

type FilterSpec = Record<string, { operators?: Record<string, string[]> }>;

function allowedFilters(req: SandboxRequest): FilterSpec | undefined {
  const item = klaviyoOpenApi.paths[req.operation.pathTemplate];
  const op = item?.[req.operation.method.toLowerCase()] as { 'x-klaviyo-filters'?: FilterSpec } | undefined;
  return op?.['x-klaviyo-filters'];
}

function defaultField(resource: Resource, name: string): unknown {
  return name === 'id' ? resource.id : getPath(resource.attributes, name);
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw invalid('Invalid cursor provided.', { parameter: 'page[cursor]' });
}

function pageSize(req: SandboxRequest, fixed: number | undefined): number | undefined {
  const { maxPageSize, defaultPageSize } = req.operation;
  const raw = req.url.searchParams.get('page[size]');
  if (raw === null || maxPageSize === undefined)
    return maxPageSize !== undefined ? (defaultPageSize ?? maxPageSize) : fixed;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize)
    throw invalid(`Page size must be an integer between 1 and ${maxPageSize}.`, { parameter: 'page[size]' });
  return size;
}

/** Filters, sorts and pages a collection, then renders Klaviyo's collection document. */
export function listDocument(req: SandboxRequest, all: Resource[], options: ListOptions = {}): JsonObject {
  const fieldOf = options.fieldOf ?? defaultField;
  let items = all;
  const filter = req.url.searchParams.get('filter');
  if (filter !== null) {
    const exprs = parseFilter(filter);
    const allowed = allowedFilters(req);
    for (const term of filterTerms(exprs)) {
      const spec = allowed?.[term.field];
      if (!spec)
        throw invalid(`'${term.field}' is not a filterable field of ${req.operation.operationId}.`, {
          parameter: 'filter',
        });
      const ops = Object.values(spec.operators ?? {}).flat();
      if (!ops.includes(term.op))
        throw invalid(
          `Operator '${term.op}' is not allowed on '${term.field}' (allowed: ${ops.join(', ')}).`,
          {
            parameter: 'filter',
          },
        );
    }
    items = items.filter((r) => matchesFilter(exprs, (name) => fieldOf(r, name)));
  }
  const sort = req.url.searchParams.get('sort');
  if (sort) {
    const descending = sort.startsWith('-');
    const key = descending ? sort.slice(1) : sort;
    items = [...items].sort((a, b) => {
      const [x, y] = [fieldOf(a, key), fieldOf(b, key)] as [never, never];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
  }
  const cursor = req.url.searchParams.get('page[cursor]');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  const size = pageSize(req, options.fixedPageSize);
  const page = size === undefined ? items.slice(offset) : items.slice(offset, offset + size);
  const links: JsonObject = { self: req.url.toString(), next: null, prev: null };
  if (size !== undefined && offset + size < items.length) {
    const next = new URL(req.url);
    next.searchParams.set('page[cursor]', encodeCursor(offset + size));
    links.next = next.toString();
  }
  if (size !== undefined && offset > 0) {
    const prev = new URL(req.url);
    prev.searchParams.set('page[cursor]', encodeCursor(Math.max(0, offset - size)));
    links.prev = prev.toString();
  }
  const include = listParam(req.url, 'include');
  const included =
    include.length > 0 && options.includer ? dedupe(options.includer(page, include)) : undefined;
  return {
    data: page.map((r) => sparse(r, req.url)),
    links,
    ...(included ? { included: included.map((r) => sparse(r, req.url)) } : {}),
  };
}

/** `{"data":[{type,id}...]}` for relationship endpoints. */
export function identifierDocument(req: SandboxRequest, identifiers: Identifier[]): JsonObject {
  return { data: identifiers, links: { self: req.url.toString() } };
}
