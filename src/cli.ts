#!/usr/bin/env node
/**
 * `klaviyo-gitops`: argv -> a command -> printed outcome and exit code. Thin: the verbs live in src/commands.
 */
import { createInterface } from 'node:readline';
import type { CommandContext, Interactive } from './commands/command.js';
import { exitCodeOf } from './commands/exit-codes.js';
import { runCli, stopNoteFor } from './commands/index.js';
import { isInterruption, stopOnSignals } from './commands/stop-signals.js';
import { redactSecrets } from './redact.js';

/** Asks on the terminal: the text above the question is written as is, the question is readline's prompt. */
const terminal: Interactive = {
  ask: (text) =>
    new Promise<string>((resolve) => {
      const cut = text.lastIndexOf('\n') + 1;
      process.stdout.write(text.slice(0, cut));
      const reader = createInterface({ input: process.stdin, output: process.stdout });
      let answered = false;
      const answer = (line: string): void => {
        if (answered) return;
        answered = true;
        reader.close();
        resolve(line);
      };
      reader.question(text.slice(cut), answer);
      // Ctrl-C or Ctrl-D at the question is a no, never a yes.
      reader.once('SIGINT', () => {
        process.stdout.write('\n');
        answer('');
      });
      reader.once('close', () => answer(''));
    }),
};

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
    ...(process.stdin.isTTY && process.stdout.isTTY ? { interactive: terminal } : {}),
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
    process.exitCode = interrupted?.exitCode ?? exitCodeOf(error);
  }
}

await main();
