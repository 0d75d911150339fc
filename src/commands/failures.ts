/**
 * The one mapping from what the layers below throw to a CommandError: its kind (the exit code) and its reason
 * (the Action's `failure-reason`). The entries' single catch calls it; an error it does not know stays as it is
 * (exit 1, its message printed once).
 */
import { UnknownBrandError } from '../compile/index.js';
import { TargetConfigurationError } from '../config.js';
import type { Refusal } from '../engine/apply/index.js';
import { AccountMismatchError } from '../engine/remote-state.js';
import {
  KlaviyoAuthError,
  KlaviyoDailyCapError,
  KlaviyoNetworkError,
  KlaviyoOutcomeUnknownError,
  KlaviyoRateLimitError,
  KlaviyoServerError,
} from '../klaviyo/index.js';
import { BrowserNotFoundError } from '../previews/screenshots.js';
import { ProjectNotFoundError } from '../project/loader.js';
import { SandboxStateError } from '../sandbox/index.js';
import { SyncHistoryError } from '../sync/history/database.js';
import { CommandError, type CommandErrorKind, type FailureReason } from './errors.js';

const failure = (kind: CommandErrorKind, error: Error, reason?: FailureReason): CommandError =>
  new CommandError(kind, error.message, reason ? { reason } : {});

export function asCommandError(error: unknown): CommandError | undefined {
  if (error instanceof CommandError) return error;
  // Wrong inputs: no such directory or brand.
  if (error instanceof ProjectNotFoundError || error instanceof UnknownBrandError)
    return failure('usage', error);
  // Refused before anything was read or written: a brand without its key, a key variable it may not name,
  // a key of another account.
  if (error instanceof TargetConfigurationError) return failure('refused', error, 'auth-failed');
  if (error instanceof AccountMismatchError) return failure('refused', error, 'account-mismatch');
  // Klaviyo answered no, or not at all.
  if (error instanceof KlaviyoAuthError) return failure('failed', error, 'auth-failed');
  if (error instanceof KlaviyoDailyCapError) return failure('failed', error, 'quota-exceeded');
  if (error instanceof KlaviyoRateLimitError) return failure('failed', error, 'rate-limited');
  if (
    error instanceof KlaviyoServerError ||
    error instanceof KlaviyoNetworkError ||
    error instanceof KlaviyoOutcomeUnknownError
  )
    return failure('failed', error, 'klaviyo-unavailable');
  // The machine cannot do it: no browser for screenshots, an unreadable sandbox state or sync history file.
  if (
    error instanceof BrowserNotFoundError ||
    error instanceof SandboxStateError ||
    error instanceof SyncHistoryError
  )
    return failure('failed', error);
  return undefined;
}

const REFUSAL_REASONS: Record<Refusal['type'], FailureReason> = {
  destroy: 'destructive-blocked',
  protected: 'destructive-blocked',
  'daily-cap': 'quota-exceeded',
  changed: 'plan-changed',
  conflict: 'conflict',
  'hand-edits': 'conflict',
  'plan-errors': 'validation-failed',
};

/** Why apply refused, by its first refusal (preflight lists the ones that matter most first). */
export function refusalReason(refusals: readonly Refusal[]): FailureReason | undefined {
  const first = refusals[0];
  return first ? REFUSAL_REASONS[first.type] : undefined;
}
