/**
 * `--json`: a command's result for scripts. Validate keeps its report shape (`version`, `ok`, counts, brands,
 * diagnostics) and drift prints its DriftReport; brands prints one line, an array a workflow matrix can
 * `include:`.
 */
import type { CommandResult } from '../commands/results.js';
import type { Diagnostic } from '../project/diagnostics.js';

/** `validate --json`. */
export interface ValidateReport {
  version: 1;
  ok: boolean;
  files: number;
  errors: number;
  warnings: number;
  brands: string[];
  diagnostics: Diagnostic[];
}

export function jsonView(result: CommandResult): string {
  switch (result.command) {
    case 'validate': {
      const { files, errors, warnings, brands, diagnostics } = result;
      const report: ValidateReport = {
        version: 1,
        ok: errors === 0,
        files,
        errors,
        warnings,
        brands,
        diagnostics,
      };
      return JSON.stringify(report, null, 2);
    }
    case 'drift':
      return JSON.stringify(result.report, null, 2);
    case 'brands':
      // One line: `echo "brands=$(klaviyo-gitops brands --json)" >> "$GITHUB_OUTPUT"` must work.
      return JSON.stringify(result.brands);
    default:
      return JSON.stringify(result, null, 2);
  }
}
