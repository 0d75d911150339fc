/**
 * The GitHub Action entry. Thin: it masks the secrets, reads the inputs and the workflow run into typed
 * objects, runs the job the `command` input names (src/action/), and lets the runner show what came back
 * through @actions/core: annotations, outputs, the job summary and the step's failure.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { runJob, type ActionSink } from './action/index.js';
import type { CommandContext } from './commands/command.js';
import { asCommandError } from './commands/failures.js';
import { exitCodeOf } from './commands/exit-codes.js';
import { isInterruption, stopOnSignals } from './commands/stop-signals.js';
import { createGitHub } from './github/index.js';
import { readRunContext } from './github/event.js';
import { parseActionInputs } from './github/inputs.js';
import { redactSecrets } from './redact.js';

async function main(): Promise<void> {
  // Before anything can print them.
  const apiKey = core.getInput('klaviyo-api-key');
  if (apiKey) core.setSecret(apiKey);
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  // The brand's key is the fallback key of every brand the job selects (one brand per job in the workflows).
  const env = { ...process.env, ...(apiKey ? { KLAVIYO_API_KEY: apiKey } : {}) };
  const redact = (text: string): string => redactSecrets(text, env);
  const sink: ActionSink = {
    info: (line) => core.info(redact(line)),
    warning: (line) => core.warning(redact(line)),
    annotate: (a) => {
      const properties = {
        title: a.title,
        ...(a.file ? { file: a.file } : {}),
        ...(a.startLine ? { startLine: a.startLine } : {}),
        ...(a.startColumn ? { startColumn: a.startColumn } : {}),
      };
      const write = a.level === 'error' ? core.error : a.level === 'warning' ? core.warning : core.notice;
      write(redact(a.message), properties);
    },
    setOutput: (name, value) => core.setOutput(name, redact(value)),
    summary: async (markdown) => {
      // A runner always sets GITHUB_STEP_SUMMARY; without one (a local run) the summary is only skipped.
      try {
        await core.summary.addRaw(redact(markdown), true).write();
      } catch (error) {
        core.info(`no job summary written: ${(error as Error).message}`);
      }
    },
    fail: (message) => core.setFailed(redact(message)),
  };
  const stop = stopOnSignals({
    source: process,
    write: (line) => core.warning(line),
    exit: (code) => process.exit(code),
  });
  try {
    const inputs = parseActionInputs((name) => core.getInput(name));
    const eventPath = process.env.GITHUB_EVENT_PATH;
    const run = readRunContext(process.env, eventPath ? readFileSync(eventPath, 'utf8') : '');
    const command: CommandContext = {
      cwd: process.cwd(),
      env,
      progress: (line) => core.info(redact(line)),
      signal: stop.signal,
    };
    const github = inputs.githubToken
      ? createGitHub({
          token: inputs.githubToken,
          apiUrl: run.apiUrl,
          log: (line) => core.info(redact(line)),
        })
      : undefined;
    const done = await runJob({ inputs, run, command, github, sink });
    const interrupted = stop.interrupted();
    if (interrupted) sink.fail(`klaviyo-gitops ${inputs.command} was ${interrupted.message}`);
    else if (done.failure) sink.fail(done.failure);
  } catch (error) {
    const interrupted = stop.interrupted();
    if (interrupted && isInterruption(error, interrupted)) {
      sink.fail(`klaviyo-gitops was ${interrupted.message}`);
      return;
    }
    // Inputs or the event file were wrong (before a job could report), or something nobody foresaw.
    const known = asCommandError(error);
    if (known) {
      core.setOutput('exit-code', String(exitCodeOf(known)));
      if (known.reason) core.setOutput('failure-reason', known.reason);
    }
    sink.fail(error instanceof Error ? error.message : String(error));
  }
}

await main();
