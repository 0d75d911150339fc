/**
 * Apply as text: the plan (unless the person approving saw it already, or it was a reviewed plan file), one line
 * per resource touched, then the totals. Also the preamble shown above the approval question, and a refusal.
 */
import type { ApplyResult } from '../../commands/results.js';
import {
  describeRefusal,
  type ApplyCounts,
  type BrandApplyResult,
  type Refusal,
} from '../../engine/apply/index.js';
import type { Plan } from '../../engine/plan.js';
import { renderPlanText } from '../plan/index.js';
import { plural } from './plural.js';

/** What apply shows before it asks (and prints when it applies without asking): the plan, then a blank line. */
export function applyPreamble(plan: Plan): string[] {
  return [renderPlanText(plan).trimEnd(), ''];
}

export function applyText(result: ApplyResult): string {
  const lines = result.planFile !== undefined || result.planShown ? [] : applyPreamble(result.plan);
  for (const brand of result.brands) {
    const touched = resultLines(brand);
    lines.push(
      `brand ${brand.brand} (account ${brand.accountId}): ${touched.length ? '' : 'no changes'}`.trimEnd(),
    );
    lines.push(...touched);
    if (brand.recordError) lines.push(`  ! applied record: ${brand.recordError}`);
  }
  lines.push('');
  const total = result.counts;
  if (result.outcome === 'applied') lines.push(`Apply complete: ${formatCounts(total)}.`);
  else
    lines.push(
      `Apply failed: ${plural(total.failed, 'resource')} failed, ${total.skipped} skipped (${formatCounts(total)}). Re-run apply to finish: it picks up from what Klaviyo holds.`,
    );
  return lines.join('\n');
}

/**
 * A refused apply: each refusal's lines, then a blank line and the verdict. `preamble`, when the plan was shown
 * before the refusal (no terminal to ask), comes instead of the blank line (it ends with one).
 */
export function refusalText(
  refusals: readonly Refusal[],
  preamble: readonly string[],
  verdict: string,
): string {
  const above = preamble.length > 0 ? preamble : [''];
  return [...refusals.flatMap(describeRefusal), ...above, verdict].join('\n').trimStart();
}

export function formatCounts(counts: ApplyCounts): string {
  const parts = [`${counts.created} created`, `${counts.updated} updated`];
  if (counts.replaced > 0) parts.push(`${counts.replaced} replaced`);
  parts.push(`${counts.deleted} deleted`);
  if (counts.archived > 0) parts.push(`${counts.archived} archived`);
  return parts.join(', ');
}

/** One line per resource apply touched: `+ template welcome-1 (RtK4s2)` or `! flow welcome: <error>`. */
function resultLines(result: BrandApplyResult): string[] {
  const symbol = { create: '+', update: '~', replace: '-/+', delete: '-', orphan: '-', noop: ' ' } as const;
  const lines: string[] = [];
  for (const r of result.resources) {
    if (r.outcome === 'unchanged') continue;
    const what = `${r.kind} ${r.key}`;
    if (r.outcome === 'applied') {
      const ids = r.previousId && r.previousId !== r.id ? `${r.previousId} -> ${r.id ?? '?'}` : (r.id ?? '');
      lines.push(`  ${symbol[r.action]} ${what}${ids ? ` (${ids})` : ''}`);
    } else lines.push(`  ! ${what}: ${r.outcome}: ${r.error ?? ''}`);
  }
  return lines;
}
