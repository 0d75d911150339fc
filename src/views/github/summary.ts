/**
 * The job summary of every command: the whole story of the run, where the PR comment has only room for the
 * gist. The plan (the same rendering as the comment, with a larger budget), the previews, every finding, apply's
 * per-resource results with Klaviyo ids, the refresh's segments, or why the run failed. GitHub refuses a
 * summary over 1 MiB, so it degrades within a byte budget (fit.ts) and says so.
 */
import { CommandError } from '../../commands/errors.js';
import type { CommandResult, RefreshResult, ReviewResult } from '../../commands/results.js';
import { describeRefusal } from '../../engine/apply/index.js';
import type { DriftReport } from '../../engine/drift.js';
import type { Plan } from '../../engine/plan.js';
import { renderPlanMarkdown } from '../plan/index.js';
import type { Diagnostic } from '../../project/diagnostics.js';
import type { PreviewEntry } from '../../previews/manifest.js';
import { applyResultsTable } from './comment-variants.js';
import { driftTable } from './drift-issue.js';
import { dedupeFindings, describeCounts, findingsTable } from './findings.js';
import { fitDocument, type DocumentPart } from './fit.js';
import { DEFAULT_SUMMARY_BUDGET_BYTES, SUMMARY_LIMIT_BYTES, utf8Bytes } from './limits.js';
import { cell, code, escapeMarkdown, plural, table } from './markup.js';
import { previewsTable, type PreviewLinks } from './previews.js';
import { syncSummaryParts } from './sync-summary.js';

export interface SummaryContext {
  runUrl?: string;
  /** Name of the artifact holding the previews (default `previews`). */
  previewsArtifact?: string;
  /** UTF-8 bytes; default a little under GitHub's 1 MiB, never above it. */
  budgetBytes?: number;
  /** The sync history's path as the workflow named it, shown instead of the absolute one. */
  historyShown?: string;
}

export interface JobSummary {
  markdown: string;
  trimmed: boolean;
}

const block = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);

/** A part whose renderings are fixed-size steps down (rows or characters shown). */
function stepped(render: (limit: number) => string, limits: readonly number[]): DocumentPart {
  return { levels: limits.map((limit) => () => render(limit)) };
}

function planPart(plan: Plan, budgetBytes: number): DocumentPart {
  // The plan renderer budgets characters; a character is at most 3 UTF-8 bytes (4 for a pair of 2 units).
  return stepped(
    (chars) => block([renderPlanMarkdown(plan, { budget: chars }).trimEnd()]),
    [budgetBytes, Math.floor(budgetBytes / 3), Math.floor(budgetBytes / 10), 20_000, 2_000],
  );
}

function findingsPart(findings: readonly Diagnostic[], title = 'Findings'): DocumentPart {
  const all = dedupeFindings(findings);
  return stepped(
    (limit) =>
      all.length === 0
        ? ''
        : block([
            `### ${title}: ${describeCounts(all)}`,
            '',
            ...findingsTable(all, { limit, restWhere: 'left out to fit' }),
          ]),
    [Infinity, 1000, 100, 0],
  );
}

function previewsPart(emails: readonly PreviewEntry[], links: PreviewLinks): DocumentPart {
  const brands = [...new Set(emails.map((e) => e.brand))];
  return stepped(
    (limit) =>
      emails.length === 0
        ? ''
        : block([
            `### Previews: ${plural(emails.length, 'email')}`,
            '',
            ...brands.flatMap((brand) => [
              `#### ${escapeMarkdown(brand)}`,
              '',
              ...previewsTable(
                emails.filter((e) => e.brand === brand),
                links,
                limit,
              ),
              '',
            ]),
          ]),
    [Infinity, 200, 20, 0],
  );
}

function driftPart(report: DriftReport): DocumentPart {
  const render = (limit: number, details: boolean): string =>
    block(
      report.brands.flatMap((brand) => {
        const drifted = brand.items.filter((i) => i.state !== 'not-in-code');
        const errors = brand.problems.filter((p) => p.severity === 'error');
        return [
          `### Drift: ${escapeMarkdown(brand.brand)} (account ${code(brand.accountId)}): ${drifted.length === 0 ? 'none' : plural(drifted.length, 'object')}`,
          '',
          ...errors.map((p) => `- :x: ${escapeMarkdown(p.message)}`),
          ...driftTable(drifted, limit, details),
          '',
        ];
      }),
    );
  return {
    levels: [
      () => render(Infinity, true),
      () => render(Infinity, false),
      () => render(100, false),
      () => render(0, false),
    ],
  };
}

function refreshParts(result: RefreshResult): DocumentPart[] {
  const reasserted = result.reasserted.map((r) => [
    escapeMarkdown(r.brand),
    `${code(r.key)} “${cell(r.name)}”`,
    r.id ? code(r.id) : '—',
    r.outcome === 'updated' ? ':white_check_mark: re-asserted' : `:x: failed: ${cell(r.error ?? '')}`,
  ]);
  const segments = (limit: number): string =>
    block([
      `### Managed segments: ${result.segments.length}`,
      '',
      ...table(
        ['Brand', 'Segment', 'Klaviyo id', 'Profiles'],
        result.segments
          .slice(0, limit)
          .map((s) => [
            escapeMarkdown(s.brand),
            `${code(s.key)} “${cell(s.name)}”`,
            s.id ? code(s.id) : '—',
            s.profileCount === undefined ? 'unknown' : s.profileCount.toLocaleString('en-US'),
          ]),
      ),
      ...(result.segments.length > limit ? ['', `… and ${result.segments.length - limit} more.`] : []),
    ]);
  return [
    {
      levels: [
        () =>
          block([
            `### Re-asserted: ${plural(reasserted.length, 'segment')}`,
            '',
            ...(reasserted.length > 0
              ? table(['Brand', 'Segment', 'Klaviyo id', 'Outcome'], reasserted)
              : ['No segment definition had drifted.']),
          ]),
      ],
    },
    stepped(segments, [Infinity, 500, 20]),
    driftPart(result.drift),
  ];
}

