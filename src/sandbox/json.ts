/** Small helpers for walking untyped JSON bodies that the schema validator has already checked. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one: bodies are schema-validated first, so absence is the only case left. */
export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Reads a dotted path (`integration.name`) from an object. */
export function getPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** JSON:API data of the body: `{"data": {...}}`. */
export function bodyData(body: unknown): JsonObject {
  return obj(obj(body).data);
}

export function bodyAttributes(body: unknown): JsonObject {
  return obj(bodyData(body).attributes);
}

/** Relationship identifiers in a `{"data":[{type,id}]}` body. */
export function identifierList(body: unknown): Array<{ type: string; id: string }> {
  const data = obj(body).data;
  if (!Array.isArray(data)) return [];
  return data.map((item) => ({ type: String(obj(item).type), id: String(obj(item).id) }));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
    return true;
  }
  return false;
}
