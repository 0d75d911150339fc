import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { componentClosure, componentSchemaId, convertOpenApiSchema } from './json-schema.js';
import { klaviyoOpenApi } from './openapi.js';

/** One problem with a request body, in Klaviyo's own error vocabulary (a JSON pointer into the body). */
export interface BodyProblem {
  pointer: string;
  detail: string;
}

export type BodyValidation = { ok: true } | { ok: false; problems: BodyProblem[] };

/**
 * Validates JSON:API bodies against a component schema of the vendored spec (for example `FlowCreateQuery`).
 * Converts and compiles each schema once, on first use, with only the components it reaches: the spec has
 * 1,290 of them and registering them all up front cost about 60 MB of memory for bodies that use a few hundred.
 */
export class KlaviyoSchemaValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly registered = new Set<string>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    // Klaviyo writes times as HH:MM:SS with no offset, which ajv-formats' RFC 3339 `time` rejects.
    this.ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/);
  }

  hasSchema(name: string): boolean {
    return name in klaviyoOpenApi.components.schemas;
  }

  validate(schemaName: string, body: unknown): BodyValidation {
    const validate = this.compile(schemaName);
    if (validate(body)) return { ok: true };
    return { ok: false, problems: summarizeErrors(validate.errors ?? []) };
  }

  /** Adds the schema and everything it references to ajv (ajv resolves `$ref`s when it compiles). */
  private register(schemaName: string): void {
    const components = klaviyoOpenApi.components.schemas;
    for (const name of componentClosure(schemaName, components)) {
      if (this.registered.has(name)) continue;
      const converted = convertOpenApiSchema(components[name]) as Record<string, unknown>;
      this.ajv.addSchema({ ...converted, $id: componentSchemaId(name) });
      this.registered.add(name);
    }
  }

  private compile(schemaName: string): ValidateFunction {
    let fn = this.compiled.get(schemaName);
    if (!fn) {
      if (!this.hasSchema(schemaName)) throw new Error(`The Klaviyo spec has no schema named ${schemaName}`);
      this.register(schemaName);
      fn = this.ajv.getSchema(componentSchemaId(schemaName));
      if (!fn) throw new Error(`Could not compile the Klaviyo schema ${schemaName}`);
      this.compiled.set(schemaName, fn);
    }
    return fn;
  }
}

let shared: KlaviyoSchemaValidator | undefined;
/** A process-wide validator: compiling the spec's definitions is the expensive part, so do it once. */
export function klaviyoSchemaValidator(): KlaviyoSchemaValidator {
  shared ??= new KlaviyoSchemaValidator();
  return shared;
}

/**
 * anyOf failures produce one error per variant; a person needs the deepest, most specific ones. Keep the
 * errors with the longest instance path and drop the generic "must match a schema in anyOf" wrappers.
 */
function summarizeErrors(errors: ErrorObject[]): BodyProblem[] {
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if');
  const pool = specific.length > 0 ? specific : errors;
  const deepest = Math.max(...pool.map((e) => e.instancePath.split('/').length));
  const seen = new Set<string>();
  const problems: BodyProblem[] = [];
  for (const error of pool) {
    if (error.instancePath.split('/').length < deepest - 1) continue;
    const detail = describe(error);
    const key = `${error.instancePath}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ pointer: error.instancePath || '/', detail });
  }
  return problems.slice(0, 10);
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `'${String(params.missingProperty)}' is a required property`;
    case 'additionalProperties':
      return `'${String(params.additionalProperty)}' is not a valid field for this object`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}