function reviewParts(result: ReviewResult, budget: number, links: PreviewLinks): DocumentPart[] {
  const planning = result.planning;
  const plan: DocumentPart =
    planning.status === 'planned'
      ? planPart(planning.plan, budget)
      : {
          levels: [
            () =>
              block([
                `### Plan: not made`,
                '',
                escapeMarkdown(planning.message),
                ...(planning.why === 'no-key'
                  ? [
                      '',
                      'The plan needs a maintainer: secrets are not available to pull requests from forks. A ' +
                        'maintainer can run the review from a branch of this repository, or read the plan in ' +
                        'the deploy workflow before it applies.',
                    ]
                  : []),
              ]),
          ],
        };
  return [
    plan,
    previewsPart(result.previews.manifest.emails, links),
    findingsPart(result.validation.diagnostics),
  ];
}

function failureParts(error: CommandError): DocumentPart[] {
  const lines = [
    `### :x: ${error.reason ? `Failed: ${code(error.reason)}` : error.kind === 'usage' ? 'Usage error' : 'Failed'}`,
    '',
    escapeMarkdown(error.message),
    '',
  ];
  for (const refusal of error.details.refusals ?? [])
    lines.push(
      ...describeRefusal(refusal).map((l) =>
        l.startsWith('  ') ? `  - ${escapeMarkdown(l.trim())}` : `- ${escapeMarkdown(l)}`,
      ),
    );
  const extra = error.details.lines ?? [];
  const fenced = (max: number): string => {
    if (extra.length === 0 || max === 0) return '';
    const text = extra.slice(0, max).join('\n');
    const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return block([ticks, text, ticks]);
  };
  return [
    { levels: [() => block(lines)] },
    stepped(fenced, [Infinity, 2000, 100, 0]),
    findingsPart(error.details.diagnostics ?? []),
  ];
}

function title(outcome: CommandResult | CommandError): string[] {
  if (outcome instanceof CommandError) return ['## klaviyo-gitops: failed'];
  const target = 'target' in outcome ? ['', escapeMarkdown(outcome.target)] : [];
  return [`## klaviyo-gitops ${outcome.command}`, ...target];
}

function parts(
  outcome: CommandResult | CommandError,
  budget: number,
  links: PreviewLinks,
  context: SummaryContext,
): DocumentPart[] {
  if (outcome instanceof CommandError) return failureParts(outcome);
  switch (outcome.command) {
    case 'validate':
      return [
        {
          levels: [
            () =>
              block([`${plural(outcome.files, 'file')} checked: ${describeCounts(outcome.diagnostics)}.`]),
          ],
        },
        findingsPart(outcome.diagnostics),
      ];
    case 'render':
      return [
        previewsPart(outcome.manifest.emails, links),
        findingsPart(
          outcome.manifest.emails.flatMap((e) => e.findings),
          'Email findings',
        ),
      ];
    case 'plan':
      return [planPart(outcome.plan, budget)];
    case 'review':
      return reviewParts(outcome, budget, links);
    case 'apply': {
      const results = (limit: number): string =>
        block(
          outcome.brands.flatMap((b) => [
            `### ${escapeMarkdown(b.brand)} (account ${code(b.accountId)}): ${b.ok ? ':white_check_mark: applied' : ':x: did not finish'}`,
            '',
            ...applyResultsTable(b.resources, limit),
            ...(b.recordError ? ['', `:warning: ${escapeMarkdown(b.recordError)}`] : []),
            '',
          ]),
        );
      return [stepped(results, [Infinity, 500, 50, 0]), planPart(outcome.plan, budget)];
    }
    case 'drift':
      return [driftPart(outcome.report), planPart(outcome.plan, budget)];
    case 'refresh':
      return refreshParts(outcome);
    case 'sync':
      return syncSummaryParts(outcome, { historyShown: context.historyShown });
    // Verbs the Action does not run (pull, import, brands, sandbox): the title says what ran.
    default:
      return [];
  }
}

export function renderJobSummary(
  outcome: CommandResult | CommandError,
  context: SummaryContext = {},
): JobSummary {
  const budget = Math.max(
    0,
    Math.min(context.budgetBytes ?? DEFAULT_SUMMARY_BUDGET_BYTES, SUMMARY_LIMIT_BYTES),
  );
  const links: PreviewLinks = {
    artifact: context.previewsArtifact ?? 'previews',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
  const body = parts(outcome, budget, links, context);
  const all: DocumentPart[] = [{ levels: [() => block(title(outcome))] }, ...body];
  // The largest parts give up detail first, one step each in turn, until the summary fits.
  const rounds = Math.max(...all.map((p) => p.levels.length));
  const order = Array.from({ length: rounds }, () => all.map((_p, i) => i)).flat();
  const fitted = fitDocument(all, {
    budget,
    measure: utf8Bytes,
    degradeOrder: order,
    trimmedNote: block([
      '> [!NOTE]',
      "> Trimmed to fit GitHub's 1 MiB job summary limit: the plan JSON artifact and the workflow log hold everything.",
    ]),
    noteBefore: 1,
    elastic: 'largest',
  });
  return { markdown: fitted.text, trimmed: fitted.trimmed };
}
