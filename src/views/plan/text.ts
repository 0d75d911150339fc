/** The plan for a terminal, Terraform-like: `+ create`, `~ update`, `-/+ replace`, `- delete`. */
import {
  formatDailyCap,
  formatSummary,
  isChange,
  type BrandPlan,
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
  resourceTitle,
} from './describe.js';
import { isTemplateBody, shortPatch, stepLines } from './change-lines.js';
import { consequences } from './consequences.js';
import { flowTree } from './flow-tree.js';
import { uniqueEffects } from './markdown.js';

export interface TextOptions {
  /** ANSI colours (a terminal that wants them). */
  color?: boolean;
  /** List unchanged resources too. */
  showUnchanged?: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2, bold: 1 } as const;
type Colour = keyof typeof ANSI;

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = (colour: Colour, text: string): string =>
    options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  // Errors first: they block apply, and a reader must not have to scroll past the plan to find out why.
  const errors = plan.brands.flatMap((brand) =>
    brand.problems.filter((p) => p.severity === 'error').map((p) => `brand ${brand.brand}: ${p.message}`),
  );
  for (const error of errors) lines.push(`${paint('red', 'error:')} ${error}`);
  if (errors.length > 0) lines.push('');
  for (const brand of plan.brands) lines.push(...brandLines(brand, options, paint), '');
  const anyChange = plan.brands.some((b) => b.resources.some((r) => isChange(r.action)));
  lines.push(
    anyChange
      ? paint('bold', `Plan: ${formatSummary(plan.summary)}`)
      : paint('bold', 'No changes: Klaviyo matches the repository.'),
  );
  lines.push(paint('dim', `fingerprint ${plan.fingerprint}`));
  return `${lines.join('\n')}\n`;
}

function colourOf(resource: ResourcePlan): Colour {
  switch (resource.action.type) {
    case 'create':
      return 'green';
    case 'update':
      return 'yellow';
    case 'replace':
      return 'magenta';
    case 'delete':
      return 'red';
    default:
      return 'dim';
  }
}

function brandLines(
  brand: BrandPlan,
  options: TextOptions,
  paint: (c: Colour, t: string) => string,
): string[] {
  const lines = [
    paint('bold', `brand ${brand.brand} (account ${brand.accountId}): ${formatSummary(brand.summary)}`),
  ];
  for (const resource of brand.resources) {
    if (resource.action.type === 'noop' && !options.showUnchanged) continue;
    const head = `${actionSymbol(resource.action)} ${resourceTitle(resource)}`;
    lines.push(`  ${paint(colourOf(resource), head)} ${paint('dim', `(${actionWords(resource.action)})`)}`);
    for (const detail of resourceDetails(resource, brand)) lines.push(`      ${detail}`);
  }
  if (brand.cost.calls.length > 0) {
    lines.push(`  API calls: ${brand.cost.calls.map((c) => `${c.operationId} ${c.count}`).join(', ')}`);
  }
  if (brand.cost.dailyCaps.length > 0) {
    lines.push(`  Daily caps used by this plan: ${brand.cost.dailyCaps.map(formatDailyCap).join('; ')}`);
  }
  const unmanaged = Object.entries(brand.unmanaged).filter(([, n]) => n > 0);
  if (unmanaged.length > 0) {
    lines.push(
      paint(
        'dim',
        `  Not managed here (left alone): ${unmanaged.map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ')}`,
      ),
    );
  }
  // Errors are listed above the plan (renderPlanText); warnings stay with their brand.
  for (const problem of brand.problems.filter((p) => p.severity === 'warning')) {
    lines.push(`  ${paint('yellow', 'warning:')} ${problem.message}`);
  }
  const reverts = brand.resources.filter((r) => r.handEdit).length;
  if (reverts > 0) {
    lines.push(
      `  ${paint('red', 'hand edits:')} this plan reverts edits made in Klaviyo to ${reverts} object${reverts === 1 ? '' : 's'} (marked !); apply refuses unless --overwrite-hand-edits`,
      `  ${handEditAdvice(brand.brand)}`,
    );
  }
  return lines;
}

/** The lines under a resource: what changes (in the files' words), why, what it does, what else it touches. */
export function resourceDetails(resource: ResourcePlan, brand?: Pick<BrandPlan, 'resources'>): string[] {
  const a = resource.action;
  const lines: string[] = [];
  if (resource.handEdit) lines.push(`! ${describeHandEdit(resource.handEdit)}`);
  const relink = describeRelink(resource);
  if (relink) lines.push(relink);
  const effects = consequences(resource, brand ?? { resources: [resource] });
  switch (a.type) {
    case 'create':
      lines.push(...effects);
      if (a.desired.kind === 'segment')
        lines.push(`definition: ${describeConditionGroups(a.desired.definition)}`);
      if (a.desired.kind === 'template') lines.push(`subject: ${JSON.stringify(a.desired.subject)}`);
      if (a.desired.kind === 'mapped-metric') lines.push(`metric: ${JSON.stringify(a.desired.metric)}`);
      if (a.desired.kind === 'flow')
        lines.push(`status: ${a.desired.status}`, ...flowTree(a.desired.definition));
      break;
    case 'update':
      lines.push(...effects, ...changeLines(resource));
      break;
    case 'replace':
      for (const reason of a.reasons) lines.push(`because ${reason}`);
      for (const impact of a.impact) lines.push(`impact: ${impact}`);
      lines.push(...effects, ...changeLines(resource));
      if (a.desired.kind === 'flow') lines.push(...flowTree(a.desired.definition, a.steps));
      break;
    default:
      lines.push(...effects);
      break;
  }
  for (const effect of uniqueEffects(resource)) {
    lines.push(
      `re-assigned to flow ${effect.flow} step ${effect.step}${effect.plannedInFlow ? '' : ' (via the flow replace)'}`,
    );
  }
  if (resource.remote && (a.type === 'delete' || a.type === 'orphan')) lines.push(`id ${resource.remote.id}`);
  return lines;
}

/** Field changes (a template body with a short diff under it), then each changed step. */
function changeLines(resource: ResourcePlan): string[] {
  const a = resource.action;
  if (a.type !== 'update' && a.type !== 'replace') return [];
  const lines: string[] = [];
  for (const change of a.changes) {
    lines.push(...describeChangeLines(change));
    if (isTemplateBody(change)) lines.push(...shortPatch(change).map((line) => `  ${line}`));
  }
  for (const step of stepLines(resource))
    for (const line of step.lines) lines.push(`step ${step.step} (${step.kind}): ${line}`);
  return lines;
}
