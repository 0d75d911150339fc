/**
 * The drift issue, one per brand, opened or updated by the scheduled refresh when Klaviyo no longer matches the
 * repository (someone edited in the Klaviyo UI), and closed with a comment once it matches again. Found again
 * by the hidden marker on its first line.
 */
import type { ReassertedSegment } from '../../commands/results.js';
import type { BrandDrift, DriftItem, DriftState } from '../../engine/drift.js';
import type { JsonValue } from '../../engine/plan.js';
import { formatStamp, formatValue } from '../plan/describe.js';
import { valuePair } from '../plan/value-diff.js';
import { fitDocument } from './fit.js';
import { COMMENT_LIMIT, commentLength } from './limits.js';
import {
  cell,
  code,
  escapeHtml,
  escapeMarkdown,
  link,
  markerToken,
  parseMarkerToken,
  plural,
  table,
} from './markup.js';

export interface DriftIssueContext {
  /** When the check ran. */
  checkedAt: Date;
  runUrl?: string;
  /** Characters; never above GitHub's 65,536 (the default). */
  budget?: number;
}

export interface DriftIssue {
  title: string;
  body: string;
  trimmed: boolean;
}

const MARKER_LINE = /^<!-- klaviyo-gitops drift brand=(\S*) -->$/;

export function driftIssueMarker(brand: string): string {
  return `<!-- klaviyo-gitops drift brand=${markerToken(brand)} -->`;
}

/** The brand a drift issue is about; undefined for any other body. Never throws. */
export function parseDriftIssueMarker(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const token = MARKER_LINE.exec(body.split(/\r?\n/, 1)[0] ?? '')?.[1];
  return token === undefined ? undefined : parseMarkerToken(token);
}

export function driftIssueTitle(brand: string): string {
  return `Klaviyo drift: ${brand}`;
}

const STATE: Record<DriftState, string> = {
  differs: 'differs from the repository',
  missing: 'missing in Klaviyo',
  duplicate: 'a second object with the same key',
  'not-in-code': 'no longer in the repository',
};

const FIX: Record<DriftItem['fix'], string> = {
  update: 'update it in place',
  replace: 'replace it',
  create: 'create it',
  archive: 'archive it',
  delete: 'delete it',
  none: 'leave it',
};

/** A value in one line, as the plan shows it: segment definitions in English, long values shortened. */
function value(path: string, v: JsonValue | undefined): string {
  return v === undefined ? '(not set)' : code(formatValue(path, v));
}

function itemTitle(item: DriftItem): string {
  return `${item.kind} ${code(item.key)} “${cell(item.name)}”`;
}

function itemDetails(item: DriftItem): string[] {
  if (item.fields.length === 0) return [];
  const rows = item.fields.map((f) => {
    // Long values are cut around where they differ, the same cut on both sides.
    const long = typeof f.klaviyo === 'string' && typeof f.repository === 'string';
    const [klaviyo, repository]: [string, string] = long
      ? [code(valuePair(f.klaviyo, f.repository)[0]), code(valuePair(f.klaviyo, f.repository)[1])]
      : [value(f.path, f.klaviyo), value(f.path, f.repository)];
    return [code(f.path), klaviyo, repository, cell(f.cause ?? '')];
  });
  return [
    `<details><summary>${item.kind} <code>${escapeHtml(item.key)}</code>: ${plural(item.fields.length, 'field')}</summary>`,
    '',
    ...table(['Field', 'Klaviyo', 'Repository', 'Note'], rows),
    '',
    '</details>',
    '',
  ];
}

/** The drifted objects as a table (capped, counting the rest), with each one's fields below when `details`. */
export function driftTable(drifted: readonly DriftItem[], limit = Infinity, details = true): string[] {
  const shown = drifted.slice(0, Math.max(0, limit));
  const rows = shown.map((i) => [
    itemTitle(i),
    i.id ? code(i.id) : '—',
    STATE[i.state],
    `apply would ${FIX[i.fix]}`,
  ]);
  const out = shown.length > 0 ? table(['Object', 'Klaviyo id', 'State', 'Fix'], rows) : [];
  if (drifted.length > shown.length)
    out.push(
      '',
      `… and ${plural(drifted.length - shown.length, 'more object')} in the job summary of the run.`,
    );
  if (details) out.push('', ...shown.flatMap(itemDetails));
  return out;
}

