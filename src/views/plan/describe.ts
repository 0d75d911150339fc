/** Words and symbols shared by the text and markdown renderings of a plan. */
import type { FieldChange, HandEdit, JsonValue, ResourceAction, ResourcePlan } from '../../engine/plan.js';
import { describeConditionGroups, refName } from './conditions.js';

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

function short(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** A value in one line: strings quoted, placeholders by name, conditions in English, long values shortened. */
export function formatValue(path: string, value: JsonValue | undefined): string {
  if (value === undefined) return '(unset)';
  if (path === 'definition' || path.endsWith('profile_filter') || path.endsWith('trigger_filter')) {
    return describeConditionGroups(value);
  }
  if (typeof value === 'string')
    return /^@(metric|list|segment|template):/.test(value) ? refName(value) : JSON.stringify(short(value));
  return short(JSON.stringify(value));
}

export function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length;
}

/** `path: before -> after` (HTML and text summarised by size). */
export function describeChange(change: FieldChange): string {
  const why = [change.cause, change.origin === 'hand-edit' ? 'reverts an edit made in Klaviyo' : undefined];
  const cause = why.some(Boolean) ? ` (${why.filter(Boolean).join('; ')})` : '';
  if (
    (change.path === 'html' || change.path === 'text') &&
    (typeof change.before === 'string' || typeof change.after === 'string')
  ) {
    const before = typeof change.before === 'string' ? change.before : '';
    const after = typeof change.after === 'string' ? change.after : '';
    return `${change.path}: ${lineCount(before)} -> ${lineCount(after)} lines, ${before.length} -> ${after.length} characters${cause}`;
  }
  return `${change.path || '(whole)'}: ${formatValue(change.path, change.before)} -> ${formatValue(change.path, change.after)}${cause}`;
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
