/**
 * A command's result as the Action's outputs: strings only, every key always set, so a workflow can test
 * `steps.x.outputs.has-changes == 'true'` without guarding for a missing value.
 */
import { CommandError, type FailureReason } from '../../commands/errors.js';
import type { CommandResult } from '../../commands/results.js';
import { emptySummary, planHasChanges, type Plan } from '../../engine/plan.js';
import { syncFailureReason, syncOutputs } from './sync-summary.js';

/** Outputs only the reporter knows (where it wrote things, what it posted). */
export interface ReporterOutputs {
  planJson?: string;
  commentId?: number | string;
  previewsDir?: string;
  driftIssueNumber?: number | string;
}

function planOf(result: CommandResult): Plan | undefined {
  switch (result.command) {
    case 'plan':
    case 'apply':
    case 'drift':
      return result.plan;
    case 'review':
      return result.planning.status === 'planned' ? result.planning.plan : undefined;
    default:
      return undefined;
  }
}

function failureReason(outcome: CommandResult | CommandError): FailureReason | undefined {
  if (outcome instanceof CommandError) return outcome.reason;
  if (outcome.command === 'validate' && outcome.errors > 0) return 'validation-failed';
  if (outcome.command === 'review' && outcome.validation.errors > 0) return 'validation-failed';
  if (outcome.command === 'sync') return syncFailureReason(outcome);
  return undefined;
}

function drifted(outcome: CommandResult | CommandError): boolean {
  if (outcome instanceof CommandError) return false;
  if (outcome.command === 'drift') return outcome.report.drifted;
  if (outcome.command === 'refresh') return outcome.drift.drifted;
  return false;
}

export function actionOutputs(
  outcome: CommandResult | CommandError,
  reporter: ReporterOutputs = {},
): Record<string, string> {
  const plan = outcome instanceof CommandError ? undefined : planOf(outcome);
  const summary = plan?.summary ?? emptySummary();
  const outputs: Record<string, string> = {
    'has-changes': String(plan ? planHasChanges(plan) : false),
    'to-create': String(summary.create),
    'to-update': String(summary.update),
    'to-replace': String(summary.replace),
    'to-delete': String(summary.delete),
    'plan-fingerprint': plan?.fingerprint ?? '',
    drift: String(drifted(outcome)),
    'failure-reason': failureReason(outcome) ?? '',
  };
  if (!(outcome instanceof CommandError) && outcome.command === 'sync')
    Object.assign(outputs, syncOutputs(outcome));
  if (reporter.planJson !== undefined) outputs['plan-json'] = reporter.planJson;
  if (reporter.commentId !== undefined) outputs['comment-id'] = String(reporter.commentId);
  if (reporter.previewsDir !== undefined) outputs['previews-dir'] = reporter.previewsDir;
  if (reporter.driftIssueNumber !== undefined)
    outputs['drift-issue-number'] = String(reporter.driftIssueNumber);
  return outputs;
}
