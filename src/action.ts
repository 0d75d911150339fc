/**
 * The GitHub Action entry: inputs -> a command -> GitHub reporting. The PR comment, annotations and
 * apply-on-merge wiring arrive with the Action itself; until then it runs the CLI's commands by name.
 */
import * as core from '@actions/core';
import { runCli } from './commands/index.js';
import { redactSecrets } from './redact.js';

export async function runAction(): Promise<void> {
  const command = core.getInput('command') || 'validate';
  const dir = core.getInput('dir') || 'marketing';
  const brand = core.getInput('brand');
  const apiKey = core.getInput('klaviyo-api-key');
  if (apiKey) core.setSecret(apiKey);
  const env = { ...process.env, ...(apiKey ? { KLAVIYO_API_KEY: apiKey } : {}) };
  // A job has no terminal to ask: the approval of an apply is the reviewed, merged pull request.
  const approval = command === 'apply' ? ['--auto-approve'] : [];
  const argv = [command, '--dir', dir, ...(brand ? ['--brand', brand] : []), ...approval];
  try {
    const outcome = await runCli(argv, { cwd: process.cwd(), env, progress: (line) => core.info(line) });
    if (outcome.stdout) core.info(outcome.stdout);
    if (outcome.stderr) core.info(outcome.stderr);
    core.setOutput('exit-code', String(outcome.exitCode));
    if (outcome.exitCode !== 0 && !(command === 'plan' && outcome.exitCode === 2)) {
      core.setFailed(`klaviyo-gitops ${command} exited with ${outcome.exitCode}`);
    }
  } catch (error) {
    core.setFailed(redactSecrets(error instanceof Error ? error.message : String(error), env));
  }
}

await runAction();
