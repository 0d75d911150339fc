/**
 * The plan as a pull-request comment. Counts on top; deletes and replaces always visible (never inside a
 * collapsed section); each resource in its own `<details>`; flows as step trees, segments in English,
 * templates as a subject/preview table plus unified diffs of HTML and text.
 *
 * A character budget (GitHub caps a comment at 65,536) degrades the detail level, and the comment says so:
 * full diffs -> one line per resource -> counts and the prominent items only.
 */
import {
  formatDailyCap,
  formatSummary,
  type BrandPlan,
  type FieldChange,
  type Plan,
  type ResourcePlan,
} from '../../engine/plan.js';
import { describeConditionGroups } from './conditions.js';
import {
  actionSymbol,
  actionWords,
  describeChangeLines,
  describeHandEdit,
  describeRelink,
  handEditAdvice,
  isProminent,
} from './describe.js';
import { isTemplateBody, stepLines, templatePatch } from './change-lines.js';
import { consequences } from './consequences.js';
import { flowTree } from './flow-tree.js';

export const DEFAULT_MARKDOWN_BUDGET = 60_000;

export type MarkdownDetail = 'full' | 'summary' | 'counts';

export interface MarkdownOptions {
  /** Maximum characters of the comment; default 60,000. */
  budget?: number;
  /** Where the complete plan can be read (workflow run, artifact). */
  fullPlanLink?: string;
  title?: string;
}

/** Escapes text for markdown and inline HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([*_`[\]])/g, '\\$1');
}

function code(text: string): string {
  const ticks = '`'.repeat(Math.max(1, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function fence(content: string, language = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${content.replace(/\n$/, '')}\n${ticks}`;
}

function title(resource: ResourcePlan): string {
  return `${code(actionSymbol(resource.action))} ${resource.kind} ${code(resource.key)} “${escapeMarkdown(resource.name)}”`;
}

/** The same title for inside HTML (`<summary>`), where markdown is not rendered. */
function htmlTitle(resource: ResourcePlan): string {
  const html = (text: string): string =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<code>${html(actionSymbol(resource.action))}</code> ${resource.kind} <code>${html(resource.key)}</code> “${html(resource.name)}”`;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const budget = options.budget ?? DEFAULT_MARKDOWN_BUDGET;
  for (const detail of ['full', 'summary', 'counts'] as const) {
    const text = renderAt(plan, detail, options, budget);
    if (text.length <= budget || detail === 'counts')
      return text.length <= budget ? text : truncate(text, budget, options);
  }
  return '';
}

function truncate(text: string, budget: number, options: MarkdownOptions): string {
  const tail = `\n\n… truncated to ${budget.toLocaleString('en-US')} characters.${options.fullPlanLink ? ` [Full plan](${options.fullPlanLink})` : ''}\n`;
  return text.slice(0, Math.max(0, budget - tail.length)) + tail;
}

function renderAt(plan: Plan, detail: MarkdownDetail, options: MarkdownOptions, budget: number): string {
  const out: string[] = [];
  const changed = plan.brands.some((b) => b.resources.some((r) => r.action.type !== 'noop'));
  out.push(
    `### ${escapeMarkdown(options.title ?? 'klaviyo-gitops plan')}: ${changed ? formatSummary(plan.summary) : 'no changes'}`,
    '',
  );
  if (detail !== 'full') {
    const level = detail === 'summary' ? 'one line per resource' : 'counts and deletes/replaces only';
    out.push(
      `> [!NOTE]\n> The full plan is longer than a pull-request comment allows (${budget.toLocaleString('en-US')} characters): showing ${level}.${
        options.fullPlanLink
          ? ` [Full plan](${options.fullPlanLink})`
          : ' The complete plan is in the plan JSON artifact and the workflow log.'
      }`,
      '',
    );
  }
  // Errors before the table: they block apply, and a long comment must not hide them at its end.
  const errors = plan.brands.flatMap((brand) =>
    brand.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `> - **${escapeMarkdown(brand.brand)}**: ${escapeMarkdown(p.message)}`),
  );
  if (errors.length > 0) out.push('> [!CAUTION]', '> Apply would refuse this plan:', ...errors, '');
  out.push('| Brand | Account | Changes | Daily caps used by this plan |', '|---|---|---|---|');
  for (const brand of plan.brands) {
    const caps = brand.cost.dailyCaps.map(formatDailyCap).join('; ') || '—';
    out.push(
      `| ${escapeMarkdown(brand.brand)} | ${code(brand.accountId)} | ${formatSummary(brand.summary)} | ${caps} |`,
    );
  }
  out.push('');
  for (const brand of plan.brands) out.push(...brandSection(brand, detail));
  out.push(`<sub>fingerprint ${code(plan.fingerprint)}</sub>`);
  return `${out.join('\n')}\n`;
}

