#!/usr/bin/env node
/**
 * `klaviyo-gitops`: argv -> a command -> printed outcome and exit code. Thin: the verbs live in src/commands.
 */
import { createInterface } from 'node:readline';
import type { CommandContext, Interactive } from './commands/command.js';
import { UserError } from './commands/command.js';
import { runCli } from './commands/index.js';
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
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  const ctx: CommandContext = {
    cwd: process.cwd(),
    env: process.env,
    progress: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
    ...(process.stdin.isTTY && process.stdout.isTTY ? { interactive: terminal } : {}),
  };
  try {
    const outcome = await runCli(process.argv.slice(2), ctx);
    if (outcome.stdout)
      process.stdout.write(outcome.stdout.endsWith('\n') ? outcome.stdout : `${outcome.stdout}\n`);
    if (outcome.stderr)
      process.stderr.write(outcome.stderr.endsWith('\n') ? outcome.stderr : `${outcome.stderr}\n`);
    process.exitCode = outcome.exitCode;
  } catch (error) {
    // One place catches everything: a clear message, never a stack trace, never a secret.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${redactSecrets(message, process.env)}\n`);
    process.exitCode = error instanceof UserError ? error.exitCode : 1;
  }
}

await main();
