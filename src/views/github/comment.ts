/**
 * The sticky pull-request comment, one per brand: what merging will do to that brand's Klaviyo account, the
 * changed emails' previews, the brand's findings, and what happens next. Hidden marker and payload first
 * (comment-marker.ts); everything else degrades within the budget (fit.ts), always keeping the header, the
 * counts, the deletes and replaces, and the next step.
 */
import type { ReviewResult } from '../../commands/results.js';
import { brandPlanWrites, formatDailyCap, formatSummary, type BrandPlan } from '../../engine/plan.js';
import { renderBrandPlanSection } from '../plan/index.js';
import type { Diagnostic } from '../../project/diagnostics.js';
import { commentHead, type CommentPayload, type CommentStatus } from './comment-marker.js';
import { findingsForBrand, findingsTable } from './findings.js';
import { fitDocument, type DocumentPart } from './fit.js';
import { commentBudget, commentLength } from './limits.js';
import { code, escapeMarkdown, link } from './markup.js';
import { changedFlowEmails, flowEmailsList } from './flow-emails.js';
import { previewsTable } from './previews.js';

export interface CommentContext {
  /** The pull request's head commit. */
  headSha: string;
  /** The workflow run: its page holds the job summary and the artifacts. */
  runUrl?: string;
  /** Name of the artifact holding the previews (default `previews`). */
  previewsArtifact?: string;
  /** Characters (the `comment-budget` input); default 60,000, never above GitHub's 65,536. */
  budget?: number;
  /** The pull request comes from a fork: no secrets, so no plan. */
  fromFork?: boolean;
  /** Findings rows shown before "and N more" (default 30). */
  findingsLimit?: number;
  /** The brand's account id when there is no plan to read it from. */
  accountId?: string;
}

export interface BrandComment {
  body: string;
  payload: CommentPayload;
  /** Parts were shortened to fit the budget. */
  trimmed: boolean;
}

/** A rendered part made of lines (joined, with a blank line after). */
const block = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.join('\n')}\n\n`);

export function trimmedNote(runUrl: string | undefined, what = 'the full plan'): string {
  const where = runUrl ? link('job summary', runUrl) : 'job summary';
  return block([`> [!NOTE]`, `> Trimmed to fit GitHub's comment limit: ${what} is in the ${where}.`]);
}

/** What the review found for one brand: whether it warrants a comment. */
export interface BrandReviewFacts {
  /** The plan writes to Klaviyo; without a plan, the brand's emails changed (they have previews). */
  hasChanges: boolean;
  hasFindings: boolean;
}

export function brandReviewFacts(review: ReviewResult, brand: string): BrandReviewFacts {
  const plan = brandPlanOf(review, brand);
  return {
    hasChanges: plan ? brandPlanWrites(plan) : review.previews.manifest.emails.some((e) => e.brand === brand),
    hasFindings: findingsForBrand(review.validation.diagnostics, brand, review.previews.manifest).length > 0,
  };
}

export type CommentDecision =
  /** Post or update the brand's comment. */
  | 'comment'
  /** Update the earlier comment to say nothing is left to do. */
  | 'nothing-left'
  /** Stay silent: nothing to say, nothing said before. */
  | 'silent';

export function shouldComment(facts: BrandReviewFacts & { hasEarlierComment: boolean }): CommentDecision {
  if (facts.hasChanges || facts.hasFindings) return 'comment';
  return facts.hasEarlierComment ? 'nothing-left' : 'silent';
}

function brandPlanOf(review: ReviewResult, brand: string): BrandPlan | undefined {
  return review.planning.status === 'planned'
    ? review.planning.plan.brands.find((b) => b.brand === brand)
    : undefined;
}

function nextStep(review: ReviewResult, plan: BrandPlan | undefined, context: CommentContext): string[] {
  if (plan) {
    const account = code(plan.accountId);
    if (plan.problems.some((p) => p.severity === 'error'))
      return [`**Next:** apply would refuse this plan: fix the problems above and push again.`];
    if (!brandPlanWrites(plan)) return [`**Next:** merging changes nothing in account ${account}.`];
    return [
      `**Next:** merging applies this plan to account ${account}. Apply re-plans first and refuses if the` +
        ` result differs from this review (the fingerprint below); re-run the review workflow to refresh it.`,
    ];
  }
  const planning = review.planning;
  if (planning.status === 'skipped' && planning.why === 'validation-failed')
    return [`**Next:** fix the findings above; the plan is made once the files are valid.`];
  if (context.fromFork)
    return [
      `**Next:** the plan needs a maintainer: secrets are not available to pull requests from forks. A` +
        ` maintainer can re-run the review workflow from a branch of this repository (or with \`workflow_dispatch\`)` +
        ` to plan it before merging.`,
    ];
  const why = planning.status === 'skipped' ? ` ${escapeMarkdown(planning.message)}` : '';
  return [
    `**Next:** no plan was made for this brand.${why} Set its Klaviyo key and re-run the review workflow.`,
  ];
}

