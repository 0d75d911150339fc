#!/usr/bin/env node
/**
 * `klaviyo-gitops`: argv -> a command -> printed outcome and exit code. Thin: the verbs live in src/commands.
 */
import type { CommandContext } from './commands/command.js';
import { UserError } from './commands/command.js';
import { runCli } from './commands/index.js';
import { redactSecrets } from './redact.js';

async function main(): Promise<void> {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  const ctx: CommandContext = {
    cwd: process.cwd(),
    env: process.env,
    progress: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
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