export interface BrandSectionOptions {
  /** Start with the brand's `####` heading (default true; a brand's own comment names it elsewhere). */
  heading?: boolean;
  /** Show at most this many hand-edited, deleted and replaced resources each, then say how many more. */
  prominentLimit?: number;
}

/** One brand's part of the plan at a detail level, for views that show brands one at a time. */
export function renderBrandPlanSection(
  brand: BrandPlan,
  detail: MarkdownDetail,
  options: BrandSectionOptions = {},
): string {
  return `${brandSection(brand, detail, options).join('\n')}\n`;
}

function andMore(shown: number, total: number, what: string): string[] {
  return total > shown ? [`> - … and ${total - shown} more ${what} (the job summary lists all)`] : [];
}

function brandSection(brand: BrandPlan, detail: MarkdownDetail, options: BrandSectionOptions = {}): string[] {
  const out = options.heading === false ? [] : [`#### ${escapeMarkdown(brand.brand)}`, ''];
  const limit = options.prominentLimit ?? Infinity;
  const handEdited = brand.resources.filter((r) => r.handEdit);
  if (handEdited.length > 0) {
    out.push('> [!CAUTION]');
    out.push(
      `> **Reverts edits made in Klaviyo** since the last apply (apply refuses unless \`--overwrite-hand-edits\`):`,
    );
    for (const resource of handEdited.slice(0, limit))
      out.push(`> - ${title(resource)}: ${escapeMarkdown(describeHandEdit(resource.handEdit!))}`);
    out.push(...andMore(Math.min(limit, handEdited.length), handEdited.length, 'hand-edited resources'));
    out.push(`>`, `> ${escapeMarkdown(handEditAdvice(brand.brand))}`, '');
  }
  const prominent = brand.resources.filter(isProminent);
  if (prominent.length > 0) {
    out.push('> [!WARNING]');
    for (const resource of prominent.slice(0, limit)) {
      out.push(`> **${resource.action.type === 'delete' ? 'Delete' : 'Replace'}** ${title(resource)}`);
      if (resource.action.type === 'replace') {
        for (const reason of resource.action.reasons) out.push(`> - because ${escapeMarkdown(reason)}`);
        if (detail !== 'counts') {
          for (const impact of resource.action.impact) out.push(`> - impact: ${escapeMarkdown(impact)}`);
          for (const line of consequences(resource, brand)) out.push(`> - ${escapeMarkdown(line)}`);
        }
      }
    }
    out.push(...andMore(Math.min(limit, prominent.length), prominent.length, 'deletes and replaces'));
    out.push('');
  }
  const shown = brand.resources.filter((r) => r.action.type !== 'noop');
  if (shown.length === 0) out.push('No changes.', '');
  if (detail === 'summary') {
    for (const resource of shown) out.push(`- ${title(resource)}: ${escapeMarkdown(summaryOf(resource))}`);
    out.push('');
  }
  if (detail === 'full') {
    for (const resource of shown) out.push(...resourceSection(resource, brand), '');
  }
  const calls = brand.cost.calls.map((c) => `${c.operationId} ${c.count}`).join(', ');
  if (calls && detail !== 'counts') out.push(`API calls: ${escapeMarkdown(calls)}`, '');
  const unmanaged = Object.entries(brand.unmanaged).filter(([, n]) => n > 0);
  if (unmanaged.length > 0 && detail !== 'counts') {
    out.push(
      `Not managed here, left alone: ${unmanaged.map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ')}.`,
      '',
    );
  }
  const warnings = brand.problems.filter((p) => p.severity === 'warning');
  for (const problem of warnings) out.push(`- :warning: warning: ${escapeMarkdown(problem.message)}`);
  if (warnings.length > 0) out.push('');
  return out;
}

