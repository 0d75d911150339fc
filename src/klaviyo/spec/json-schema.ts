/**
 * OpenAPI 3.0 schema objects -> JSON Schema (draft-07) that ajv can compile.
 *
 * Klaviyo's spec needs four adjustments: `nullable: true` widens the type to accept null; `oneOf` becomes
 * `anyOf` because Klaviyo's unions overlap (a body can match several variants); `discriminator`, `example`
 * and `x-*` keywords are dropped; `$ref`s are re-pointed at one shared definitions document.
 */

export const KLAVIYO_SCHEMA_ID = 'klaviyo-openapi';

/** The `$id` a converted component schema is registered under; `$ref`s point here. */
export function componentSchemaId(name: string): string {
  return `${KLAVIYO_SCHEMA_ID}:${name}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DROPPED_KEYWORDS = new Set([
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
]);

export function convertOpenApiSchema(node: unknown): Json {
  if (Array.isArray(node)) return node.map(convertOpenApiSchema);
  if (node === null || typeof node !== 'object') return node as Json;
  const source = node as Record<string, unknown>;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || DROPPED_KEYWORDS.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith('#/components/schemas/')
        ? componentSchemaId(value.slice('#/components/schemas/'.length))
        : value;
      continue;
    }
    if (key === 'properties' && value && typeof value === 'object') {
      // Property names are data, not keywords: convert each property schema but keep every name.
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, schema]) => [
          name,
          convertOpenApiSchema(schema),
        ]),
      );
      continue;
    }
    out[key === 'oneOf' ? 'anyOf' : key] = convertOpenApiSchema(value);
  }
  if (source.nullable === true) return widenToNull(out);
  return out;
}

function widenToNull(schema: Record<string, Json>): Json {
  if (typeof schema.type === 'string') {
    const widened: Record<string, Json> = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) widened.enum = [...schema.enum, null];
    return widened;
  }
  return { anyOf: [{ type: 'null' }, schema] };
}

/** Names of the component schemas a schema refers to, directly. */
export function referencedComponents(node: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedComponents(item, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        into.add(value.slice('#/components/schemas/'.length));
      } else {
        referencedComponents(value, into);
      }
    }
  }
  return into;
}

/** A component schema and every component it reaches through `$ref`s, by name. */
export function componentClosure(root: string, componentSchemas: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name) || !(name in componentSchemas)) continue;
    seen.add(name);
    for (const next of referencedComponents(componentSchemas[name])) if (!seen.has(next)) pending.push(next);
  }
  return [...seen];
}
