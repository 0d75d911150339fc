/**
 * Flow and segment bodies name other objects by id (templates, lists, segments, metrics). Klaviyo refuses a
 * body whose ids do not exist; so does the sandbox, pointing at the offending field.
 */
import { invalid } from './errors.js';
import { isObject } from './json.js';
import type { AccountState } from './store.js';

type Kind = 'template' | 'list' | 'segment' | 'metric' | 'list or segment';

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function exists(account: AccountState, kind: Kind, id: string): boolean {
  switch (kind) {
    case 'template':
      return id in account.templates;
    case 'list':
      return id in account.lists;
    case 'segment':
      return id in account.segments;
    case 'metric':
      return id in account.metrics;
    case 'list or segment':
      return id in account.lists || id in account.segments;
  }
}

function require(account: AccountState, kind: Kind, id: unknown, pointer: string): void {
  if (typeof id !== 'string') return;
  if (!exists(account, kind, id)) throw invalid(`The ${kind} with id '${id}' does not exist.`, { pointer });
}

const TRIGGER_KINDS: Record<string, Kind> = { list: 'list', segment: 'segment', metric: 'metric' };

/** Throws a 400 at the first id in `value` (found at `pointer`) that names no object of the account. */
export function checkReferences(account: AccountState, value: unknown, pointer: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkReferences(account, item, `${pointer}/${i}`));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const at = `${pointer}/${escapePointer(key)}`;
    switch (key) {
      case 'template_id':
        require(account, 'template', child, at);
        break;
      case 'metric_id':
        require(account, 'metric', child, at);
        break;
      case 'list_id':
        require(account, 'list', child, at);
        break;
      case 'group_ids':
        if (Array.isArray(child))
          child.forEach((id, i) => require(account, 'list or segment', id, `${at}/${i}`));
        break;
      case 'triggers':
        if (Array.isArray(child))
          child.forEach((trigger, i) => {
            const kind = isObject(trigger) ? TRIGGER_KINDS[String(trigger.type)] : undefined;
            if (kind && isObject(trigger)) require(account, kind, trigger.id, `${at}/${i}/id`);
          });
        break;
      case 'trigger_id': {
        const kind = TRIGGER_KINDS[String(value.trigger_type)];
        if (kind) require(account, kind, child, at);
        break;
      }
    }
    checkReferences(account, child, at);
  }
}
