/** Walking a flow's step tree and naming its steps: shared by the compiler and the flow rules. */
import { STEP_KINDS, type Step, type StepKind } from './model.js';
import type { YamlPath } from './yaml-source.js';

/** Auto-generated step keys: `<kind>-<n>` from the step's position among steps of its kind. */
const KIND_PREFIX: Record<StepKind, string> = {
  wait: 'wait',
  email: 'email',
  sms: 'sms',
  split: 'split',
  trigger_split: 'trigger-split',
  ab_test: 'ab-test',
  update_profile: 'update-profile',
  webhook: 'webhook',
  list_update: 'list-update',
  raw: 'raw',
};

export function stepKind(step: Step): StepKind | undefined {
  const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** Visits every step in document order (a step, then its `then` branch, then its `else` branch). */
export function walkSteps(steps: Step[], path: YamlPath, visit: (step: Step, path: YamlPath) => void): void {
  steps.forEach((step, i) => {
    const here = [...path, i];
    visit(step, here);
    const branch = step.split ?? step.trigger_split;
    const kind = step.split ? 'split' : 'trigger_split';
    if (branch?.then) walkSteps(branch.then, [...here, kind, 'then'], visit);
    if (branch?.else) walkSteps(branch.else, [...here, kind, 'else'], visit);
  });
}

/** Each step's key, in document order: its `id`, or `<kind>-<n>`. */
export function assignStepKeys(steps: Step[]): Map<Step, string> {
  const keys = new Map<Step, string>();
  const counters = new Map<string, number>();
  walkSteps(steps, ['steps'], (step) => {
    const kind = stepKind(step);
    const prefix = kind ? KIND_PREFIX[kind] : 'step';
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    keys.set(step, step.id ?? `${prefix}-${n}`);
  });
  return keys;
}
