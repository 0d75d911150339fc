/**
 * The GitHub Action entry: inputs -> a command -> GitHub reporting. The PR comment, annotations and
 * apply-on-merge wiring arrive with the Action itself; until then it runs the CLI's commands by name.
 */
import * as core from '@actions/core';
import { runCli, stopNoteFor } from './commands/index.js';
import { isInterruption, stopOnSignals } from './commands/stop-signals.js';
import { redactSecrets } from './redact.js';

export async function runAction(): Promise<void> {
  const command = core.getInput('command') || 'validate';
  const dir = core.getInput('dir') || 'marketing';
  const brand = core.getInput('brand');
  const apiKey = core.getInput('klaviyo-api-key');
  if (apiKey) core.setSecret(apiKey);
  const env = { ...process.env, ...(apiKey ? { KLAVIYO_API_KEY: apiKey } : {}) };
  // Only the verbs that talk to Klaviyo know --target; validate and render would refuse it.
  const target = ['plan', 'apply', 'drift', 'import'].includes(command) ? core.getInput('target') : '';
  // A job has no terminal to ask: the approval of an apply is the reviewed, merged pull request.
  const approval = command === 'apply' ? ['--auto-approve'] : [];
  const argv = [
    command,
    '--dir',
    dir,
    ...(brand ? ['--brand', brand] : []),
    ...(target ? ['--target', target] : []),
    ...approval,
  ];
  // A cancelled workflow run sends SIGINT, then SIGTERM: stop as the CLI does.
  const note = stopNoteFor(argv);
  const stop = stopOnSignals({
    source: process,
    write: (line) => core.warning(line),
    exit: (code) => process.exit(code),
    ...(note ? { note } : {}),
  });
  try {
    const outcome = await runCli(argv, {
      cwd: process.cwd(),
      env,
      progress: (line) => core.info(line),
      signal: stop.signal,
    });
    if (outcome.stdout) core.info(outcome.stdout);
    if (outcome.stderr) core.info(outcome.stderr);
    core.setOutput('exit-code', String(outcome.exitCode));
    const interrupted = stop.interrupted();
    if (interrupted) core.setFailed(`klaviyo-gitops ${command} was ${interrupted.message}`);
    else if (outcome.exitCode !== 0 && !(command === 'plan' && outcome.exitCode === 2)) {
      core.setFailed(`klaviyo-gitops ${command} exited with ${outcome.exitCode}`);
    }
  } catch (error) {
    const interrupted = stop.interrupted();
    if (interrupted && isInterruption(error, interrupted))
      core.setFailed(`klaviyo-gitops ${command} was ${interrupted.message}`);
    else core.setFailed(redactSecrets(error instanceof Error ? error.message : String(error), env));
  }
}

await runAction();
