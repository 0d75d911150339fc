/**
 * The problem shape every email check reports. Structurally identical to the project-wide Diagnostic, so the
 * validate command can merge email findings with YAML findings without conversion.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** A stable rule id, e.g. `build-unknown-variable`, `img-alt`. */
  rule: string;
  severity: Severity;
  message: string;
  /** What to change to make the problem go away. */
  fix?: string;
}

/** A place in a source file, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export function diagnostic(
  at: SourcePosition,
  rule: string,
  severity: Severity,
  message: string,
  fix?: string,
): Diagnostic {
  const d: Diagnostic = { file: at.file, line: at.line, col: at.col, rule, severity, message };
  if (fix !== undefined) d.fix = fix;
  return d;
}
