/** Validate as text: every finding as `path:line:col: severity rule: message (fix)`, then the summary line. */
import type { ValidateResult } from '../../commands/results.js';
import { formatDiagnostic } from '../../project/diagnostics.js';
import { plural } from './plural.js';

export function validateText(result: ValidateResult): string {
  const lines = result.diagnostics.map(formatDiagnostic);
  lines.push(summaryLine(result.files, result.errors, result.warnings));
  return lines.join('\n');
}

export function summaryLine(files: number, errors: number, warnings: number): string {
  return `${plural(files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
