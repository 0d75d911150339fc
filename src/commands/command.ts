/**
 * The shape every CLI verb shares. A command parses nothing and prints nothing itself: the CLI hands it typed
 * options and a context, and shows the typed result it returns (results.ts) through a view.
 */
import type { Environment } from '../config.js';

export interface CommandContext {
  /** The working directory paths are resolved against. */
  cwd: string;
  env: Environment;
  /** Progress lines while a long command runs (the CLI writes them to stderr). */
  progress: (line: string) => void;
  /** Aborted on Ctrl-C / SIGTERM; long-running commands stop cleanly. */
  signal?: AbortSignal;
  /** A person at a terminal. Set only by the CLI, when stdin and stdout are both TTYs; commands never read stdin. */
  interactive?: Interactive;
}

export interface Interactive {
  /**
   * Shows `text` on stdout (its last line is the question, without a line break) and resolves with the line typed
   * in answer; with '' when input ends or on Ctrl-C.
   */
  ask(text: string): Promise<string>;
}

/** What the CLI prints and exits with: a result through its view (cli-outcome.ts). */
export interface CommandOutcome {
  exitCode: number;
  /** What the command prints to stdout: the result a person or a script reads. */
  stdout: string;
  /** Diagnostics for stderr. */
  stderr?: string;
}
