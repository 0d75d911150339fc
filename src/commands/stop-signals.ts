/**
 * How a command stops when the process is asked to (Ctrl-C, `kill`, a CI job cancelled): the first SIGINT or
 * SIGTERM says so on stderr and aborts the command's signal, so it stops at its next checkpoint and its cleanups
 * run (the embedded sandbox closes, apply records its run); if the command has not ended within the grace
 * period, or a second signal arrives, the process ends at once. Either way the exit code is 128 + the signal's
 * number, as a shell reports a process killed by it.
 *
 * Ending at once is safe: every file is written atomically, and apply converges when run again.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15 };

/** What a command may still do after the first signal before the process ends anyway. */
export const STOP_GRACE_MS = 750;

/** The reason on a command's AbortSignal when the process was asked to stop. */
export class CommandInterrupted extends Error {
  readonly exitCode: number;

  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'CommandInterrupted';
    this.exitCode = 128 + SIGNAL_NUMBERS[signal];
  }
}

/** `interrupted by SIGTERM: stopping; send it again to stop at once`, with the verb's own note. */
export function stopLine(signal: StopSignal, note?: string): string {
  return `interrupted by ${signal}: stopping${note ? `; ${note}` : ''}; send it again to stop at once`;
}

/** The part of `process` this needs; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface StopOnSignalsOptions {
  source: SignalSource;
  /** Writes one line to stderr. */
  write: (line: string) => void;
  /** Ends the process with this code (process.exit). */
  exit: (code: number) => void;
  /** What a person should know when this command is cut short (apply: re-running it finishes the job). */
  note?: string;
  graceMs?: number;
}

export interface StopOnSignals {
  /** Aborted, with a CommandInterrupted reason, on the first signal. */
  signal: AbortSignal;
  /** The first signal's interruption, once one arrived. */
  interrupted(): CommandInterrupted | undefined;
  /** Stops listening (the next signal then has its default effect). */
  dispose(): void;
}

export function stopOnSignals(options: StopOnSignalsOptions): StopOnSignals {
  const controller = new AbortController();
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  let interrupted: CommandInterrupted | undefined;
  const listeners = new Map<StopSignal, () => void>();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    const listener = (): void => {
      if (interrupted) {
        options.exit(interrupted.exitCode);
        return;
      }
      interrupted = new CommandInterrupted(name);
      options.write(stopLine(name, options.note));
      controller.abort(interrupted);
      const code = interrupted.exitCode;
      // Unref'd: a command that unwinds in time lets the process end on its own, with its cleanups done.
      setTimeout(() => {
        options.write(`still running ${graceMs} ms after ${name}: stopping at once`);
        options.exit(code);
      }, graceMs).unref();
    };
    listeners.set(name, listener);
    options.source.on(name, listener);
  }
  return {
    signal: controller.signal,
    interrupted: () => interrupted,
    dispose: () => {
      for (const [name, listener] of listeners) options.source.off(name, listener);
    },
  };
}

/** True for the errors an aborted command rejects with: our reason, or a library's own AbortError. */
export function isInterruption(error: unknown, interrupted: CommandInterrupted | undefined): boolean {
  if (!interrupted) return false;
  return error === interrupted || (error instanceof Error && error.name === 'AbortError');
}