function header(
  brand: string,
  plan: BrandPlan | undefined,
  review: ReviewResult,
  context: CommentContext,
): string {
  const account = plan?.accountId ?? context.accountId;
  const lines = [
    `### klaviyo-gitops: ${escapeMarkdown(brand)}${account ? ` (account ${code(account)})` : ''}`,
    '',
  ];
  if (plan) {
    const writes = brandPlanWrites(plan);
    lines.push(`**Plan:** ${writes ? formatSummary(plan.summary) : 'no changes'}`);
    const errors = plan.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0)
      lines.push(
        '',
        '> [!CAUTION]',
        '> Apply would refuse this plan:',
        ...errors.map((p) => `> - ${escapeMarkdown(p.message)}`),
      );
  } else {
    const why = review.planning.status === 'skipped' ? review.planning.why : 'not-in-plan';
    lines.push(
      `**Plan:** not made (${why === 'validation-failed' ? 'the files have errors' : why === 'no-key' ? 'no Klaviyo key' : 'brand not planned'})`,
    );
  }
  return block(lines);
}

function footer(
  plan: BrandPlan | undefined,
  fingerprint: string | null,
  headSha: string,
  next: string[],
): string {
  const lines: string[] = [];
  if (plan && plan.cost.dailyCaps.length > 0)
    lines.push(`Daily caps used by this plan: ${plan.cost.dailyCaps.map(formatDailyCap).join('; ')}.`, '');
  lines.push(...next, '');
  lines.push(
    `<sub>${fingerprint ? `review fingerprint ${code(fingerprint)} · ` : ''}head ${code(headSha.slice(0, 12))}</sub>`,
  );
  return block(lines);
}

function section(title: string, lines: readonly string[]): string {
  return lines.length === 0 ? '' : block([`#### ${title}`, '', ...lines]);
}

/** Whether the per-resource prints fit in a quarter of the comment's budget (about 40 characters each). */
function fitsPayload(resources: Record<string, string>, budget: number): boolean {
  return JSON.stringify(resources).length <= budget / 4;
}

export function renderReviewComment(
  review: ReviewResult,
  brand: string,
  context: CommentContext,
): BrandComment {
  const plan = brandPlanOf(review, brand);
  const fingerprint =
    review.planning.status === 'planned' ? (review.planning.reviewFingerprints[brand] ?? null) : null;
  const findings: Diagnostic[] = findingsForBrand(
    review.validation.diagnostics,
    brand,
    review.previews.manifest,
  );
  const emails = review.previews.manifest.emails.filter((e) => e.brand === brand);
  const status: CommentStatus = !plan
    ? 'no-plan'
    : brandPlanWrites(plan) || findings.length > 0 || emails.length > 0
      ? 'planned'
      : 'nothing-to-do';
  const resources =
    review.planning.status === 'planned' ? review.planning.reviewedResources[brand] : undefined;
  const payload: CommentPayload = {
    version: 1,
    brand,
    fingerprint,
    headSha: context.headSha,
    status,
    // A quarter of the budget at most; a larger plan's refusal says that something moved, not what.
    ...(resources && fitsPayload(resources, commentBudget(context.budget)) ? { resources } : {}),
  };
  const links = {
    artifact: context.previewsArtifact ?? 'previews',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  };
  const rest = 'in the job summary';
  const findingsLimit = context.findingsLimit ?? 30;

  const next =
    status === 'nothing-to-do'
      ? [`**Nothing left to do:** the plan for this brand is empty and its files are clean.`]
      : nextStep(review, plan, context);
  const planPart = (detail: 'full' | 'summary' | 'counts', prominentLimit?: number) => () =>
    plan && status !== 'nothing-to-do'
      ? block([
          renderBrandPlanSection(plan, detail, {
            heading: false,
            ...(prominentLimit !== undefined ? { prominentLimit } : {}),
          }).trimEnd(),
        ])
      : '';
  const previewPart = (limit: number) => () => section('Previews', previewsTable(emails, links, limit));
  const flowEmails = changedFlowEmails(
    review.previews.manifest.flows.filter((f) => f.brand === brand),
    plan,
  );
  const flowEmailsPart = (limit: number) => () =>
    section(
      plan ? 'Changed flow emails' : 'Flow emails',
      flowEmailsList(flowEmails, limit, `in the gallery (${links.artifact} artifact)`),
    );
  const findingsPart = (limit: number) => () =>
    section('Findings', findingsTable(findings, { limit, restWhere: rest }));
  const parts: DocumentPart[] = [
    { levels: [() => commentHead(payload) + header(brand, plan, review, context)] },
    {
      levels: [
        planPart('full'),
        planPart('summary'),
        planPart('counts'),
        planPart('counts', 20),
        planPart('counts', 3),
      ],
    },
    { levels: [previewPart(Infinity), previewPart(10), previewPart(3), previewPart(0)] },
    { levels: [flowEmailsPart(Infinity), flowEmailsPart(10), flowEmailsPart(3), flowEmailsPart(0)] },
    { levels: [findingsPart(findingsLimit), findingsPart(10), findingsPart(3), findingsPart(0)] },
    { levels: [() => footer(plan, fingerprint, context.headSha, next)] },
  ];
  const fitted = fitDocument(parts, {
    budget: commentBudget(context.budget),
    measure: commentLength,
    // Plan detail first (diffs, then one line per resource), then the tables (findings, flow emails, template
    // previews), then the list of deletes.
    degradeOrder: [1, 1, 4, 3, 2, 4, 3, 2, 4, 3, 2, 1, 1],
    trimmedNote: trimmedNote(context.runUrl),
    noteBefore: 1,
    elastic: 1,
  });
  return { body: fitted.text, payload, trimmed: fitted.trimmed };
}
