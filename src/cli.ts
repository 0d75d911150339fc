#!/usr/bin/env node
/**
 * `klaviyo-gitops`: argv -> a command -> printed outcome and exit code. Thin: the verbs live in src/commands.
 */
import type { CommandContext } from './commands/command.js';
import { UserError } from './commands/command.js';
import { runCli, stopNoteFor } from './commands/index.js';
import { isInterruption, stopOnSignals } from './commands/stop-signals.js';
import { redactSecrets } from './redact.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const note = stopNoteFor(argv);
  const stop = stopOnSignals({
    source: process,
    write: (line) => process.stderr.write(`${line}\n`),
    exit: (code) => process.exit(code),
    ...(note ? { note } : {}),
  });
  const ctx: CommandContext = {
    cwd: process.cwd(),
    env: process.env,
    progress: (line) => process.stderr.write(`${line}\n`),
    signal: stop.signal,
  };
  try {
    const outcome = await runCli(argv, ctx);
    if (outcome.stdout)
      process.stdout.write(outcome.stdout.endsWith('\n') ? outcome.stdout : `${outcome.stdout}\n`);
    if (outcome.stderr)
      process.stderr.write(outcome.stderr.endsWith('\n') ? outcome.stderr : `${outcome.stderr}\n`);
    process.exitCode = stop.interrupted()?.exitCode ?? outcome.exitCode;
  } catch (error) {
    // One place catches everything: a clear message, never a stack trace, never a secret. An interrupted
    // command's abort was announced by the stop line already.
    const interrupted = stop.interrupted();
    if (!isInterruption(error, interrupted)) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`error: ${redactSecrets(message, process.env)}\n`);
    }
    process.exitCode = interrupted?.exitCode ?? (error instanceof UserError ? error.exitCode : 1);
  }
}

await main();
