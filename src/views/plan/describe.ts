/** Words and symbols shared by the text and markdown renderings of a plan. */
import type { FieldChange, HandEdit, JsonValue, ResourceAction, ResourcePlan } from '../../engine/plan.js';
import { fieldChanges } from '../../engine/diff/fields.js';
import { isRecord } from '../../engine/normalize.js';
import { conditionChanges } from './condition-diff.js';
import { describeConditionGroups, refName } from './conditions.js';
import { describeTrigger, triggerChanges } from './triggers.js';
import { shorten, valuePair } from './value-diff.js';

/** Terraform's symbols. */
export function actionSymbol(action: ResourceAction): string {
  switch (action.type) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'replace':
      return '-/+';
    case 'delete':
      return '-';
    case 'orphan':
      return action.policy === 'archive' ? '~' : '=';
    case 'noop':
      return ' ';
  }
}

export function actionWords(action: ResourceAction): string {
  switch (action.type) {
    case 'create':
      return 'create';
    case 'update':
      return 'update in place';
    case 'replace':
      return 'replace';
    case 'delete':
      return 'delete';
    case 'orphan': {
      const why =
        action.reason === 'superseded'
          ? 'superseded by a newer object with the same key'
          : 'removed from code';
      const how =
        action.policy === 'archive'
          ? 'archive (detach, keep in Klaviyo)'
          : `keep${action.protected ? ' (prevent_destroy)' : ''}`;
      return `${how}: ${why}`;
    }
    case 'noop':
      return 'no changes';
  }
}

/** Destructive or disruptive: never collapsed away in a comment. */
export function isProminent(resource: ResourcePlan): boolean {
  return resource.action.type === 'delete' || resource.action.type === 'replace';
}

export function resourceTitle(resource: ResourcePlan): string {
  return `${resource.kind} ${resource.key} ${JSON.stringify(resource.name)}`;
}

/** A value in one line: strings quoted, placeholders by name, conditions in English, long values shortened. */
export function formatValue(path: string, value: JsonValue | undefined): string {
  if (value === undefined) return '(unset)';
  if (path === 'definition' || path.endsWith('profile_filter') || path.endsWith('trigger_filter')) {
    return describeConditionGroups(value);
  }
  if (path.endsWith('triggers') && Array.isArray(value)) return value.map(describeTrigger).join(', ');
  if (typeof value === 'string')
    return /^@(metric|list|segment|template):/.test(value) ? refName(value) : JSON.stringify(shorten(value));
  return shorten(JSON.stringify(value));
}

export function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length;
}

/** Why a change is made, when it is not a plain edit: "(template welcome-1 changed; reverts an edit ...)". */
export function changeCause(change: FieldChange): string {
  const why = [change.cause, change.origin === 'hand-edit' ? 'reverts an edit made in Klaviyo' : undefined];
  return why.some(Boolean) ? ` (${why.filter(Boolean).join('; ')})` : '';
}

function reentryText(value: JsonValue | undefined): string {
  if (!isRecord(value)) return 'any time';
  if (value.unit === 'alltime') return 'never';
  return `once every ${plural(value.duration, String(value.unit ?? 'day'))}`;
}

function plural(n: unknown, unit: string): string {
  const base = unit.replace(/s$/, '');
  return `${String(n)} ${base}${n === 1 ? '' : 's'}`;
}

const FIELD_WORDS: Record<string, string> = {
  isStarred: 'starred',
  preventDestroy: 'prevent_destroy',
  'definition.profile_filter': 'entry filters',
  'definition.reentry_criteria': 're-entry',
};

/**
 * A resource-level change as lines, each naming what the files call it: "condition changed: ... at least
 * 750 -> 500 ...", "trigger days before: 2 -> 3", "html: 6 -> 7 lines". Long values show where they differ.
 */
export function describeChangeLines(change: FieldChange): string[] {
  const cause = changeCause(change);
  const { path, before, after } = change;
  if ((path === 'html' || path === 'text') && (typeof before === 'string' || typeof after === 'string')) {
    const a = typeof before === 'string' ? before : '';
    const b = typeof after === 'string' ? after : '';
    return [
      `${path}: ${lineCount(a)} -> ${lineCount(b)} lines, ${a.length} -> ${b.length} characters${cause}`,
    ];
  }
  let lines: string[] = [];
  if (path === 'definition' || path.endsWith('profile_filter')) {
    const where = path === 'definition' ? '' : 'entry filters ';
    lines = conditionChanges(before, after).map((line) => `${where}${line}`);
  } else if (path === 'definition.triggers') {
    lines = triggerChanges(before, after);
  } else if (path === 'definition.reentry_criteria') {
    lines = [`re-entry: ${reentryText(before)} -> ${reentryText(after)}`];
  }
  if (lines.length === 0) {
    // Anything else, or conditions that read the same in words: the changed leaves, each where it differs.
    const leaves =
      isRecord(before) || Array.isArray(before)
        ? fieldChanges(before, after, '')
        : [{ path: '', before, after }];
    lines = leaves.map((leaf) => {
      const [from, to] = valuePair(shown(leaf.before), shown(leaf.after));
      const name = FIELD_WORDS[path] ?? (path || '(whole)');
      return `${leaf.path ? `${name} ${leaf.path}` : name}: ${from} -> ${to}`;
    });
  }
  return lines.map((line) => `${line}${cause}`);
}

function shown(value: JsonValue | undefined): JsonValue | undefined {
  return typeof value === 'string' && /^@(metric|list|segment|template):/.test(value)
    ? refName(value)
    : value;
}

/** One line of a change (lines joined by "; "), for places with room for one line only. */
export function describeChange(change: FieldChange): string {
  return describeChangeLines(change).join('; ');
}

/** `2026-12-02 10:31 UTC` from an ISO stamp (the stamp itself when it does not parse). */
export function formatStamp(stamp: string): string {
  const time = Date.parse(stamp);
  if (!Number.isFinite(time)) return stamp;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What was edited in Klaviyo and when: "edited in Klaviyo at ... (last applied ...): html, status". */
export function describeHandEdit(handEdit: HandEdit): string {
  if (handEdit.type === 'deleted')
    return `deleted in Klaviyo after the last apply (${formatStamp(handEdit.lastApplied)}); apply re-creates it`;
  const since = handEdit.lastApplied ? ` (last applied ${formatStamp(handEdit.lastApplied)})` : '';
  return `edited in Klaviyo at ${formatStamp(handEdit.updated)}${since}; apply reverts: ${handEdit.paths.join(', ')}`;
}

/** How to keep a hand edit instead of reverting it, or to revert it on purpose. */
export function handEditAdvice(brand: string): string {
  return `to keep the edit: \`klaviyo-gitops pull --brand ${brand}\` writes it into the files (commit them); to revert it: \`klaviyo-gitops apply --overwrite-hand-edits\``;
}

/** Why an object is recognised although its name lost the key suffix. */
export function describeRelink(resource: ResourcePlan): string | undefined {
  const relink = resource.relink;
  if (!relink) return undefined;
  const how =
    relink.by === 'applied-record'
      ? 'the applied record knows its id'
      : 'it carries the klaviyo-gitops tag and the same name';
  return `re-linked: its name in Klaviyo, ${JSON.stringify(relink.previousName)}, lost the [kg:${resource.key}] suffix (${how}); apply restores the suffix`;
}
