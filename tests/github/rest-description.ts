/**
 * Checks a request against GitHub's official REST description (`@octokit/openapi`): the operation exists
 * for the method and path, every path and query parameter is one the operation declares and has a valid
 * value, and a JSON body is valid against the operation's request body schema. The fake answers what
 * fails here with 400/422, so a test cannot pass on a request the real GitHub would refuse.
 *
 * The description is OpenAPI 3.0: `nullable` widens a type to null, `oneOf` becomes `anyOf` (its unions
 * overlap: a title may be a string or an integer), `example`s and `x-*` are dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
}

export interface RestOperation {
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template: string;
  operationId: string;
  parameters: Parameter[];
  bodySchema: JsonObject | undefined;
  bodyRequired: boolean;
}

export interface MatchedRequest {
  operation: RestOperation;
  /** `METHOD template`, the key the fake routes on. */
  route: string;
  pathParams: Record<string, string>;
}

export type RequestCheck =
  { ok: true; match: MatchedRequest } | { ok: false; status: 400 | 404 | 422; problems: string[] };

interface Route {
  pattern: RegExp;
  names: string[];
  template: string;
  /** Literal segments rank before parameters: `/issues/comments` wins over `/issues/{issue_number}`. */
  rank: string;
}

const COMPONENTS_ID = 'github-rest';
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

class RestDescription {
  private readonly document: { paths: Record<string, Record<string, JsonObject>>; components: JsonObject };
  private readonly routes: Route[];
  private readonly ajv: Ajv;
  /** Parameters arrive as text: this one reads "100" as the integer the schema asks for. */
  private readonly textAjv: Ajv;
  private readonly bodyValidators = new Map<string, ValidateFunction>();
  private readonly paramValidators = new Map<string, ValidateFunction>();

