/** The segment DSL -> `SegmentCreateQuery.data.attributes.definition`. */
import type { Diagnostic } from '../project/diagnostics.js';
import type { Locator } from '../project/locator.js';
import type { Loaded, SegmentFile } from '../project/model.js';
import type { YamlPath } from '../project/yaml-source.js';
import { compileConditionGroups } from './conditions.js';
import { CompileContext, type ReferenceScope } from './context.js';
import type { DesiredSegment } from './desired-state.js';

export interface CompiledSegment {
  desired: DesiredSegment;
  sourceMap: Map<string, YamlPath>;
  at: Locator;
  diagnostics: Diagnostic[];
}

export function compileSegment(segment: Loaded<SegmentFile>, scope: ReferenceScope): CompiledSegment {
  const ctx = new CompileContext(segment.at, scope);
  const file = segment.value;
  const conditionGroups = compileConditionGroups(file.all, ['all'], '/condition_groups', 'segment', ctx);
  for (const ref of ctx.refs) {
    if (ref.kind === 'segment' && ref.key === segment.key && ref.source) {
      ctx.diagnostics.push({
        ...ref.source,
        rule: 'segment-cycle',
        severity: 'error',
        message: `segment '${segment.key}' refers to itself`,
        fix: 'a segment cannot be defined by membership of itself',
      });
    }
  }
  const conditionCount = conditionGroups.reduce((n, g) => n + g.conditions.length, 0);
  if (conditionCount > 100)
    ctx.report(
      ['all'],
      'segment-size',
      `the segment has ${conditionCount} conditions; Klaviyo allows at most 100`,
    );
  return {
    desired: {
      kind: 'segment',
      key: segment.key,
      name: file.name,
      source: ctx.location([]),
      preventDestroy: file.prevent_destroy ?? false,
      definition: { condition_groups: conditionGroups },
      isStarred: file.starred ?? false,
      refs: ctx.refs,
    },
    sourceMap: ctx.sourceMap,
    at: segment.at,
    diagnostics: ctx.diagnostics,
  };
}
