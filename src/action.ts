/**
 * The GitHub Action entry: inputs -> a command -> GitHub reporting. The PR comment, annotations and
 * apply-on-merge wiring arrive with the Action itself; until then it runs a command from its typed inputs and
 * logs the CLI's text view of the result.
 */
import * as core from '@actions/core';
import type { CommandContext } from './commands/command.js';
import { errorOutcome, resultOutcome } from './commands/cli-outcome.js';
import { usageError } from './commands/errors.js';
import { asCommandError } from './commands/failures.js';
import { DEFAULT_PLAN_FILE } from './commands/plan.js';
import { DEFAULT_PREVIEW_DIR } from './commands/render.js';
import { commands, runCommand, stopNoteFor, type CommandName } from './commands/index.js';
import type { CommandResult } from './commands/results.js';
import { isInterruption, stopOnSignals } from './commands/stop-signals.js';
import { isTargetChoice, TARGET_CHOICES, type TargetChoice } from './config.js';
import { redactSecrets } from './redact.js';

interface ActionInputs {
  command: string;
  dir: string;
  brand: string | undefined;
  target: TargetChoice | undefined;
}

function readInputs(): ActionInputs {
  const target = core.getInput('target');
  if (target && !isTargetChoice(target))
    throw usageError(`the target input must be ${TARGET_CHOICES.join(' or ')} (got '${target}')`);
  return {
    command: core.getInput('command') || 'validate',
    dir: core.getInput('dir') || 'marketing',
    brand: core.getInput('brand') || undefined,
    target: target ? (target as TargetChoice) : undefined,
  };
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** The command the inputs name, with its typed options. */
function runFromInputs(inputs: ActionInputs, ctx: CommandContext): Promise<CommandResult> {
  const { command, dir, brand, target } = inputs;
  if (!isCommandName(command))
    throw usageError(`unknown command '${command}' (one of ${Object.keys(commands).join(', ')})`);
  switch (command) {
    case 'validate':
      return runCommand('validate', { dir, brand }, ctx);
    case 'render':
      return runCommand('render', { dir, brand, out: DEFAULT_PREVIEW_DIR, screenshots: false }, ctx);
    case 'plan':
      return runCommand('plan', { dir, brand, out: DEFAULT_PLAN_FILE, detailedExitcode: false, target }, ctx);
    case 'apply':
      // A job has no terminal to ask: the approval of an apply is the reviewed, merged pull request.
      return runCommand(
        'apply',
        { dir, brand, allowDestroy: false, force: false, autoApprove: true, target },
        ctx,
      );
    case 'drift':
      return runCommand('drift', { dir, brand, failOnDrift: false, target }, ctx);
    case 'pull':
      return runCommand('pull', { dir, brand, target }, ctx);
    case 'import':
      return runCommand('import', { dir, brand, target }, ctx);
    case 'brands':
      return runCommand('brands', { dir }, ctx);
  }
}

export async function runAction(): Promise<void> {
  const apiKey = core.getInput('klaviyo-api-key');
  if (apiKey) core.setSecret(apiKey);
  const env = { ...process.env, ...(apiKey ? { KLAVIYO_API_KEY: apiKey } : {}) };
  const command = core.getInput('command') || 'validate';
  // A cancelled workflow run sends SIGINT, then SIGTERM: stop as the CLI does.
  const note = stopNoteFor([command]);
  const stop = stopOnSignals({
    source: process,
    write: (line) => core.warning(line),
    exit: (code) => process.exit(code),
    ...(note ? { note } : {}),
  });
  const ctx: CommandContext = {
    cwd: process.cwd(),
    env,
    progress: (line) => core.info(line),
    signal: stop.signal,
  };
  try {
    const outcome = resultOutcome(await runFromInputs(readInputs(), ctx));
    if (outcome.stdout) core.info(outcome.stdout);
    if (outcome.stderr) core.info(outcome.stderr);
    core.setOutput('exit-code', String(outcome.exitCode));
    const interrupted = stop.interrupted();
    if (interrupted) core.setFailed(`klaviyo-gitops ${command} was ${interrupted.message}`);
    // A plan's changes are its answer, not a failure; every other non-zero code is.
    else if (outcome.exitCode !== 0 && command !== 'plan')
      core.setFailed(`klaviyo-gitops ${command} exited with ${outcome.exitCode}`);
    else if (outcome.exitCode === 1) core.setFailed(`klaviyo-gitops ${command} exited with 1`);
  } catch (error) {
    const interrupted = stop.interrupted();
    if (interrupted && isInterruption(error, interrupted)) {
      core.setFailed(`klaviyo-gitops ${command} was ${interrupted.message}`);
      return;
    }
    const known = asCommandError(error);
    if (!known) {
      core.setFailed(redactSecrets(error instanceof Error ? error.message : String(error), env));
      return;
    }
    // The findings or refusals behind the error go to the log; the message is the step's failure.
    const shown = errorOutcome(known, env)!;
    const { diagnostics, refusals, lines } = known.details;
    if (diagnostics?.length || refusals?.length || lines?.length)
      core.info(shown.stdout || shown.stderr || '');
    core.setOutput('exit-code', String(shown.exitCode));
    core.setFailed(redactSecrets(known.message, env));
  }
}

await runAction();
