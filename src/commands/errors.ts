/**
 * The one error a command throws when it cannot do its job. Its kind says how (and maps to the exit code,
 * exit-codes.ts); its reason, when there is one, says why in the words the Action reports as `failure-reason`.
 */
import type { Refusal } from '../engine/apply/index.js';
import type { Diagnostic } from '../project/diagnostics.js';

/**
 * - `usage`: the command line or its inputs are wrong (no such directory or brand, a bad flag): exit 2.
 * - `refused`: the command chose not to act, and wrote nothing (invalid files, a changed plan, deletes
 *   without permission, a missing key): exit 1.
 * - `failed`: it tried and could not finish (Klaviyo unavailable, a write failed): exit 1.
 */
export type CommandErrorKind = 'usage' | 'refused' | 'failed';

/** Why a run stopped, as the Action's `failure-reason` output names it. */
export const FAILURE_REASONS = [
  'validation-failed',
  'plan-changed',
  'unreviewed',
  'conflict',
  'destructive-blocked',
  'quota-exceeded',
  'auth-failed',
  'account-mismatch',
  'rate-limited',
  'klaviyo-unavailable',
  'github-permission',
  'sync-items-refused',
  'sync-incomplete',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface CommandErrorDetails {
  reason?: FailureReason;
  /** The findings that refused the run (invalid files). */
  diagnostics?: Diagnostic[];
  /** Apply's refusals, each with its brand and objects. */
  refusals?: Refusal[];
  /** Lines to print above the message (e.g. the plan with its errors). */
  lines?: string[];
}

export class CommandError extends Error {
  readonly kind: CommandErrorKind;
  readonly details: CommandErrorDetails;
  constructor(kind: CommandErrorKind, message: string, details: CommandErrorDetails = {}) {
    super(message);
    this.name = 'CommandError';
    this.kind = kind;
    this.details = details;
  }

  get reason(): FailureReason | undefined {
    return this.details.reason;
  }
}

export const usageError = (message: string): CommandError => new CommandError('usage', message);
