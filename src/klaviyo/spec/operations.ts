import { klaviyoOpenApi, type OpenApiOperation } from './openapi.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Klaviyo's published per-operation rate limit: fixed 1 s and 1 min windows, sometimes a daily cap. */
export interface RateLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
  dailyCap?: number;
}

export interface KlaviyoOperation {
  operationId: string;
  method: HttpMethod;
  /** The spec's path template, e.g. `/api/flows/{id}`. */
  pathTemplate: string;
  rateLimit: RateLimit;
  /** Component schema name of the JSON body, when the operation takes one. */
  requestSchema?: string;
  requestBodyRequired: boolean;
  /** The largest `page[size]` the operation accepts, for list operations. */
  maxPageSize?: number;
  defaultPageSize?: number;
  preRelease: boolean;
}

const FALLBACK_LIMIT: RateLimit = { burstPerSecond: 1, steadyPerMinute: 15 };

function parsePerUnit(text: string | undefined, unit: 's' | 'm' | 'd'): number | undefined {
  const match = text?.match(/^(\d+)\/(\w)$/);
  if (!match || match[2] !== unit) return undefined;
  return Number(match[1]);
}

function toOperation(method: HttpMethod, pathTemplate: string, op: OpenApiOperation): KlaviyoOperation {
  const limit = op['x-klaviyo-ratelimit'];
  const schemaRef = Object.values(op.requestBody?.content ?? {})[0]?.schema?.$ref;
  const pageSize = op.parameters?.find((p) => p.name === 'page[size]')?.schema as
    { maximum?: number; default?: number } | undefined;
  const dailyCap = parsePerUnit(limit?.daily, 'd');
  return {
    operationId: op.operationId,
    method,
    pathTemplate,
    rateLimit: {
      burstPerSecond: parsePerUnit(limit?.burst, 's') ?? FALLBACK_LIMIT.burstPerSecond,
      steadyPerMinute: parsePerUnit(limit?.steady, 'm') ?? FALLBACK_LIMIT.steadyPerMinute,
      ...(dailyCap !== undefined ? { dailyCap } : {}),
    },
    ...(schemaRef ? { requestSchema: schemaRef.replace('#/components/schemas/', '') } : {}),
    requestBodyRequired: op.requestBody?.required === true,
    ...(pageSize?.maximum !== undefined ? { maxPageSize: pageSize.maximum } : {}),
    ...(pageSize?.default !== undefined ? { defaultPageSize: pageSize.default } : {}),
    preRelease: op['x-klaviyo-pre-release'] !== undefined && op['x-klaviyo-pre-release'] !== 'None',
  };
}

interface CompiledRoute {
  operation: KlaviyoOperation;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
}

function compileRoute(operation: KlaviyoOperation): CompiledRoute {
  const paramNames: string[] = [];
  let literalSegments = 0;
  const source = operation.pathTemplate
    .split('/')
    .map((segment) => {
      const param = segment.match(/^\{(.+)\}$/);
      if (param) {
        paramNames.push(param[1]!);
        return '([^/]+)';
      }
      if (segment) literalSegments += 1;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { operation, pattern: new RegExp(`^${source}/?$`), paramNames, literalSegments };
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** Every operation of the vendored spec, keyed by operationId. */
export const klaviyoOperations: ReadonlyMap<string, KlaviyoOperation> = (() => {
  const map = new Map<string, KlaviyoOperation>();
  for (const [pathTemplate, item] of Object.entries(klaviyoOpenApi.paths)) {
    for (const method of METHODS) {
      const op = item[method.toLowerCase()] as OpenApiOperation | undefined;
      if (op?.operationId) map.set(op.operationId, toOperation(method, pathTemplate, op));
    }
  }
  return map;
})();

// Literal routes win over parameterised ones (`/api/flows/{id}` must not swallow a literal sibling).
const routes: CompiledRoute[] = [...klaviyoOperations.values()]
  .map(compileRoute)
  .sort((a, b) => b.literalSegments - a.literalSegments);

export interface MatchedOperation {
  operation: KlaviyoOperation;
  pathParams: Record<string, string>;
}

/** Finds the spec operation for a concrete method and path (`/api/flows/XyZ12`), or undefined. */
export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  const upper = method.toUpperCase();
  for (const route of routes) {
    if (route.operation.method !== upper) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    route.paramNames.forEach((name, i) => (pathParams[name] = decodeURIComponent(match[i + 1]!)));
    return { operation: route.operation, pathParams };
  }
  return undefined;
}

/** True when some operation exists at this path under another method (a 405 rather than a 404). */
export function pathExists(path: string): boolean {
  return routes.some((route) => route.pattern.test(path));
}

export function operationById(operationId: string): KlaviyoOperation {
  const op = klaviyoOperations.get(operationId);
  if (!op) throw new Error(`The Klaviyo spec has no operation ${operationId}`);
  return op;
}
