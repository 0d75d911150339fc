/**
 * The changes of one resource as lines both renderings share: resource-level fields, then each flow step by
 * its id and kind as written in the flow file, and the unified diff of a template's HTML and text part.
 */
import { createPatch } from 'diff';
import { isRecord } from '../../engine/normalize.js';
import type { FieldChange, ResourcePlan } from '../../engine/plan.js';
import { describeChangeLines } from './describe.js';
import { stepChangeLines, stepKind } from './step-changes.js';

/** A step and its changed fields: "wait-before-2 (wait)", then its lines. */
export interface StepLines {
  step: string;
  kind: string;
  lines: string[];
}

/** The flow steps the plan changes in place or inside a replace, each described in flow-file words. */
export function stepLines(resource: ResourcePlan): StepLines[] {
  const a = resource.action;
  if (a.type === 'update') {
    return a.steps.map((s) => ({
      step: s.step,
      kind: stepKind(s.actionType),
      lines: stepChangeLines(s.actionType, s.definition, s.changes),
    }));
  }
  if (a.type === 'replace' && a.desired.kind === 'flow') {
    const definition = a.desired.definition;
    const actions = isRecord(definition) && Array.isArray(definition.actions) ? definition.actions : [];
    return a.steps
      .filter((s) => s.change === 'changed' && s.changes.length > 0)
      .map((s) => {
        const action = actions.find((x) => isRecord(x) && x.temporary_id === s.step);
        return {
          step: s.step,
          kind: stepKind(s.actionType),
          lines: stepChangeLines(s.actionType, action, s.changes),
        };
      });
  }
  return [];
}

/** The resource-level changes of an update or replace (template bodies summarised; see `templatePatch`). */
export function fieldLines(resource: ResourcePlan): string[] {
  const a = resource.action;
  if (a.type !== 'update' && a.type !== 'replace') return [];
  return a.changes.flatMap(describeChangeLines);
}

export function isTemplateBody(change: FieldChange): boolean {
  return (
    (change.path === 'html' || change.path === 'text') &&
    (typeof change.before === 'string' || typeof change.after === 'string')
  );
}

/** A unified diff of a template part, Klaviyo's copy against the repository's, without the file header. */
export function templatePatch(change: FieldChange, context = 3): string[] {
  const before = typeof change.before === 'string' ? change.before : '';
  const after = typeof change.after === 'string' ? change.after : '';
  return createPatch(change.path, before, after, 'Klaviyo', 'repository', { context })
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('Index:') && !/^={5,}$/.test(line) && line !== '\\ No newline at end of file',
    )
    .filter((line, i, all) => !(i === all.length - 1 && line === ''));
}

/** The diff's changed hunks only, capped at `max` lines, saying how many more there are. */
export function shortPatch(change: FieldChange, max = 12): string[] {
  const lines = templatePatch(change, 1).filter((line) => !line.startsWith('---') && !line.startsWith('+++'));
  if (lines.length <= max) return lines;
  const rest = lines.slice(max).filter((l) => l.startsWith('+') || l.startsWith('-')).length;
  return [
    ...lines.slice(0, max),
    `… ${rest} more changed line${rest === 1 ? '' : 's'} (plan --markdown shows all)`,
  ];
}
