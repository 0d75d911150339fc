/**
 * `klaviyo-gitops validate`: load, schema-check, resolve references, compile against the Klaviyo spec and run
 * the flow rules; print every finding as `path:line:col: severity rule: message (fix)` and a summary line.
 * Exit 1 on any error, 0 otherwise, 2 for usage errors (no such directory or brand).
 */
import { buildDesiredState, UnknownBrandError } from '../compile/index.js';
import { formatDiagnostic, type Diagnostic } from '../project/diagnostics.js';
import { ProjectNotFoundError } from '../project/loader.js';
import type { CommandContext, CommandOutcome } from './command.js';

export interface ValidateOptions {
  dir: string;
  brand?: string;
  json: boolean;
}

export interface ValidateReport {
  version: 1;
  ok: boolean;
  files: number;
  errors: number;
  warnings: number;
  brands: string[];
  diagnostics: Diagnostic[];
}

export async function runValidate(options: ValidateOptions, ctx: CommandContext): Promise<CommandOutcome> {
  let result;
  try {
    result = await buildDesiredState({
      cwd: ctx.cwd,
      dir: options.dir,
      brand: options.brand,
      emailQa: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    if (error instanceof ProjectNotFoundError || error instanceof UnknownBrandError) {
      return { exitCode: 2, stdout: '', stderr: `error: ${error.message}` };
    }
    throw error;
  }
  const exitCode = result.errors > 0 ? 1 : 0;
  const files = result.project.fileCount;
  if (options.json) {
    const report: ValidateReport = {
      version: 1,
      ok: exitCode === 0,
      files,
      errors: result.errors,
      warnings: result.warnings,
      brands: result.states.map((s) => s.brand),
      diagnostics: result.diagnostics,
    };
    return { exitCode, stdout: JSON.stringify(report, null, 2) };
  }
  const lines = result.diagnostics.map(formatDiagnostic);
  lines.push(summaryLine(files, result.errors, result.warnings));
  return { exitCode, stdout: lines.join('\n') };
}

export function summaryLine(files: number, errors: number, warnings: number): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
