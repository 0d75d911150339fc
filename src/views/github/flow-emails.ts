/**
 * The comment's changed flow emails: each listed under its flow, in step order, with the subject and preview
 * text as sent. Changed means the plan writes it: a new flow, a step added or edited (its subject, preview
 * text, template, ...), or a template it sends created or changed. Without a plan every flow email is listed,
 * as every template is.
 */
import type { BrandPlan, FieldChange } from '../../engine/plan.js';
import type { FlowEmailPreview, FlowPreview, FlowVariantPreview } from '../../previews/manifest.js';
import { describeDelay } from '../previews/flows-view.js';
import { cell, code, escapeMarkdown, plural, table } from './markup.js';

export interface ChangedFlowEmail {
  flow: FlowPreview;
  email: FlowEmailPreview;
  /** Its position among the flow's emails (0: the first the subscriber gets). */
  index: number;
  /** What changed, e.g. `subject`, `template`, `new step`; empty without a plan. */
  why: string[];
}

/** The flow emails the plan changes (all of them without a plan), in flow then step order. */
export function changedFlowEmails(
  flows: readonly FlowPreview[],
  plan: BrandPlan | undefined,
): ChangedFlowEmail[] {
  const all = flows.flatMap((flow) => flow.emails.map((email, index) => ({ flow, email, index })));
  if (!plan) return all.map((e) => ({ ...e, why: [] }));
  const templates = new Set<string>();
  const flowChanges = new Map<string, 'new flow' | Map<string, Set<string>>>();
  for (const resource of plan.resources) {
    const { action } = resource;
    if (resource.kind === 'template' && ['create', 'update', 'replace'].includes(action.type))
      templates.add(resource.key);
    if (resource.kind !== 'flow') continue;
    if (action.type === 'create') flowChanges.set(resource.key, 'new flow');
    if (action.type !== 'update' && action.type !== 'replace') continue;
    const steps = new Map<string, Set<string>>();
    for (const step of action.steps) {
      if ('change' in step && step.change === 'removed') continue;
      const reasons =
        'change' in step && step.change === 'added' ? new Set(['new step']) : reasonsOf(step.changes);
      steps.set(step.step, reasons);
    }
    flowChanges.set(resource.key, steps);
  }
  return all.flatMap((entry) => {
    const changes = flowChanges.get(entry.flow.key);
    if (changes === 'new flow') return [{ ...entry, why: ['new flow'] }];
    const why = new Set(changes?.get(entry.email.step) ?? []);
    if (entry.email.variants.some((v) => templates.has(v.template))) why.add('template');
    return why.size > 0 ? [{ ...entry, why: [...why] }] : [];
  });
}

function reasonsOf(changes: readonly FieldChange[]): Set<string> {
  const reasons = new Set<string>();
  for (const change of changes) {
    if (change.path.includes('subject_line')) reasons.add('subject');
    else if (change.path.includes('preview_text')) reasons.add('preview text');
    else if (change.path.includes('template') || change.cause?.includes('template')) reasons.add('template');
    else reasons.add('settings');
  }
  return reasons;
}

/** Per flow a heading and a table, for at most `limit` emails, then a line counting the rest. */
export function flowEmailsList(
  changed: readonly ChangedFlowEmail[],
  limit = Infinity,
  restWhere: string,
): string[] {
  if (changed.length === 0) return [];
  const shown = changed.slice(0, Math.max(0, limit));
  const out: string[] = [];
  const withWhy = changed.some((c) => c.why.length > 0);
  for (const flow of [...new Set(shown.map((c) => c.flow))]) {
    const rows = shown
      .filter((c) => c.flow === flow)
      .flatMap((c) => c.email.variants.map((v, i) => row(c, v, i === 0, withWhy)));
    out.push(`**${escapeMarkdown(flow.name)}** ${code(flow.key)}`, '');
    out.push(
      ...table(
        ['Step', 'Wait before', 'Subject', 'Preview text', 'Template', ...(withWhy ? ['Changed'] : [])],
        rows,
      ),
      '',
    );
  }
  const rest = changed.length - shown.length;
  if (rest > 0) out.push(`… and ${plural(rest, 'more flow email')} ${restWhere}.`);
  else out.pop();
  return out;
}

function row(c: ChangedFlowEmail, v: FlowVariantPreview, first: boolean, withWhy: boolean): string[] {
  const step = `${code(c.email.step)}${v.label ? ` ${v.label} · ${v.share}%` : ''}`;
  const wait = first ? cell(describeDelay(c.email.delay, c.index === 0)) : '';
  const lines =
    v.status === 'rendered'
      ? [cell(v.subjectLine), cell(v.previewLine)]
      : [`:x: not rendered: ${cell(v.reason)}`, ''];
  return [step, wait, ...lines, code(v.template), ...(withWhy ? [first ? cell(c.why.join(', ')) : ''] : [])];
}