function summaryOf(resource: ResourcePlan): string {
  const a = resource.action;
  if (a.type === 'update') {
    const paths = [...a.changes.map((c) => c.path), ...a.steps.map((s) => `step ${s.step}`)];
    return `${actionWords(a)} (${paths.join(', ')})`;
  }
  return actionWords(a);
}

function resourceSection(resource: ResourcePlan, brand: BrandPlan): string[] {
  const open = isProminent(resource) ? ' open' : '';
  const words = actionWords(resource.action).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [`<details${open}><summary>${htmlTitle(resource)}: ${words}</summary>`, ''];
  out.push(...resourceBody(resource, brand));
  out.push('', '</details>');
  return out;
}

function resourceBody(resource: ResourcePlan, brand: BrandPlan): string[] {
  const a = resource.action;
  const out: string[] = [];
  const relink = describeRelink(resource);
  if (relink) out.push(escapeMarkdown(relink), '');
  const effects = consequences(resource, brand);
  // In a replace the warning above already says it; elsewhere it heads the section.
  if (effects.length > 0 && a.type !== 'replace')
    out.push(...effects.map((line) => `- **${escapeMarkdown(line)}**`), '');
  if (a.type === 'create' || a.type === 'update' || a.type === 'replace') {
    const desired = a.desired;
    if (desired.kind === 'template') {
      out.push(
        '| | Subject | Preview text |',
        '|---|---|---|',
        `| default for flow emails | ${escapeMarkdown(desired.subject)} | ${escapeMarkdown(desired.previewText)} |`,
        '',
      );
    }
    if (desired.kind === 'mapped-metric') {
      out.push(
        `Maps ${escapeMarkdown(desired.name.toLowerCase())} to the metric ${code(desired.metric)}.`,
        '',
      );
    } else if (a.type === 'create' && desired.kind !== 'template') {
      out.push(`Name in Klaviyo: ${code(desired.klaviyoName)}`, '');
    }
    if (desired.kind === 'segment' && a.type === 'create')
      out.push(`**Who:** ${escapeMarkdown(describeConditionGroups(desired.definition))}`);
    if (desired.kind === 'flow') {
      const steps =
        a.type === 'replace'
          ? a.steps
          : a.type === 'update'
            ? a.steps.map((s) => ({
                step: s.step,
                change: 'changed' as const,
                actionType: s.actionType,
                changes: s.changes,
              }))
            : [];
      out.push(fence(flowTree(desired.definition, steps).join('\n')));
    }
  }
  if (a.type === 'replace' || a.type === 'update') {
    for (const change of a.changes) out.push(...changeBlock(change));
    for (const step of stepLines(resource)) {
      for (const line of step.lines)
        out.push(`- step ${code(step.step)} (${step.kind}): ${escapeMarkdown(line)}`);
    }
  }
  for (const effect of uniqueEffects(resource)) {
    out.push(
      `- re-assigned to flow ${code(effect.flow)} step ${code(effect.step)}${effect.plannedInFlow ? '' : ' (the flow is replaced)'}`,
    );
  }
  if (resource.remote && (a.type === 'delete' || a.type === 'orphan'))
    out.push(`Klaviyo id ${code(resource.remote.id)}`);
  return out;
}

function changeBlock(change: FieldChange): string[] {
  if (isTemplateBody(change)) {
    const reverts = change.origin === 'hand-edit' ? ' (reverts an edit made in Klaviyo)' : '';
    return [`- ${change.path}${reverts}:`, '', fence(templatePatch(change).join('\n'), 'diff'), ''];
  }
  return describeChangeLines(change).map((line) => `- ${escapeMarkdown(line)}`);
}

/** One line per flow step a template re-assigns (an A/B test's variants share the step). */
export function uniqueEffects(resource: ResourcePlan): ResourcePlan['effects'] {
  const seen = new Set<string>();
  return resource.effects.filter((e) => !seen.has(`${e.flow}/${e.step}`) && seen.add(`${e.flow}/${e.step}`));
}
