/**
 * The problem shape every email check reports: the project-wide Diagnostic, so the validate command merges
 * email findings with YAML findings as they are.
 */

import type { ClientSupport, Diagnostic, Severity } from '../project/diagnostics.js';

export type { ClientSupport, Diagnostic, Severity };

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
