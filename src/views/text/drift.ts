/**
 * Drift as text: errors first (drift could not be fully checked), then per brand each drifted object with its
 * fields (what Klaviyo has, what the repository says) and what apply would do about it.
 */
import type { DriftReport, DriftState } from '../../engine/drift.js';
import type { JsonValue } from '../../engine/plan.js';
import { valuePair } from '../plan/value-diff.js';

/** Both sides of a drifted field, cut around where they differ (two long values never print alike). */
function shown(klaviyo: JsonValue | undefined, repository: JsonValue | undefined): [string, string] {
  const unset = (v: JsonValue | undefined): v is undefined => v === undefined;
  if (unset(klaviyo) || unset(repository)) {
    const [a, b] = valuePair(klaviyo, repository);
    return [unset(klaviyo) ? '(not set)' : a, unset(repository) ? '(not set)' : b];
  }
  return valuePair(klaviyo, repository);
}

const STATE_WORDS: Record<DriftState, string> = {
  differs: 'differs from the repository',
  missing: 'is in the repository but not in Klaviyo',
  duplicate: 'is a second Klaviyo object carrying the same key',
  'not-in-code': 'is managed in Klaviyo but no longer in the repository (kept by the deletion policy)',
};

export function renderDriftText(report: DriftReport): string {
  // Errors first (drift could not be fully checked), as in the plan.
  const lines = report.brands.flatMap((brand) =>
    brand.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `error: brand ${brand.brand}: ${p.message}`),
  );
  if (lines.length > 0) lines.push('');
  for (const brand of report.brands) {
    const drifted = brand.items.filter((i) => i.state !== 'not-in-code');
    lines.push(
      `brand ${brand.brand} (account ${brand.accountId}): ${drifted.length === 0 ? 'no drift' : `${drifted.length} drifted`}`,
    );
    for (const item of brand.items) {
      lines.push(
        `  ${item.kind} ${item.key} "${item.name}"${item.id ? ` (${item.id})` : ''} ${STATE_WORDS[item.state]}`,
      );
      for (const f of item.fields) {
        const [klaviyo, repository] = shown(f.klaviyo, f.repository);
        lines.push(
          `      ${f.path}: Klaviyo ${klaviyo}, repository ${repository}${f.cause ? ` (${f.cause})` : ''}`,
        );
      }
      if (item.fix !== 'none') lines.push(`      apply would ${item.fix} it`);
    }
    for (const problem of brand.problems.filter((p) => p.severity === 'warning'))
      lines.push(`  warning: ${problem.message}`);
  }
  lines.push(report.drifted ? 'Drift found.' : 'No drift: Klaviyo matches the repository.');
  return `${lines.join('\n')}\n`;
}
