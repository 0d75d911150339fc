/**
 * The brand comment after the review: applied on merge (what was done, with Klaviyo ids), refused on merge
 * (what differs and how to proceed), and outdated (kept, collapsed, when a fresh comment replaces it).
 */
import type { CommandError } from '../../commands/errors.js';
import { describeRefusal, type BrandApplyResult, type ResourceResult } from '../../engine/apply/index.js';
import { commentHead, parseCommentPayload, type CommentPayload } from './comment-marker.js';
import { trimmedNote, type BrandComment } from './comment.js';
import { cutAtLine, fitDocument } from './fit.js';
import { COMMENT_LIMIT, commentBudget, commentLength } from './limits.js';
import { cell, code, escapeMarkdown, link, plural, table } from './markup.js';

export interface AfterMergeContext {
  /** The commit apply ran at. */
  sha: string;
  runUrl?: string;
  /** The reviewed fingerprint apply checked against, when one was found. */
  fingerprint?: string | null;
  budget?: number;
}

const block = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);
const short = (sha: string): string => code(sha.slice(0, 12));
const inRun = (runUrl: string | undefined): string => (runUrl ? ` in ${link('this run', runUrl)}` : '');

function outcomeWords(r: ResourceResult): string {
  switch (r.outcome) {
    case 'applied':
      return `:white_check_mark: ${r.action === 'orphan' ? 'archived' : `${r.action}d`}`;
    case 'failed':
      return ':x: failed';
    case 'skipped':
      return ':fast_forward: skipped (depends on a failed one)';
    case 'unchanged':
      return 'unchanged';
  }
}

/** `| Resource | Outcome | Klaviyo id | Note |` for every resource apply acted on; capped with a count. */
export function applyResultsTable(resources: readonly ResourceResult[], limit = Infinity): string[] {
  const acted = resources.filter((r) => r.outcome !== 'unchanged');
  if (acted.length === 0) return ['Nothing to apply: Klaviyo already matched the repository.'];
  const shown = acted.slice(0, Math.max(0, limit));
  const rows = shown.map((r) => [
    `${r.kind} ${code(r.key)} “${cell(r.name)}”`,
    outcomeWords(r),
    r.id ? code(r.id) : '—',
    cell([r.previousId ? `replaced ${r.previousId}` : '', r.error ?? ''].filter(Boolean).join('; ') || ''),
  ]);
  const out = shown.length > 0 ? table(['Resource', 'Outcome', 'Klaviyo id', 'Note'], rows) : [];
  if (acted.length > shown.length)
    out.push('', `… and ${plural(acted.length - shown.length, 'more resource')} in the job summary.`);
  return out;
}

export function renderAppliedComment(result: BrandApplyResult, context: AfterMergeContext): BrandComment {
  const payload: CommentPayload = {
    version: 1,
    brand: result.brand,
    fingerprint: context.fingerprint ?? null,
    headSha: context.sha,
    status: 'applied',
  };
  const c = result.counts;
  const done = [
    `${c.created} created`,
    `${c.updated} updated`,
    `${c.replaced} replaced`,
    `${c.deleted} deleted`,
    ...(c.archived > 0 ? [`${c.archived} archived`] : []),
  ].join(', ');
  const lines = [
    `### klaviyo-gitops: ${escapeMarkdown(result.brand)} (account ${code(result.accountId)})`,
    '',
  ];
  if (result.ok)
    lines.push(`:white_check_mark: **Applied** at ${short(context.sha)}${inRun(context.runUrl)}: ${done}.`);
  else
    lines.push(
      `:x: **Apply did not finish** at ${short(context.sha)}${inRun(context.runUrl)}: ${done}; ${c.failed} failed, ${c.skipped} skipped.`,
      '',
      '**Next:** re-run the deploy workflow: apply converges on the repository, so it finishes what is left without duplicates.',
    );
  if (result.recordError) lines.push('', `:warning: ${escapeMarkdown(result.recordError)}`);
  const head = commentHead(payload) + block(lines);
  const results = (limit: number) => () => block(applyResultsTable(result.resources, limit));
  const fitted = fitDocument(
    [{ levels: [() => head] }, { levels: [results(Infinity), results(50), results(10), results(0)] }],
    {
      budget: commentBudget(context.budget),
      measure: commentLength,
      degradeOrder: [1, 1, 1],
      trimmedNote: trimmedNote(context.runUrl, 'every resource'),
      noteBefore: 1,
      elastic: 1,
    },
  );
  return { body: fitted.text, payload, trimmed: fitted.trimmed };
}

