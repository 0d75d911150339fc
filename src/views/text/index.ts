/**
 * The CLI's text view: what a person reads on stdout (the result) and stderr (what went wrong next to it), for
 * every command's result, and the text of a CommandError.
 */
import type { CommandError } from '../../commands/errors.js';
import type { CommandResult } from '../../commands/results.js';
import { planHasErrors } from '../../engine/plan.js';
import { formatDiagnostic } from '../../project/diagnostics.js';
import { renderPlanText } from '../plan/index.js';
import { applyText, refusalText } from './apply.js';
import { brandsText } from './brands.js';
import { renderDriftText } from './drift.js';
import { importText, initText } from './import.js';
import { pullText } from './pull.js';
import { renderText } from './render.js';
import { refreshText, reviewText } from './review.js';
import { syncHistoryText, syncText } from './sync.js';
import { validateText } from './validate.js';

export { applyPreamble, formatCounts } from './apply.js';
export { renderDriftText } from './drift.js';
export { reportLines } from './render.js';
export { summaryLine } from './validate.js';

export interface TextOutput {
  stdout: string;
  stderr?: string;
}

export interface TextViewOptions {
  /** ANSI colours in the plan (`plan --color`). */
  color?: boolean;
}

export function textView(result: CommandResult, options: TextViewOptions = {}): TextOutput {
  switch (result.command) {
    case 'validate':
      return { stdout: validateText(result) };
    case 'render':
      return renderText(result);
    case 'plan': {
      const stdout = result.markdown ?? renderPlanText(result.plan, { color: options.color === true });
      return planHasErrors(result.plan)
        ? { stdout, stderr: 'error: the plan has errors (listed above); apply would refuse it' }
        : { stdout };
    }
    case 'apply':
      return { stdout: applyText(result) };
    case 'drift': {
      const stdout = renderDriftText(result.report);
      return planHasErrors(result.plan)
        ? { stdout, stderr: 'error: drift could not be fully checked (errors listed above)' }
        : { stdout };
    }
    case 'pull':
      return { stdout: pullText(result) };
    case 'import':
      return { stdout: importText(result) };
    case 'init':
      return { stdout: initText(result) };
    case 'brands':
      return { stdout: brandsText(result) };
    case 'sandbox':
      return { stdout: 'Klaviyo sandbox stopped.' };
    case 'review':
      return { stdout: reviewText(result) };
    case 'refresh':
      return { stdout: refreshText(result) };
    case 'sync':
      return { stdout: syncText(result) };
    case 'sync-history':
      return { stdout: syncHistoryText(result) };
  }
}

/**
 * A refused apply is apply's answer (stdout): its refusals and "Refused: ... Nothing was written.". Any other
 * error goes to stderr: the findings or lines behind it, then `error: <message>`.
 */
export function errorView(error: CommandError): TextOutput {
  const { details } = error;
  if (details.refusals !== undefined)
    return { stdout: refusalText(details.refusals, details.lines ?? [], error.message) };
  return { stdout: '', stderr: errorText(error) };
}

export function errorText(error: CommandError): string {
  const { details } = error;
  if (details.refusals !== undefined)
    return refusalText(details.refusals, details.lines ?? [], error.message);
  const above = [
    ...(details.diagnostics ?? []).filter((d) => d.severity === 'error').map(formatDiagnostic),
    ...(details.lines ?? []),
  ];
  return [...above, `error: ${error.message}`].join('\n');
}
