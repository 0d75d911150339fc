/**
 * The one shape every problem found in the marketing repository takes, from a YAML syntax error to a flow
 * compliance rule, so the CLI, the JSON report and GitHub annotations all print the same thing.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** A stable rule id, e.g. `unknown-key`, `flow-exit-on-order`. */
  rule: string;
  severity: Severity;
  message: string;
  /** What to change to make the problem go away. */
  fix?: string;
}

/** `path:line:col: error rule-id: message (fix)` */
export function formatDiagnostic(d: Diagnostic): string {
  const fix = d.fix ? ` (${d.fix})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.rule}: ${d.message}${fix}`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message)
  );
}

/** Sorted by file, line and column, with exact repeats removed (a blueprint reached twice reports once). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...diagnostics].sort(compareDiagnostics)) {
    const key = formatDiagnostic(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors += 1;
    else warnings += 1;
  }
  return { errors, warnings };
}

/** The closest candidate within a small edit distance, for "did you mean ...?" hints. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      let value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      row[j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

/** "did you mean 'x'?" or undefined, ready for a Diagnostic's `fix`. */
export function suggestion(input: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(input, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
