/**
 * `klaviyo-gitops validate`: load, schema-check, resolve references, compile against the Klaviyo spec and run
 * the flow rules. The result holds every finding; the views print them as `path:line:col: severity rule:
 * message (fix)` with a summary line, or as the JSON report.
 */
import type { CommandContext } from './command.js';
import { buildProject } from './desired-states.js';
import type { ValidateResult } from './results.js';

export type { ValidateReport } from '../views/json.js';

export interface ValidateOptions {
  dir: string;
  brand?: string | undefined;
}

export async function runValidate(options: ValidateOptions, ctx: CommandContext): Promise<ValidateResult> {
  const build = await buildProject(options.dir, options.brand, ctx);
  return {
    command: 'validate',
    files: build.project.fileCount,
    errors: build.errors,
    warnings: build.warnings,
    brands: build.states.map((s) => s.brand),
    diagnostics: build.diagnostics,
  };
}
