/**
 * `klaviyo-gitops review`: what a pull request's reviewers need, in one run: every finding of the marketing
 * files, the emails rendered as previews, and (when the brand's key is set) the plan against its account with
 * each brand's review fingerprint, the value apply on merge must find again before it writes.
 *
 * A fork's pull request gets no secrets: the plan is then skipped, said in the result, and the review still
 * succeeds. Invalid files skip the plan too (plan would refuse them); the review's exit code says they failed.
 */
import { MissingApiKeyError, type TargetChoice } from '../config.js';
import { reviewedResources, reviewFingerprint } from '../engine/review-fingerprint.js';
import type { CommandContext } from './command.js';
import { DEFAULT_PLAN_FILE, runPlan, type CommandDeps } from './plan.js';
import { DEFAULT_PREVIEW_DIR, runRender } from './render.js';
import type { ReviewResult } from './results.js';
import { runValidate } from './validate.js';
import { plural } from '../views/text/plural.js';

export interface ReviewCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
  /** The preview directory; default output/previews. */
  previews?: string | undefined;
  screenshots?: boolean;
  /** The plan file; default output/plan.json. */
  out?: string | undefined;
}

export async function runReview(
  options: ReviewCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<ReviewResult> {
  const selection = { dir: options.dir, brand: options.brand };
  const validation = await runValidate(selection, ctx);
  const previews = await runRender(
    { ...selection, out: options.previews ?? DEFAULT_PREVIEW_DIR, screenshots: options.screenshots === true },
    ctx,
  );
  const base = { command: 'review' as const, validation, previews };
  if (validation.errors > 0) {
    return {
      ...base,
      planning: {
        status: 'skipped',
        why: 'validation-failed',
        message: `the marketing files have ${plural(validation.errors, 'error')}; the plan is made once they are fixed`,
      },
    };
  }
  try {
    const planned = await runPlan(
      {
        ...selection,
        out: options.out ?? DEFAULT_PLAN_FILE,
        detailedExitcode: false,
        target: options.target,
      },
      ctx,
      deps,
    );
    return {
      ...base,
      planning: {
        status: 'planned',
        target: planned.target,
        plan: planned.plan,
        reviewFingerprints: Object.fromEntries(
          planned.plan.brands.map((brand) => [brand.brand, reviewFingerprint(brand)]),
        ),
        reviewedResources: Object.fromEntries(
          planned.plan.brands.map((brand) => [brand.brand, reviewedResources(brand)]),
        ),
      },
    };
  } catch (error) {
    // No key: a fork's pull request, or a secret not added yet. The review is still worth having.
    if (error instanceof MissingApiKeyError)
      return { ...base, planning: { status: 'skipped', why: 'no-key', message: error.message } };
    throw error;
  }
}