const block = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);

export function renderDriftIssue(
  drift: BrandDrift,
  reasserted: readonly ReassertedSegment[],
  context: DriftIssueContext,
): DriftIssue {
  const drifted = drift.items.filter((i) => i.state !== 'not-in-code');
  const kept = drift.items.filter((i) => i.state === 'not-in-code');
  const mine = reasserted.filter((r) => r.brand === drift.brand);
  const when = formatStamp(context.checkedAt.toISOString());
  const run = context.runUrl ? ` in ${link('this run', context.runUrl)}` : '';
  const head = [
    driftIssueMarker(drift.brand),
    `### Klaviyo drift: ${escapeMarkdown(drift.brand)} (account ${code(drift.accountId)})`,
    '',
    `${plural(drifted.length, 'managed object')} in Klaviyo ${drifted.length === 1 ? 'does' : 'do'} not match the repository (checked ${when}${run}).`,
  ];
  const errors = drift.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0)
    head.push(
      '',
      '> [!CAUTION]',
      '> Drift could not be fully checked:',
      ...errors.map((p) => `> - ${escapeMarkdown(p.message)}`),
    );
  const items = (limit: number, details: boolean) => () => block(driftTable(drifted, limit, details));
  const tail: string[] = [];
  if (mine.length > 0) {
    tail.push('**Re-asserted by the refresh** (segment definitions written back from the repository):', '');
    for (const r of mine.slice(0, 50))
      tail.push(
        `- segment ${code(r.key)} “${cell(r.name)}”${r.id ? ` (${code(r.id)})` : ''}: ${r.outcome === 'updated' ? 'updated' : `failed: ${cell(r.error ?? 'unknown error')}`}`,
      );
    if (mine.length > 50) tail.push(`- … and ${mine.length - 50} more in the job summary`);
    tail.push('');
  }
  if (kept.length > 0)
    tail.push(
      `Not drift: ${plural(kept.length, 'managed object')} no longer in the repository, kept in Klaviyo by the deletion policy: ${kept
        .slice(0, 20)
        .map((i) => `${i.kind} ${code(i.key)}`)
        .join(', ')}${kept.length > 20 ? ` and ${kept.length - 20} more` : ''}.`,
      '',
    );
  tail.push(
    `**To fix:** run the deploy workflow (\`workflow_dispatch\`) to make Klaviyo match the repository again, or keep the` +
      ` edits made in Klaviyo: \`klaviyo-gitops pull --brand ${drift.brand.replace(/[^\w.-]/g, '')}\` writes them into the files; commit them in a pull request.` +
      ' This issue closes itself once Klaviyo matches the repository.',
  );
  const budget = Math.min(context.budget ?? COMMENT_LIMIT, COMMENT_LIMIT);
  const fitted = fitDocument(
    [
      { levels: [() => block(head)] },
      {
        levels: [
          items(Infinity, true),
          items(Infinity, false),
          items(100, false),
          items(20, false),
          items(0, false),
        ],
      },
      { levels: [() => block(tail)] },
    ],
    {
      budget,
      measure: commentLength,
      degradeOrder: [1, 1, 1, 1],
      trimmedNote: block([
        `> [!NOTE]`,
        `> Trimmed to fit GitHub's issue limit: the run's job summary lists every difference.`,
      ]),
      noteBefore: 1,
      elastic: 1,
    },
  );
  return { title: driftIssueTitle(drift.brand), body: fitted.text, trimmed: fitted.trimmed };
}

/** The comment that closes the issue. */
export function driftResolvedComment(at: Date, runUrl?: string): string {
  return `Drift resolved at ${formatStamp(at.toISOString())}${runUrl ? ` (${link('run', runUrl)})` : ''}: Klaviyo matches the repository.`;
}
