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
  /** A `caniemail` finding's feature and the clients lacking it, as data: what accepted features match. */
  clientSupport?: ClientSupport;
}

/** A feature (caniemail's title, e.g. `border-radius`) the listed email clients do not support. */
export interface ClientSupport {
  feature: string;
  clients: string[];
}

/** `path:line:col: error rule-id: message (fix)` */
export function formatDiagnostic(d: Diagnostic): string {
  const fix = d.fix ? ` (${d.fix})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.rule}: ${d.message}${fix}`;
}

/** An error about a whole file, at its first line (or `line`). */
export function fileDiagnostic(
  file: string,
  rule: string,
  message: string,
  fix?: string,
  line = 1,
): Diagnostic {
  const d: Diagnostic = { file, line, col: 1, rule, severity: 'error', message };
  if (fix !== undefined) d.fix = fix;
  return d;
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

/** Optimal string alignment distance: a swapped pair of letters counts as one edit. Two rows of memory. */
export function editDistance(a: string, b: string): number {
  // Names this far apart in length are never suggestions; skip the quadratic work (inputs can be huge).
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** "did you mean 'x'?" or undefined, ready for a Diagnostic's `fix`. */
export function suggestion(input: string, candidates: Iterable<string>): string | undefined {
  const match = didYouMean(input, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
