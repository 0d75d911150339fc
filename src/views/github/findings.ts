/**
 * Validation and email QA findings as GitHub shows them: deduplicated (a shared layout's note is reported once,
 * not once per email that uses it), attributed to a brand, and as a table.
 */
import { compareDiagnostics, type Diagnostic, type Severity } from '../../project/diagnostics.js';
import type { PreviewManifest } from '../../previews/manifest.js';
import { cell, code, plural, table } from './markup.js';

/**
 * Each finding once: the same rule and message at the same file:line:col counts once, whichever emails or
 * brands reported it, kept at its most severe. Sorted by file, line, column.
 */
export function dedupeFindings(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const byPlace = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    const key = JSON.stringify([d.file, d.line, d.col, d.rule, d.message]);
    const seen = byPlace.get(key);
    if (!seen || (seen.severity === 'warning' && d.severity === 'error')) byPlace.set(key, d);
  }
  return [...byPlace.values()].sort(compareDiagnostics);
}

/** The brand a file belongs to (`.../brands/<brand>/...`), or undefined for shared and root files. */
export function brandOfFile(file: string): string | undefined {
  return /(?:^|\/)brands\/([^/]+)\//.exec(file.replace(/\\/g, '/'))?.[1];
}

/**
 * The findings that concern a brand: those in its own files, those its emails' previews reported (a shared
 * layout used by its emails), and those in shared files no brand's email claims (they concern every brand).
 */
export function findingsForBrand(
  diagnostics: readonly Diagnostic[],
  brand: string,
  manifest?: PreviewManifest,
): Diagnostic[] {
  const key = (d: Diagnostic): string => JSON.stringify([d.file, d.line, d.col, d.rule, d.message]);
  const claims = new Map<string, Set<string>>();
  for (const email of manifest?.emails ?? [])
    for (const finding of email.findings) {
      const set = claims.get(key(finding)) ?? new Set<string>();
      set.add(email.brand);
      claims.set(key(finding), set);
    }
  const ownEmails = (manifest?.emails ?? []).filter((e) => e.brand === brand).flatMap((e) => e.findings);
  const mine = diagnostics.filter((d) => {
    const owner = brandOfFile(d.file);
    if (owner !== undefined) return owner === brand;
    const claimed = claims.get(key(d));
    return claimed === undefined || claimed.has(brand);
  });
  return dedupeFindings([...mine, ...ownEmails]);
}

export function countFindings(findings: readonly Diagnostic[]): Record<Severity, number> {
  return {
    error: findings.filter((d) => d.severity === 'error').length,
    warning: findings.filter((d) => d.severity === 'warning').length,
  };
}

export function describeCounts(findings: readonly Diagnostic[]): string {
  const counts = countFindings(findings);
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`;
}

export interface FindingsTableOptions {
  /** Rows shown at most; the rest are counted. */
  limit?: number;
  /** Where the rest can be read, e.g. "in the job summary". */
  restWhere?: string;
}

/** `| Where | Severity | Rule | Message |`, errors first, then by file and line; capped with "and N more". */
export function findingsTable(findings: readonly Diagnostic[], options: FindingsTableOptions = {}): string[] {
  if (findings.length === 0) return [];
  const sorted = [...findings].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning') || compareDiagnostics(a, b),
  );
  const limit = Math.max(0, options.limit ?? Infinity);
  const shown = sorted.slice(0, limit);
  const rows = shown.map((d) => [
    code(`${d.file}:${d.line}:${d.col}`),
    d.severity === 'error' ? ':x: error' : ':warning: warning',
    code(d.rule),
    cell(d.fix ? `${d.message} (${d.fix})` : d.message),
  ]);
  const out = shown.length > 0 ? table(['Where', 'Severity', 'Rule', 'Message'], rows) : [];
  const rest = sorted.length - shown.length;
  if (rest > 0)
    out.push('', `… and ${plural(rest, 'more finding')}${options.restWhere ? ` ${options.restWhere}` : ''}.`);
  return out;
}
