/**
 * Checks compiled bodies against the vendored Klaviyo spec (FlowCreateQuery, SegmentCreateQuery) and reports
 * each violation at the YAML node it came from, through the compile source map.
 */
import { klaviyoOpenApi, klaviyoSchemaValidator, type BodyProblem } from '../klaviyo/spec/index.js';
import { suggestion, type Diagnostic } from '../project/diagnostics.js';
import { diagnosticAt, type Locator } from '../project/locator.js';
import type { YamlPath } from '../project/yaml-source.js';
import type { DesiredFlow, DesiredSegment } from './desired-state.js';

const DEFINITION_POINTER = '/data/attributes/definition';

export function flowCreateBody(flow: DesiredFlow): unknown {
  return { data: { type: 'flow', attributes: { name: flow.name, definition: flow.definition } } };
}

export function segmentCreateBody(segment: DesiredSegment): unknown {
  return {
    data: {
      type: 'segment',
      attributes: { name: segment.name, definition: segment.definition, is_starred: segment.isStarred },
    },
  };
}

export function checkFlowAgainstSpec(
  flow: DesiredFlow,
  sourceMap: Map<string, YamlPath>,
  at: Locator,
): Diagnostic[] {
  const result = klaviyoSchemaValidator().validate('FlowCreateQuery', flowCreateBody(flow));
  if (result.ok) return [];
  // The action union has twenty variants, so an action that fits none fails all twenty. Check each action
  // against the one schema its `type` names instead; keep the body-level problems outside the actions.
  const problems: BodyProblem[] = result.problems.filter(
    (p) => !p.pointer.startsWith(`${DEFINITION_POINTER}/actions/`),
  );
  const schemas = actionSchemas();
  flow.definition.actions.forEach((action, i) => {
    const base = `${DEFINITION_POINTER}/actions/${i}`;
    const schema = schemas.get(action.type);
    if (!schema) {
      const hint = suggestion(action.type, schemas.keys());
      problems.push({
        pointer: `${base}/type`,
        detail: `'${action.type}' is not a flow action type${hint ? ` (${hint})` : ''}`,
      });
      return;
    }
    const own = klaviyoSchemaValidator().validate(schema, action);
    if (!own.ok) {
      for (const p of own.problems)
        problems.push({ pointer: `${base}${p.pointer === '/' ? '' : p.pointer}`, detail: p.detail });
    }
  });
  return report(problems, sourceMap, at);
}

export function checkSegmentAgainstSpec(
  segment: DesiredSegment,
  sourceMap: Map<string, YamlPath>,
  at: Locator,
): Diagnostic[] {
  const result = klaviyoSchemaValidator().validate('SegmentCreateQuery', segmentCreateBody(segment));
  return result.ok ? [] : report(result.problems, sourceMap, at);
}

let actionSchemaCache: Map<string, string> | undefined;

/** Flow action `type` -> the spec schema of that action, read from FlowDefinition's action union. */
function actionSchemas(): Map<string, string> {
  if (actionSchemaCache) return actionSchemaCache;
  const schemas = klaviyoOpenApi.components.schemas as Record<
    string,
    { properties?: Record<string, unknown> }
  >;
  const actions = schemas.FlowDefinition?.properties?.actions as {
    items?: { oneOf?: Array<{ $ref?: string }> };
  };
  actionSchemaCache = new Map();
  for (const variant of actions?.items?.oneOf ?? []) {
    const name = variant.$ref?.split('/').pop();
    const type = (schemas[name ?? '']?.properties?.type as { enum?: string[] } | undefined)?.enum?.[0];
    if (name && type) actionSchemaCache.set(type, name);
  }
  return actionSchemaCache;
}

/** One diagnostic per YAML location, naming up to three of the problems found there. */
function report(problems: BodyProblem[], sourceMap: Map<string, YamlPath>, at: Locator): Diagnostic[] {
  const byPath = new Map<string, { path: YamlPath; details: string[] }>();
  for (const problem of problems) {
    const relative = problem.pointer.startsWith(DEFINITION_POINTER)
      ? problem.pointer.slice(DEFINITION_POINTER.length)
      : '';
    const path = yamlPathFor(relative, sourceMap);
    const key = JSON.stringify(path);
    const entry = byPath.get(key) ?? { path, details: [] };
    entry.details.push(`${problem.detail} (at ${problem.pointer})`);
    byPath.set(key, entry);
  }
  return [...byPath.values()].map(({ path, details }) => {
    const more = details.length > 3 ? `; and ${details.length - 3} more` : '';
    return diagnosticAt(
      at(path),
      'klaviyo-spec',
      'error',
      `Klaviyo would reject this: ${details.slice(0, 3).join('; ')}${more}`,
      'fix the YAML here, or check a raw: block against the Klaviyo API reference',
    );
  });
}

/** The YAML path of the longest mapped prefix of `pointer`. */
export function yamlPathFor(pointer: string, sourceMap: Map<string, YamlPath>): YamlPath {
  let candidate = pointer;
  for (;;) {
    const path = sourceMap.get(candidate);
    if (path) return path;
    const cut = candidate.lastIndexOf('/');
    if (cut <= 0) return [];
    candidate = candidate.slice(0, cut);
  }
}
