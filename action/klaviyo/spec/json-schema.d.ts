/**
 * OpenAPI 3.0 schema objects -> JSON Schema (draft-07) that ajv can compile.
 *
 * Klaviyo's spec needs four adjustments: `nullable: true` widens the type to accept null; `oneOf` becomes
 * `anyOf` because Klaviyo's unions overlap (a body can match several variants); `discriminator`, `example`
 * and `x-*` keywords are dropped; `$ref`s are re-pointed at one shared definitions document.
 */
export declare const KLAVIYO_SCHEMA_ID = "klaviyo-openapi";
/** The `$id` a converted component schema is registered under; `$ref`s point here. */
export declare function componentSchemaId(name: string): string;
type Json = null | boolean | number | string | Json[] | {
    [key: string]: Json;
};
export declare function convertOpenApiSchema(node: unknown): Json;
/** Names of the component schemas a schema refers to, directly. */
export declare function referencedComponents(node: unknown, into?: Set<string>): Set<string>;
/** A component schema and every component it reaches through `$ref`s, by name. */
export declare function componentClosure(root: string, componentSchemas: Record<string, unknown>): string[];
export {};
