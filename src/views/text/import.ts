/** Import as text: the files written and kept, the objects marked as managed, what was skipped, the check. */
import type { ImportResult } from '../../commands/results.js';

export function importText(result: ImportResult): string {
  const { written, kept, marked } = result;
  const lines = [`wrote ${written.length} file(s)${kept.length ? `, kept ${kept.length} existing` : ''}:`];
  for (const path of written) lines.push(`  + ${path}`);
  for (const path of kept) lines.push(`  = ${path} (exists, not overwritten)`);
  if (marked.length > 0)
    lines.push(`marked ${marked.length} object(s) in Klaviyo as managed:`, ...marked.map((m) => `  ${m}`));
  for (const [flow, steps] of Object.entries(result.rawSteps))
    lines.push(
      `flow ${flow}: ${steps.join(', ')} imported as raw steps (no spelling in the flow format yet)`,
    );
  for (const skip of result.skipped)
    lines.push(`skipped ${skip.kind} '${skip.name}' (${skip.id}): ${skip.reason}`);
  const { check } = result;
  if (check.status === 'invalid')
    lines.push('warning: the imported files do not validate yet:', ...check.errors.map((e) => `  ${e}`));
  if (check.status === 'planned')
    lines.push(
      check.pending.length === 0
        ? 'plan after import: no changes'
        : `plan after import: ${check.pending.length} change(s) remain: ${check.pending.map((r) => `${r.kind} ${r.key} (${r.action})`).join(', ')}`,
    );
  return lines.join('\n');
}
