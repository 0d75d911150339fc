/**
 * What every Action job gets: its typed inputs, the workflow run it is in, the command context (working
 * directory, environment with the brand's key, progress, stop signal), GitHub when a token was given, and the
 * sink for what the runner shows.
 */
import type { CommandContext } from '../commands/command.js';
import type { CommandError } from '../commands/errors.js';
import type { CommandResult } from '../commands/results.js';
import type { GitHubClient } from '../github/index.js';
import type { RunContext } from '../github/event.js';
import type { ActionInputs } from '../github/inputs.js';
import type { ActionSink } from './sink.js';

export interface JobContext {
  inputs: ActionInputs;
  run: RunContext;
  command: CommandContext;
  /** Absent when no token was given. */
  github?: GitHubClient | undefined;
  sink: ActionSink;
}

/** What a job ends with: its result or the error that stopped it, and whether the step fails. */
export interface JobOutcome {
  /** Absent for publish-review, whose outcome is the comments it posts. */
  outcome?: CommandResult | CommandError;
  /** The step's failure message; undefined when the step succeeds. */
  failure?: string;
}

/** Where the Action writes, relative to the workspace. */
export const PREVIEWS_DIR = 'output/previews';
export const PLAN_FILE = 'output/plan.json';
