/**
 * The nightly sync in the job summary and the Action's outputs. Per brand: its figures, what was skipped and
 * why, the notes, the first items Klaviyo refused (or the rows that could not be read, as `file:line`), and
 * where the history is kept. A run stopped at its time budget says that the next run continues it, so a long
 * backfill spread over several nights reads as progress, not as a failure.
 */
import { syncFailed } from '../../commands/exit-codes.js';
import type { FailureReason } from '../../commands/errors.js';
import type { BrandSyncReport, SyncResult } from '../../commands/results.js';
import type { SyncRunSummary } from '../../sync/history/ledger.js';
import type { DocumentPart } from './fit.js';
import { cell, code, escapeMarkdown, plural, table } from './markup.js';

export interface SyncSummaryContext {
  /** The history path as the workflow names it (relative to the workspace), instead of the absolute one. */
  historyShown?: string | undefined;
}

const block = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);

const count = (n: number): string => n.toLocaleString('en-US');

const STATUS: Record<BrandSyncReport['status'], string> = {
  succeeded: ':white_check_mark: synced',
  partial: ':warning: synced, Klaviyo refused some items',
  failed: ':x: failed',
  stopped: ':hourglass: stopped at the time budget, continues at the next run',
};

function money(totals: Record<string, number>): string {
  const entries = Object.entries(totals).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '0';
  return entries
    .map(
      ([currency, amount]) =>
        `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${escapeMarkdown(currency)}`,
    )
    .join(', ');
}

function figuresTable(report: BrandSyncReport): string[] {
  const s = report.stats;
  const rows: [string, string][] = [
    ['Orders fetched', count(s.ordersFetched)],
    ['Customers found', count(s.customersFound)],
    ['Customers synced', count(s.customersSynced)],
    ...(s.profilesCreated !== undefined
      ? [['Profiles created', count(s.profilesCreated)] as [string, string]]
      : []),
    ...(s.profilesUpdated !== undefined
      ? [['Profiles updated', count(s.profilesUpdated)] as [string, string]]
      : []),
    ['Events accepted', count(s.eventsAccepted)],
    ['Order value', money(s.totalValue)],
    ['Subscribed', `email ${count(s.subscribed.email)}, SMS ${count(s.subscribed.sms)}`],
    ['Failed', `${count(s.failed)}${s.badRows > 0 ? ` (${plural(s.badRows, 'unreadable row')})` : ''}`],
    ...(s.rateLimitWaits > 0 ? [['Rate-limit waits', count(s.rateLimitWaits)] as [string, string]] : []),
  ];
  return table(['Figure', 'Value'], rows);
}

function skippedLines(report: BrandSyncReport): string[] {
  const skips = Object.entries(report.stats.skipped)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  if (skips.length === 0) return [];
  return [
    '',
    `Skipped (not sent), by reason:`,
    '',
    ...table(
      ['Reason', 'Count'],
      skips.map(([reason, n]) => [code(reason), count(n)]),
    ),
  ];
}

function failuresLines(runs: readonly SyncRunSummary[], limit: number): string[] {
  const failures = runs.flatMap((run) => run.firstFailures.map((f) => ({ run, f })));
  if (failures.length === 0 || limit === 0) return [];
  const shown = failures.slice(0, limit);
  return [
    '',
    'First failures:',
    '',
    ...table(
      ['Source', 'Type', 'Item', 'Code', 'Detail'],
      shown.map(({ run, f }) => [
        cell(run.source),
        run.stream,
        code(f.item),
        code(f.code),
        cell(`${f.detail}${f.pointer ? ` (${f.pointer})` : ''}`),
      ]),
    ),
    ...(failures.length > shown.length
      ? ['', `… and ${failures.length - shown.length} more in the history.`]
      : []),
  ];
}

function brandLines(report: BrandSyncReport, failureLimit: number): string[] {
  const seconds = (report.durationMs / 1000).toFixed(1);
  return [
    `### ${escapeMarkdown(report.brand)}: ${STATUS[report.status]}${report.resumed ? ' (continued an earlier run)' : ''} in ${seconds}s`,
    '',
    ...figuresTable(report),
    ...skippedLines(report),
    ...(report.notes.length > 0 ? ['', ...report.notes.map((n) => `- ${escapeMarkdown(n)}`)] : []),
    ...failuresLines(report.runs, failureLimit),
    '',
  ];
}

/** The sync's parts of the job summary; failures give up rows first when the summary must shrink. */
export function syncSummaryParts(result: SyncResult, context: SyncSummaryContext = {}): DocumentPart[] {
  const history = context.historyShown ?? result.history;
  const closing = [
    ...result.withoutSync.map((b) => `- ${escapeMarkdown(b)}: no ${code('sync.yaml')}, skipped`),
    ...(result.brands.length === 0 && result.withoutSync.length === 0 ? ['No brands to sync.'] : []),
    ...(result.stopped
      ? [
          '',
          '> [!NOTE]',
          '> Stopped at `max-duration` with batches still to send: the next run continues where this one stopped (nothing is sent twice).',
        ]
      : []),
    '',
    history
      ? `History: ${code(history)}. Query it with ${code(`klaviyo-gitops sync history --history ${history}`)}.`
      : 'History: not kept.',
  ];
  const brands = (limit: number): string => block(result.brands.flatMap((b) => brandLines(b, limit)));
  return [{ levels: [10, 3, 0].map((limit) => () => brands(limit)) }, { levels: [() => block(closing)] }];
}

/** The brands' overall status: the worst of them (`failed` over `partial` over `stopped` over `succeeded`). */
export function syncStatus(result: SyncResult): BrandSyncReport['status'] | 'nothing-to-sync' {
  if (result.brands.length === 0) return 'nothing-to-sync';
  for (const status of ['failed', 'partial', 'stopped'] as const)
    if (result.brands.some((b) => b.status === status)) return status;
  return 'succeeded';
}

/** Why a sync that finished fails its step, in the Action's `failure-reason` words. */
export function syncFailureReason(result: SyncResult): FailureReason | undefined {
  if (!syncFailed(result)) return undefined;
  if (result.brands.some((b) => b.stats.failed - b.stats.badRows > 0)) return 'sync-items-refused';
  return 'sync-incomplete';
}

/** The sync's own outputs: totals over the brands the job synced (one per job in the workflow). */
export function syncOutputs(result: SyncResult): Record<string, string> {
  const total = (pick: (b: BrandSyncReport) => number): string =>
    String(result.brands.reduce((sum, b) => sum + pick(b), 0));
  return {
    'events-accepted': total((b) => b.stats.eventsAccepted),
    failed: total((b) => b.stats.failed),
    status: syncStatus(result),
    stopped: String(result.stopped),
  };
}
