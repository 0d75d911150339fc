/**
 * The CLI's adapter from a command's typed result (or its CommandError) to what a terminal gets: the view's
 * stdout and stderr, and the exit code (exit-codes.ts). Secrets never reach either stream.
 */
import { redactSecrets } from '../redact.js';
import { jsonView } from '../views/json.js';
import { errorView, textView } from '../views/text/index.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { exitCodeOf } from './exit-codes.js';
import { asCommandError } from './failures.js';
import type { CommandResult } from './results.js';

/** Which view the command line asked for. */
export interface ViewChoice {
  /** `--json`: the JSON view on stdout (stderr keeps the text view's notes). */
  json?: boolean;
  /** `--color`: ANSI colours in the plan. */
  color?: boolean;
}

export function resultOutcome(result: CommandResult, view: ViewChoice = {}): CommandOutcome {
  const text = textView(result, { color: view.color === true });
  return {
    exitCode: exitCodeOf(result),
    stdout: view.json ? jsonView(result) : text.stdout,
    ...(text.stderr !== undefined ? { stderr: text.stderr } : {}),
  };
}

/** What the CLI prints for a thrown error it knows (failures.ts); undefined for any other. */
export function errorOutcome(error: unknown, env: CommandContext['env']): CommandOutcome | undefined {
  const known = asCommandError(error);
  if (!known) return undefined;
  const shown = errorView(known);
  return {
    exitCode: exitCodeOf(known),
    stdout: redactSecrets(shown.stdout, env),
    ...(shown.stderr !== undefined ? { stderr: redactSecrets(shown.stderr, env) } : {}),
  };
}

/**
 * Runs a command and shows its result as the CLI does. An error no view knows is thrown on, as is anything
 * after a stop signal: the entry's one catch prints it (or stays silent after the stop line).
 */
export async function runAsCli(
  run: Promise<CommandResult>,
  view: ViewChoice,
  ctx: Pick<CommandContext, 'env' | 'signal'>,
): Promise<CommandOutcome> {
  let result: CommandResult;
  try {
    result = await run;
  } catch (error) {
    const outcome = ctx.signal?.aborted ? undefined : errorOutcome(error, ctx.env);
    if (outcome) return outcome;
    throw error;
  }
  return resultOutcome(result, view);
}
