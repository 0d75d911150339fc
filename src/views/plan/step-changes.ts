/**
 * A flow step's changes in the words of the flow file: the step id and its kind as written (`wait`, `email`,
 * `ab_test`), the field by its meaning ("subject (variant B)", "delay"), conditions as sentences. The plan
 * records leaf paths inside Klaviyo's action object (`data.current_experiment.variations.0.data.message.
 * subject_line`); this turns them back into what a marketer edited.
 */
import { isRecord } from '../../engine/normalize.js';
import type { FieldChange, JsonValue } from '../../engine/plan.js';
import { conditionChanges } from './condition-diff.js';
import { refName } from './conditions.js';
import { valuePair } from './value-diff.js';
import { clockTime, quantity } from '../units.js';

/** Klaviyo action types by the step kind a flow file writes. */
const STEP_KINDS: Record<string, string> = {
  'time-delay': 'wait',
  'send-email': 'email',
  'send-sms': 'sms',
  'conditional-split': 'split',
  'trigger-split': 'trigger_split',
  'ab-test': 'ab_test',
  'update-profile': 'update_profile',
  'send-webhook': 'webhook',
  'list-update': 'list_update',
};

export function stepKind(actionType: string): string {
  return STEP_KINDS[actionType] ?? actionType;
}

/** Message fields by what the flow file calls them. */
const MESSAGE_FIELDS: Record<string, string> = {
  subject_line: 'subject',
  preview_text: 'preview text',
  from_email: 'from email',
  from_label: 'from name',
  reply_to_email: 'reply-to email',
  cc_email: 'cc email',
  bcc_email: 'bcc email',
  smart_sending_enabled: 'smart sending',
  transactional: 'transactional',
  add_tracking_params: 'UTM tracking',
  custom_tracking_params: 'UTM parameters',
  body: 'text',
  name: 'name',
};

const DELAY_FIELDS = new Set([
  'data.value',
  'data.unit',
  'data.delay_until_time',
  'data.delay_until_weekdays',
]);
const CONDITION_KEYS = ['profile_filter', 'trigger_filter', 'branch_filter'];

/** The value at a dotted path (array indexes as numbers). */
function at(value: unknown, path: string): unknown {
  let here = value;
  for (const key of path.split('.').filter(Boolean)) {
    if (Array.isArray(here)) here = here[Number(key)];
    else if (isRecord(here)) here = here[key];
    else return undefined;
  }
  return here;
}

/** `value` with `path` set to `to` (removed when undefined), parents created as needed. */
function put(value: unknown, path: string, to: unknown): unknown {
  const keys = path.split('.').filter(Boolean);
  if (keys.length === 0) return to;
  const root = structuredClone(value ?? {}) as Record<string, unknown>;
  let here: Record<string, unknown> = root;
  keys.slice(0, -1).forEach((key) => {
    if (!isRecord(here[key]) && !Array.isArray(here[key])) here[key] = {};
    here = here[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1]!;
  if (to === undefined) delete here[last];
  else here[last] = to;
  return root;
}

/** The action as it is in Klaviyo: the desired action with each changed leaf set back to its old value. */
export function actionBefore(after: unknown, changes: readonly FieldChange[]): unknown {
  return changes.reduce<unknown>((value, change) => put(value, change.path, change.before), after);
}

/** "2 days until 10:00 on monday, tuesday": a delay as the flow file sets it. */
export function delayText(data: unknown): string {
  const d = isRecord(data) ? data : {};
  const amount = quantity(d.value, String(d.unit ?? 'days'));
  const until = d.delay_until_time ? ` until ${clockTime(d.delay_until_time)}` : '';
  const weekdays =
    Array.isArray(d.delay_until_weekdays) && d.delay_until_weekdays.length > 0
      ? ` on ${d.delay_until_weekdays.join(', ')}`
      : '';
  return `${amount}${until}${weekdays}`;
}

/** "subject (variant B)" from the path of a message inside an A/B test, "subject" elsewhere. */
function messageLabel(path: string): string | undefined {
  const match =
    /^data\.(?:main_action\.data\.message|current_experiment\.variations\.(\d+)\.data\.message|message)\.([a-z_]+)$/.exec(
      path,
    );
  if (!match) return undefined;
  const field = MESSAGE_FIELDS[match[2]!] ?? match[2]!.replace(/_/g, ' ');
  if (path.startsWith('data.main_action.')) return `${field} (variant A)`;
  if (match[1] !== undefined) return `${field} (variant ${String.fromCharCode(66 + Number(match[1]))})`;
  return field;
}

/** A leaf path as words: `data.current_experiment.winner_metric` -> "winner metric". */
function pathWords(path: string): string {
  return path
    .replace(/^data\./, '')
    .replace(/^current_experiment\./, 'A/B test ')
    .replace(/_/g, ' ')
    .replace(/\./g, ' ');
}

function show(value: JsonValue | undefined): JsonValue | undefined {
  return typeof value === 'string' && /^@(metric|list|segment|template):/.test(value)
    ? refName(value)
    : value;
}

function describeLeaf(change: FieldChange): string {
  const copyOf = /\.template_id$/.test(change.path) ? templateCopy(change) : undefined;
  if (copyOf) return copyOf;
  const label = messageLabel(change.path) ?? pathWords(change.path);
  const [before, after] = valuePair(show(change.before), show(change.after));
  return `${label}: ${before} -> ${after}`;
}

/** A flow email's copy of its template, re-assigned: which template, and why. */
function templateCopy(change: FieldChange): string | undefined {
  const key =
    /^@template:(.+)$/.exec(String(change.after ?? ''))?.[1] ?? /^(\S+) \(/.exec(String(change.after))?.[1];
  if (key === undefined) return undefined;
  const variant = messageLabel(change.path.replace(/template_id$/, 'body'))?.replace(/^text ?/, '') ?? '';
  const where = variant ? ` ${variant}` : '';
  if (change.cause && change.cause !== `template ${key} changed`)
    return `email content${where}: ${change.cause}; set back to template ${key}`;
  return `email content${where}: takes the new content of template ${key}`;
}

/**
 * One line per change of a step: "delay: 4 days -> 2 days", "subject (variant B): "a" -> "b"",
 * "condition changed: Placed Order at least 1 -> 2 times". `after` is the desired action.
 */
export function stepChangeLines(
  actionType: string,
  after: unknown,
  changes: readonly FieldChange[],
): string[] {
  const before = actionBefore(after, changes);
  const lines: string[] = [];
  const delay = changes.filter((c) => DELAY_FIELDS.has(c.path));
  if (actionType === 'time-delay' && delay.length > 0)
    lines.push(`delay: ${delayText(at(before, 'data'))} -> ${delayText(at(after, 'data'))}`);
  const describedRoots = new Set<string>();
  for (const change of changes) {
    if (actionType === 'time-delay' && DELAY_FIELDS.has(change.path)) continue;
    const keys = change.path.split('.');
    const i = keys.findIndex((k) => CONDITION_KEYS.includes(k));
    if (i >= 0) {
      const root = keys.slice(0, i + 1).join('.');
      if (describedRoots.has(root)) continue;
      const described = conditionChanges(at(before, root), at(after, root));
      if (described.length > 0) {
        describedRoots.add(root);
        const branch = /branches\.(\d+)\./.exec(root);
        const where = branch ? `branch ${Number(branch[1]) + 1} ` : '';
        lines.push(...described.map((line) => `${where}${line}`));
        continue;
      }
    }
    lines.push(describeLeaf(change));
  }
  return lines;
}
