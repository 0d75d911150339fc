/** The changed emails' previews as a table: subject, preview text, size, QA findings, where to open them. */
import type { PreviewEntry } from '../../previews/manifest.js';
import { countFindings } from './findings.js';
import { cell, code, link, plural, table } from './markup.js';

export interface PreviewLinks {
  /** The workflow run, whose page lists its artifacts. */
  runUrl?: string;
  /** The name of the artifact holding the previews. */
  artifact: string;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function qa(entry: PreviewEntry): string {
  const counts = countFindings(entry.findings);
  if (counts.error + counts.warning === 0) return 'clean';
  return [
    counts.error > 0 ? plural(counts.error, 'error') : '',
    counts.warning > 0 ? plural(counts.warning, 'warning') : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function where(entry: PreviewEntry, links: PreviewLinks): string {
  const file = entry.files.html ? `${code(entry.files.html)} in ` : '';
  const artifact = links.runUrl
    ? link(`${links.artifact} artifact`, `${links.runUrl}#artifacts`)
    : `the ${cell(links.artifact)} artifact`;
  return `${file}${artifact}`;
}

/** Rows for at most `limit` emails, and a line counting the rest. Empty when there are no emails. */
export function previewsTable(
  emails: readonly PreviewEntry[],
  links: PreviewLinks,
  limit = Infinity,
): string[] {
  if (emails.length === 0) return [];
  const shown = emails.slice(0, Math.max(0, limit));
  const rows = shown.map((e) =>
    e.status === 'rendered'
      ? [
          `${cell(e.name)} ${code(e.key)}`,
          cell(e.subject),
          cell(e.previewText),
          size(e.sizeBytes),
          qa(e),
          where(e, links),
        ]
      : [`${cell(e.name)} ${code(e.key)}`, `:x: not rendered: ${cell(e.reason)}`, '', '', qa(e), ''],
  );
  const out =
    shown.length > 0 ? table(['Email', 'Subject', 'Preview text', 'Size', 'QA', 'Preview'], rows) : [];
  const rest = emails.length - shown.length;
  if (rest > 0) out.push('', `… and ${plural(rest, 'more email')} in the job summary.`);
  return out;
}
