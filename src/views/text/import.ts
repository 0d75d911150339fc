/**
 * Import as text: the files written and kept, the objects marked as managed (or, with --dry-run, the renames and
 * markers it would make), what was skipped, the check. And `init`, the step before it.
 */
import type { ImportResult, InitResult } from '../../commands/results.js';
import { plural } from './plural.js';

export function initText(result: InitResult): string {
  return [
    `created brand ${result.brand} (account ${result.accountId}):`,
    ...result.written.map((path) => `  + ${path}`),
    '',
    'Next:',
    `  1. set the placeholders in brand.yaml (sender, postal address, tokens)`,
    `  2. klaviyo-gitops import --brand ${result.brand} --dry-run   (what import would rename in Klaviyo)`,
    `  3. ${result.keyVariable}=pk_... klaviyo-gitops import --brand ${result.brand}`,
  ].join('\n');
}

export function importText(result: ImportResult): string {
  const { written, kept, marked, dryRun } = result;
  const files = `${plural(written.length, 'file')}${kept.length ? `, keep ${kept.length} existing` : ''}`;
  const lines = [
    dryRun ? `dry run: import would write ${files}:` : `wrote ${files.replace('keep', 'kept')}:`,
  ];
  for (const path of written) lines.push(`  + ${path}`);
  for (const path of kept) lines.push(`  = ${path} (exists, not overwritten)`);
  if (marked.length > 0)
    lines.push(
      dryRun
        ? `and would change ${plural(marked.length, 'object')} in Klaviyo to mark ${marked.length === 1 ? 'it' : 'them'} as managed:`
        : `marked ${plural(marked.length, 'object')} in Klaviyo as managed:`,
      ...marked.map((m) => `  ${m}`),
    );
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
        : `plan after import: ${plural(check.pending.length, 'change')} remain: ${check.pending.map((r) => `${r.kind} ${r.key} (${r.action})`).join(', ')}`,
    );
  if (dryRun) lines.push('Nothing was written, in Klaviyo or on disk. Run without --dry-run to import.');
  return lines.join('\n');
}
