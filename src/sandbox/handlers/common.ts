/** Bits every resource family uses: id checks, lookups that 404, timestamps. */
import type { SandboxRequest } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { bodyData } from '../json.js';

/** Klaviyo requires `data.id` of a PATCH body to be the id in the path. */
export function assertBodyId(req: SandboxRequest, param = 'id'): void {
  const pathId = req.params[param];
  const bodyId = bodyData(req.body).id;
  if (bodyId !== pathId)
    throw invalid(
      `The id in the body (${JSON.stringify(bodyId)}) does not match the id in the URL (${pathId}).`,
      {
        pointer: '/data/id',
      },
    );
}

export function found<T>(records: Record<string, T>, id: string | undefined, type: string): T {
  const record = id === undefined ? undefined : records[id];
  if (record === undefined) throw notFound(type, id ?? '');
  return record;
}

export function pathId(req: SandboxRequest, param = 'id'): string {
  return req.params[param] ?? '';
}

/** Keeps the given ids unique and in first-seen order. */
export function union(existing: string[], added: string[]): string[] {
  return [...new Set([...existing, ...added])];
}

/** A new id not yet used in `records`. */
export function freshId(records: Record<string, unknown>, make: () => string): string {
  let id = make();
  while (id in records) id = make();
  return id;
}
