/**
 * What a job hands to the runner: log lines, annotations, outputs, the job summary and the step's failure. The
 * entry (src/action.ts) implements it with @actions/core; nothing under src/action imports @actions/core, so a
 * job runs the same in a test with a recording sink.
 */
import type { Annotation } from '../views/github/index.js';

export interface ActionSink {
  info(line: string): void;
  warning(line: string): void;
  annotate(annotation: Annotation): void;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /** Marks the step failed with this message (the job goes on to report). */
  fail(message: string): void;
}
