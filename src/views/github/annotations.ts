/**
 * Findings as GitHub annotations. GitHub shows at most 10 errors and 10 warnings per step and silently drops
 * the rest, so we choose: findings in the files the pull request changed first, then errors before warnings,
 * then by file and line; each finding once (a shared layout's note is not repeated for every email); and one
 * notice saying how many were left out. The job summary lists them all (the `all` list).
 */
import { compareDiagnostics, type Diagnostic } from '../../project/diagnostics.js';
import { dedupeFindings } from './findings.js';

/** GitHub's per-step limit for each of errors, warnings and notices. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** The rule id. */
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface AnnotationSelection {
  annotations: Annotation[];
  /** Every finding once, sorted by file, line, column: for the job summary. */
  all: Diagnostic[];
  omitted: { errors: number; warnings: number };
}

const normalise = (file: string): string => file.replace(/\\/g, '/').replace(/^\.\//, '');

/**
 * `changedFiles`: paths the pull request changed, relative to the repository root (as GitHub lists them); a
 * finding's file matches when equal, or when it ends with `/<changed path>` (findings are relative to the
 * working directory, which may be a sub-directory of a checkout).
 */
export function selectAnnotations(
  diagnostics: readonly Diagnostic[],
  changedFiles: readonly string[] = [],
  perLevel = ANNOTATIONS_PER_LEVEL,
): AnnotationSelection {
  const all = dedupeFindings(diagnostics);
  const changed = changedFiles.map(normalise);
  const inChange = (d: Diagnostic): boolean => {
    const file = normalise(d.file);
    return changed.some((c) => file === c || file.endsWith(`/${c}`) || c.endsWith(`/${file}`));
  };
  const ranked = [...all].sort(
    (a, b) =>
      Number(inChange(b)) - Number(inChange(a)) ||
      Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
      compareDiagnostics(a, b),
  );
  const pick = (severity: Diagnostic['severity']): Diagnostic[] =>
    ranked.filter((d) => d.severity === severity);
  const errors = pick('error');
  const warnings = pick('warning');
  const annotations: Annotation[] = [...errors.slice(0, perLevel), ...warnings.slice(0, perLevel)].map(
    (d) => ({
      level: d.severity,
      message: d.fix ? `${d.message} (${d.fix})` : d.message,
      title: d.rule,
      file: d.file,
      startLine: d.line,
      startColumn: d.col,
    }),
  );
  const omitted = {
    errors: Math.max(0, errors.length - perLevel),
    warnings: Math.max(0, warnings.length - perLevel),
  };
  if (omitted.errors + omitted.warnings > 0) {
    const parts = [
      omitted.errors > 0 ? `${omitted.errors} more error${omitted.errors === 1 ? '' : 's'}` : '',
      omitted.warnings > 0 ? `${omitted.warnings} more warning${omitted.warnings === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    annotations.push({
      level: 'notice',
      title: 'More findings',
      message: `${parts.join(' and ')} not shown as annotations (GitHub shows ${perLevel} of each per step): the job summary lists all ${all.length} findings.`,
    });
  }
  return { annotations, all, omitted };
}
