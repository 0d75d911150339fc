/** `sync` and `sync history` as text: per brand its seed stats and notes; the history as a table of runs. */
import type { BrandSyncReport, SyncHistoryResult, SyncResult } from '../../commands/results.js';
import type { SyncRunSummary } from '../../sync/history/ledger.js';
import { plural } from './plural.js';

export function syncText(result: SyncResult): string {
  const lines: string[] = [];
  for (const brand of result.withoutSync) lines.push(`${brand}: no sync.yaml, skipped`);
  for (const brand of result.brands) lines.push(...brandLines(brand));
  if (result.brands.length === 0 && result.withoutSync.length === 0) lines.push('No brands to sync.');
  if (result.stopped)
    lines.push('', 'Stopped at --max-duration: run sync again to continue where it stopped.');
  lines.push(
    '',
    result.history
      ? `History: ${result.history} (klaviyo-gitops sync history)`
      : 'History: not kept (--no-history)',
  );
  return lines.join('\n');
}

function brandLines(report: BrandSyncReport): string[] {
  const s = report.stats;
  const value = Object.entries(s.totalValue)
    .map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`)
    .join(', ');
  const lines = [
    `${report.brand}: ${report.status}${report.resumed ? ' (continued an earlier run)' : ''} in ${seconds(report.durationMs)}`,
    `  orders fetched             ${s.ordersFetched}`,
    `  customers found            ${s.customersFound}`,
    // Per stream, not per person: a buyer who is also in the customers export is imported twice.
    `  profile imports completed  ${s.customersSynced}`,
    `  events accepted            ${s.eventsAccepted}`,
    `  order value                ${value || '0'}`,
    `  subscribed                 email ${s.subscribed.email}, sms ${s.subscribed.sms}`,
    `  failed                     ${s.failed}${s.badRows > 0 ? ` (${plural(s.badRows, 'unreadable row')})` : ''}`,
  ];
  const skips = Object.entries(s.skipped).sort(([a], [b]) => a.localeCompare(b));
  if (skips.length > 0)
    lines.push(`  skipped                    ${skips.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  if (s.rateLimitWaits > 0) lines.push(`  rate-limit waits           ${s.rateLimitWaits}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  const failure = report.runs.flatMap((r) => r.firstFailures)[0];
  if (failure) lines.push(`  first failure: ${failureText(failure)}`);
  return lines;
}

export function syncHistoryText(result: SyncHistoryResult): string {
  if (result.runs.length === 0) return `No sync runs in ${result.history}${filterText(result)}.`;
  const rows = [
    [
      'RUN',
      'BRAND',
      'SOURCE',
      'TYPE',
      'DIRECTION',
      'STATUS',
      'RECORDS',
      'OK',
      'FAILED',
      'DURATION',
      'STARTED',
    ],
    ...result.runs.map((r) => [
      r.runId,
      r.brand,
      r.source,
      r.stream,
      r.direction,
      r.status,
      String(r.records),
      String(r.succeeded),
      String(r.failed),
      r.durationMs !== undefined ? seconds(r.durationMs) : '-',
      r.startedAt,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  for (const run of result.runs) lines.push(...runDetails(run));
  return lines.join('\n');
}

function runDetails(run: SyncRunSummary): string[] {
  const lines: string[] = [];
  if (run.resumedFrom) lines.push(`${run.runId}: continued ${run.resumedFrom}`);
  for (const failure of run.firstFailures) lines.push(`${run.runId}: ${failureText(failure)}`);
  const more = (run.failuresRecorded ?? 0) - run.firstFailures.length;
  if (more > 0) lines.push(`${run.runId}: and ${plural(more, 'more failure')}`);
  return lines;
}

function failureText(failure: SyncRunSummary['firstFailures'][number]): string {
  return `${failure.item}: ${failure.code}: ${failure.detail}${failure.pointer ? ` (${failure.pointer})` : ''}`;
}

function filterText(result: SyncHistoryResult): string {
  const parts = [
    result.query.brand && `brand ${result.query.brand}`,
    result.query.stream && `type ${result.query.stream}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
