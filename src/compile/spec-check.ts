/**
 * Checks compiled bodies against the vendored Klaviyo spec (FlowCreateQuery, SegmentCreateQuery) and reports
 * each violation at the YAML node it came from, through the compile source map.
 */
import { klaviyoSchemaValidator } from '../klaviyo/spec/index.js';
import type { Diagnostic } from '../project/diagnostics.js';
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
  return check('FlowCreateQuery', flowCreateBody(flow), sourceMap, at);
}

export function checkSegmentAgainstSpec(
  segment: DesiredSegment,
  sourceMap: Map<string, YamlPath>,
  at: Locator,
): Diagnostic[] {
  return check('SegmentCreateQuery', segmentCreateBody(segment), sourceMap, at);
}

function check(schema: string, body: unknown, sourceMap: Map<string, YamlPath>, at: Locator): Diagnostic[] {
  const result = klaviyoSchemaValidator().validate(schema, body);
  if (result.ok) return [];
  return result.problems.map((problem) => {
    const relative = problem.pointer.startsWith(DEFINITION_POINTER)
      ? problem.pointer.slice(DEFINITION_POINTER.length)
      : '';
    const path = yamlPathFor(relative, sourceMap);
    return diagnosticAt(
      at(path),
      'klaviyo-spec',
      'error',
      `Klaviyo would reject this: ${problem.detail} at ${problem.pointer}`,
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
