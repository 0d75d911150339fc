/**
 * A flow definition as a readable step tree, each step marked with what the plan does to it:
 *
 *   trigger: added to list newsletter
 *   1. wait 1 day
 *   2. ~ email "Welcome aboard!" (template welcome)
 *   3. split: if Placed Order at least 1 time since starting this flow
 *      yes: 3.1 + email "Thanks" (template thanks)
 *      no:  (end)
 */
import { isRecord } from '../../engine/normalize.js';
import type { StepDiff } from '../../engine/plan.js';
import { quantity } from '../units.js';
import { describeConditionGroups, refName } from './conditions.js';
import { delayText } from './step-changes.js';
import { describeTrigger } from './triggers.js';

export { describeTrigger };

type Action = { temporary_id?: unknown; id?: unknown; type?: unknown; links?: unknown; data?: unknown };

function message(action: Action): Record<string, unknown> {
  return isRecord(action.data) && isRecord(action.data.message) ? action.data.message : {};
}

function quote(value: unknown, max = 60): string {
  const text = String(value ?? '');
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

export function describeStep(action: Action): string {
  const data = isRecord(action.data) ? action.data : {};
  switch (action.type) {
    case 'time-delay':
      return `wait ${delayText(data)}`;
    case 'send-email': {
      const m = message(action);
      const template = m.template_id ? ` (template ${refName(m.template_id).replace(/^template /, '')})` : '';
      return `email ${quote(m.subject_line)}${template}`;
    }
    case 'send-sms':
      return `sms ${quote(message(action).body)}`;
    case 'send-mobile-push':
      return `push ${quote(message(action).body)}`;
    case 'send-webhook':
      return `webhook ${String(message(action).url ?? '')}`;
    case 'send-internal-alert':
      return `internal alert ${quote(message(action).subject_line)}`;
    case 'conditional-split':
      return `split: if ${describeConditionGroups(data.profile_filter)}`;
    case 'trigger-split':
      return `trigger split: if ${describeConditionGroups(data.trigger_filter)}`;
    case 'multi-branch-split':
      return `multi-branch split ${quote(data.name)}`;
    case 'update-profile': {
      const ops = Array.isArray(data.profile_operations) ? data.profile_operations.filter(isRecord) : [];
      const parts = ops.map((op) =>
        op.operator === 'delete'
          ? `unset ${String(op.property_key)}`
          : `set ${String(op.property_key)} = ${JSON.stringify(op.property_value)}`,
      );
      return `update profile: ${parts.join(', ')}`;
    }
    case 'list-update':
      return `${data.on_execution === false ? 'remove from' : 'add to'} ${refName(data.list_id)}`;
    case 'ab-test': {
      const experiment = isRecord(data.current_experiment) ? data.current_experiment : {};
      const arms = [data.main_action, ...(Array.isArray(experiment.variations) ? experiment.variations : [])];
      // Each variant by what a subscriber sees first: its subject (or an SMS's text).
      const variants = arms.map((arm, i) => {
        const m = isRecord(arm) ? message(arm) : {};
        return `${String.fromCharCode(65 + i)} ${quote(m.subject_line ?? m.body)}`;
      });
      return `A/B test ${quote(experiment.name)}: ${variants.join(', ')}`;
    }
    default:
      return String(action.type);
  }
}

const MARKS: Record<StepDiff['change'], string> = {
  added: '+ ',
  changed: '~ ',
  moved: '~ (moved) ',
  retyped: '-/+ ',
  removed: '- ',
};

/** Lines of the tree of `definition` (desired: `temporary_id`s; remote: `id`s), marking the plan's steps. */
export function flowTree(definition: unknown, steps: readonly StepDiff[] = []): string[] {
  const d = isRecord(definition) ? definition : {};
  const actions = new Map<string, Action>();
  for (const action of Array.isArray(d.actions) ? d.actions : []) {
    if (isRecord(action)) actions.set(String(action.temporary_id ?? action.id), action);
  }
  const marks = new Map(steps.map((s) => [s.step, MARKS[s.change]]));
  const lines: string[] = [];
  const triggers = Array.isArray(d.triggers) ? d.triggers : [];
  lines.push(`trigger: ${triggers.map(describeTrigger).join(', ') || 'none'}`);
  if (
    isRecord(d.profile_filter) &&
    Array.isArray(d.profile_filter.condition_groups) &&
    d.profile_filter.condition_groups.length > 0
  ) {
    lines.push(`entry filters: ${describeConditionGroups(d.profile_filter)}`);
  }
  if (isRecord(d.reentry_criteria)) {
    const r = d.reentry_criteria;
    lines.push(
      r.unit === 'alltime'
        ? 're-entry: never'
        : `re-entry: once every ${quantity(r.duration, String(r.unit))}`,
    );
  }
  const seen = new Set<string>();
  const walk = (start: unknown, indent: string, numbering: string): void => {
    let id = typeof start === 'string' ? start : undefined;
    let n = 1;
    while (id !== undefined && !seen.has(id)) {
      const action = actions.get(id);
      if (!action) break;
      seen.add(id);
      const number = `${numbering}${n}`;
      lines.push(`${indent}${number}. ${marks.get(id) ?? ''}${describeStep(action)} [${id}]`);
      const links = isRecord(action.links) ? action.links : {};
      const data = isRecord(action.data) ? action.data : {};
      if ('next_if_true' in links || 'next_if_false' in links) {
        for (const [label, target] of [
          ['yes', links.next_if_true],
          ['no', links.next_if_false],
        ] as const) {
          lines.push(`${indent}   ${label}:`);
          const before = lines.length;
          walk(target, `${indent}     `, `${number}.`);
          if (lines.length === before) lines.push(`${indent}     (end)`);
        }
        return;
      }
      if (Array.isArray(data.branches)) {
        data.branches.filter(isRecord).forEach((branch, i) => {
          const filter = isRecord(branch.branch_filter)
            ? describeConditionGroups(branch.branch_filter)
            : 'otherwise';
          lines.push(`${indent}   branch ${i + 1}: ${branch.is_else ? 'otherwise' : filter}`);
          walk(isRecord(branch.links) ? branch.links.next : undefined, `${indent}     `, `${number}.`);
        });
        return;
      }
      id = typeof links.next === 'string' ? links.next : undefined;
      n += 1;
    }
  };
  walk(d.entry_action_id, '', '');
  for (const removed of steps.filter((s) => s.change === 'removed')) {
    lines.push(`- removed: ${removed.label ?? removed.actionType}`);
  }
  return lines;
}