function howToProceed(reason: string | undefined): string[] {
  switch (reason) {
    case 'plan-changed':
      return [
        'What merging would write now differs from what the review showed (another merge, or an edit in the',
        'files after the review). Nothing was written. To proceed: re-run the review workflow to see and review',
        'the current plan, then run the deploy workflow with `workflow_dispatch` to apply it.',
      ];
    case 'unreviewed':
      return [
        'No reviewed plan was found for this brand at the merged commit, so apply on merge wrote nothing. To',
        'proceed: re-run the review workflow to make and review the plan, then run the deploy workflow with',
        '`workflow_dispatch`.',
      ];
    default:
      return [
        'Nothing was written. Fix what is listed above, then run the deploy workflow with `workflow_dispatch`',
        '(or re-run it) to apply.',
      ];
  }
}

/** Apply on merge refused this brand: why, what differs, how to go on. */
export function renderApplyRefusedComment(
  error: CommandError,
  brand: string,
  context: AfterMergeContext & { accountId?: string },
): BrandComment {
  const payload: CommentPayload = {
    version: 1,
    brand,
    fingerprint: context.fingerprint ?? null,
    headSha: context.sha,
    status: 'apply-refused',
  };
  const refusals = (error.details.refusals ?? []).filter((r) => r.brand === brand);
  const reason = error.reason;
  const heading = [
    `### klaviyo-gitops: ${escapeMarkdown(brand)}${context.accountId ? ` (account ${code(context.accountId)})` : ''}`,
    '',
    `:no_entry: **Not applied** at ${short(context.sha)}${inRun(context.runUrl)}${reason ? ` (${code(reason)})` : ''}: ${escapeMarkdown(error.message)}`,
    '',
  ];
  const next = block(['**Next:** ' + howToProceed(reason).join(' ')]);
  const details = (limit: number) => () => {
    const lines = refusals.flatMap((r) => describeRefusal(r));
    const shown = lines.slice(0, limit);
    const out = shown.map((l) =>
      l.startsWith('  ') ? `  - ${escapeMarkdown(l.trim())}` : `- ${escapeMarkdown(l)}`,
    );
    if (lines.length > shown.length)
      out.push(`- … and ${plural(lines.length - shown.length, 'more line')} in the job summary`);
    return block(out);
  };
  const fitted = fitDocument(
    [
      { levels: [() => commentHead(payload) + block(heading)] },
      { levels: [details(Infinity), details(100), details(20), details(0)] },
      { levels: [() => next] },
    ],
    {
      budget: commentBudget(context.budget),
      measure: commentLength,
      degradeOrder: [1, 1, 1],
      trimmedNote: trimmedNote(context.runUrl, 'every difference'),
      noteBefore: 1,
      elastic: 1,
    },
  );
  return { body: fitted.text, payload, trimmed: fitted.trimmed };
}

/**
 * An earlier comment superseded by a fresh one (`comment: new`): the payload says `outdated` (so it is never
 * taken for the current plan again), a note points to the new comment, and the old body is collapsed.
 * Unchanged when the body is not ours or already outdated.
 */
export function markCommentOutdated(body: string, context: { newCommentUrl?: string } = {}): string {
  const payload = parseCommentPayload(body);
  if (!payload || payload.status === 'outdated') return body;
  const old = body.split(/\r?\n/).slice(2).join('\n').trim();
  const newer = context.newCommentUrl ? link('a newer comment', context.newCommentUrl) : 'a newer comment';
  const head =
    commentHead({ ...payload, status: 'outdated' }) +
    block([
      `> [!NOTE]`,
      `> **Outdated:** superseded by ${newer}. This one described ${short(payload.headSha)} and no longer applies.`,
    ]) +
    `<details><summary><s>Previous comment for ${short(payload.headSha)}</s></summary>\n\n`;
  const tail = '\n\n</details>\n';
  const room = COMMENT_LIMIT - commentLength(head) - commentLength(tail);
  return head + cutAtLine(old, room, commentLength) + tail;
}