  constructor(document: RestDescription['document']) {
    this.document = document;
    this.routes = Object.keys(document.paths)
      .map((template) => {
        const names: string[] = [];
        const segments = template.split('/').slice(1);
        const source = segments
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{}]+/g, (part, name?: string) => {
              if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
              names.push(name);
              return '([^/]+)';
            }),
          )
          .join('/');
        const rank = segments.map((segment) => (segment.includes('{') ? '1' : '0')).join('');
        return { pattern: new RegExp(`^/${source}$`), names, template, rank };
      })
      .sort((a, b) => a.rank.localeCompare(b.rank));
    // Schema names are data, not keywords: convert each schema but keep every name.
    const schemas = Object.entries((document.components.schemas ?? {}) as JsonObject);
    const definitions = {
      $id: COMPONENTS_ID,
      definitions: Object.fromEntries(schemas.map(([name, schema]) => [name, convertSchema(schema)])),
    };
    this.ajv = addFormats(new Ajv({ strict: false, allErrors: true })).addSchema(definitions);
    this.textAjv = addFormats(new Ajv({ strict: false, coerceTypes: true })).addSchema(definitions);
  }

  check(method: string, path: string, query: URLSearchParams, rawBody: string): RequestCheck {
    const found = this.find(method, path);
    if (!found)
      return { ok: false, status: 404, problems: [`no operation ${method} ${path} in GitHub's REST API`] };
    const { operation, pathParams } = found;
    const problems: string[] = [];
    const declared = new Map(
      operation.parameters.map((parameter) => [`${parameter.in}:${parameter.name}`, parameter]),
    );
    for (const [name, value] of Object.entries(pathParams)) {
      const parameter = declared.get(`path:${name}`);
      if (!parameter) problems.push(`path parameter ${name} is not declared`);
      else problems.push(...this.checkParameter(operation, parameter, decodeURIComponent(value)));
    }
    for (const name of new Set(query.keys())) {
      const parameter = declared.get(`query:${name}`);
      if (!parameter) problems.push(`unknown query parameter "${name}"`);
      else problems.push(...this.checkParameter(operation, parameter, query.get(name) ?? ''));
    }
    for (const parameter of operation.parameters) {
      if (parameter.in === 'query' && parameter.required && !query.has(parameter.name)) {
        problems.push(`missing required query parameter "${parameter.name}"`);
      }
    }
    problems.push(...this.checkBody(operation, rawBody));
    if (problems.length > 0) return { ok: false, status: rawBody && !isJson(rawBody) ? 400 : 422, problems };
    return { ok: true, match: found };
  }

  private find(method: string, path: string): MatchedRequest | undefined {
    for (const route of this.routes) {
      const hit = route.pattern.exec(path);
      if (!hit) continue;
      const item = this.document.paths[route.template]!;
      const raw = item[method.toLowerCase()];
      if (!raw) continue;
      const pathParams = Object.fromEntries(route.names.map((name, index) => [name, hit[index + 1] ?? '']));
      const operation = this.operation(method, route.template, raw, item);
      return { operation, route: `${method} ${route.template}`, pathParams };
    }
    return undefined;
  }

  private operation(method: string, template: string, raw: JsonObject, item: JsonObject): RestOperation {
    const parameters = [...((item.parameters ?? []) as Json[]), ...((raw.parameters ?? []) as Json[])].map(
      (parameter) => this.resolve(parameter) as unknown as Parameter,
    );
    const requestBody = raw.requestBody ? (this.resolve(raw.requestBody) as JsonObject) : undefined;
    const content = requestBody?.content as JsonObject | undefined;
    const json = content?.['application/json'] as JsonObject | undefined;
    return {
      method,
      template,
      operationId: String(raw.operationId),
      parameters,
      bodySchema: json?.schema as JsonObject | undefined,
      bodyRequired: requestBody?.required === true,
    };
  }

  private resolve(node: Json | undefined): Json {
    if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.$ref === 'string') {
      const path = node.$ref.replace(/^#\//, '').split('/');
      let target: Json = this.document as unknown as Json;
      for (const key of path) target = (target as JsonObject)[key]!;
      return this.resolve(target);
    }
    return node ?? null;
  }

  private checkParameter(operation: RestOperation, parameter: Parameter, value: string): string[] {
    if (!parameter.schema) return [];
    const key = `${operation.method} ${operation.template} ${parameter.in}:${parameter.name}`;
    let validate = this.paramValidators.get(key);
    if (!validate) {
      validate = this.textAjv.compile(convertSchema(this.resolve(parameter.schema)) as JsonObject);
      this.paramValidators.set(key, validate);
    }
    if (validate(value)) return [];
    const why = (validate.errors ?? []).map((error) => error.message).join(', ');
    return [`${parameter.in} parameter ${parameter.name}=${JSON.stringify(value)} is invalid: ${why}`];
  }

  private checkBody(operation: RestOperation, rawBody: string): string[] {
    if (!rawBody) return operation.bodyRequired ? ['the request body is required'] : [];
    if (!operation.bodySchema) return [`${operation.method} ${operation.template} takes no JSON body`];
    if (!isJson(rawBody)) return ['Problems parsing JSON'];
    const body = JSON.parse(rawBody) as Json;
    const key = `${operation.method} ${operation.template}`;
    let validate = this.bodyValidators.get(key);
    if (!validate) {
      validate = this.ajv.compile(convertSchema(this.resolve(operation.bodySchema)) as JsonObject);
      this.bodyValidators.set(key, validate);
    }
    const problems: string[] = [];
    if (!validate(body)) {
      for (const error of validate.errors ?? []) problems.push(`body${error.instancePath} ${error.message}`);
    }
    // GitHub ignores a field it does not know; a misspelt field would silently do nothing, so we refuse it.
    const schema = this.resolve(operation.bodySchema) as JsonObject;
    const known = schema.properties as JsonObject | undefined;
    if (known && body && typeof body === 'object' && !Array.isArray(body)) {
      for (const name of Object.keys(body))
        if (!(name in known)) problems.push(`body has unknown field "${name}"`);
    }
    return problems;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const DROPPED = new Set([
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
  'nullable',
]);

function convertSchema(node: Json | undefined): Json {
  if (Array.isArray(node)) return node.map(convertSchema);
  if (node === null || node === undefined || typeof node !== 'object') return node ?? null;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || DROPPED.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`);
    } else if (key === 'properties' && value && typeof value === 'object') {
      // Property names are data, not keywords: keep every name.
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, convertSchema(schema)]),
      );
    } else {
      out[key === 'oneOf' ? 'anyOf' : key] = convertSchema(value);
    }
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    const widened: JsonObject = { ...out, type: [out.type, 'null'] };
    if (Array.isArray(out.enum) && !out.enum.includes(null)) widened.enum = [...out.enum, null];
    return widened;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

let loaded: RestDescription | undefined;

/** GitHub's REST description, read once per process (13 MB of JSON). */
export function restDescription(): RestDescription {
  if (!loaded) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    loaded = new RestDescription(JSON.parse(readFileSync(file, 'utf8')) as RestDescription['document']);
  }
  return loaded;
}
