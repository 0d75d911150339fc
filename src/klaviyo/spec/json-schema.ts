/**
 * OpenAPI 3.0 schema objects -> JSON Schema (draft-07) that ajv can compile.
 *
 * Klaviyo's spec needs four adjustments: `nullable: true` widens the type to accept null; `oneOf` becomes
 * `anyOf` because Klaviyo's unions overlap (a body can match several variants); `discriminator`, `example`
 * and `x-*` keywords are dropped; `$ref`s are re-pointed at one shared definitions document.
 */

export const KLAVIYO_SCHEMA_ID = 'klaviyo-openapi';

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
      out.$ref = value.replace('#/components/schemas/', `${KLAVIYO_SCHEMA_ID}#/definitions/`);
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

/** Every component schema of the spec as one JSON Schema document with `definitions`. */
export function buildDefinitionsDocument(componentSchemas: Record<string, unknown>): Json {
  return {
    $id: KLAVIYO_SCHEMA_ID,
    definitions: Object.fromEntries(
      Object.entries(componentSchemas).map(([name, schema]) => [name, convertOpenApiSchema(schema)]),
    ),
  };
}
