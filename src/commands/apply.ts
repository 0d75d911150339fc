/**
 * `klaviyo-gitops apply`: makes each brand's Klaviyo account match the code, safely.
 *
 * Without `--plan` it plans, shows the plan and asks for approval (approval.ts: a terminal's 'yes', or
 * `--auto-approve`), then applies. With `--plan FILE` (the plan a person reviewed) it re-plans and applies
 * only when the fresh plan is the reviewed one: the file must be unedited (its fingerprints), nothing in the code
 * may differ, and an object changed in Klaviyo since the plan is a conflict unless `--force`. Deletes need
 * `--allow-destroy`; protected objects are never deleted; a plan over a daily cap is refused. Every check runs
 * for every brand before the first write; a key of another account is refused before anything is read. Progress
 * goes to the progress channel while brands apply (engine/apply/progress.ts).
 *
 * Every Klaviyo action is appended to logs/activity.log; a run that changed something, or was refused or
 * cancelled, is recorded in output/apply-<time>.json (both at the repository root).
 * A refusal throws a CommandError carrying the refusals; a run where some resources failed is a result with
 * outcome `failed` (re-running apply finishes the job).
 */
import { resolve } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import {
  ApplyProgressReporter,
  activityLogSink,
  applyBrandPlan,
  compareWithReviewed,
  countResults,
  PlanFileError,
  preflight,
  readOwnWrites,
  readPlanFile,
  refusalCount,
  writeRunRecord,
  type ApplyCounts,
  type PlanDifference,
  type Refusal,
  type RunRecord,
} from '../engine/apply/index.js';
import {
  acquireApplyLease,
  appliedSincePlan,
  LeaseBusyError,
  type ApplyLease,
} from '../engine/apply/lease.js';
import { reviewDifferences, type ReviewedPlan } from '../engine/review-fingerprint.js';
import { brandPlanWrites, type BrandPlan, type Plan } from '../engine/plan.js';
import { makePlan } from '../engine/planner.js';
import type { TargetChoice } from '../config.js';
import { systemClock } from '../klaviyo/index.js';
import { redactSecrets } from '../redact.js';
import { applyPreamble } from '../views/text/index.js';
import { CANCELLED_MESSAGE, seekApproval, type Approval } from './approval.js';
import type { CommandContext } from './command.js';
import { loadDesiredStates } from './desired-states.js';
import { CommandError, type FailureReason } from './errors.js';
import { asCommandError, refusalReason } from './failures.js';
import { openCommandTargets, type CommandDeps } from './plan.js';
import { repositoryPaths } from './repository-root.js';
import type { ApplyResult } from './results.js';
import type { OpenTargets } from './target.js';

export interface ApplyCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** The reviewed plan file; absent: plan and apply in one go. */
  plan?: string | undefined;
  allowDestroy: boolean;
  force: boolean;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
  /** Revert edits made in Klaviyo since the last apply instead of refusing. */
  overwriteHandEdits?: boolean;
  /** Apply without asking (no terminal: CI). Without it and without `--plan`, a terminal must answer 'yes'. */
  autoApprove: boolean;
  /**
   * By brand, the plan a pull request's review approved (apply on merge reads it from the review's comment).
   * A brand applies only when its fresh plan has the same review fingerprint; then the edits made in Klaviyo
   * that the reviewed plan showed it reverting were approved with it. A selected brand without one is refused.
   */
  reviewed?: Readonly<Record<string, ReviewedPlan>> | undefined;
}

function addCounts(all: readonly ApplyCounts[]): ApplyCounts {
  const total: ApplyCounts = {
    created: 0,
    updated: 0,
    replaced: 0,
    deleted: 0,
    archived: 0,
    failed: 0,
    skipped: 0,
  };
  for (const counts of all)
    for (const key of Object.keys(total) as Array<keyof ApplyCounts>) total[key] += counts[key];
  return total;
}

interface Refused {
  refusals: Refusal[];
  /** The verdict; default: the refusals counted, "Refused: 2 deletes. Nothing was written." */
  message?: string;
  /** Set when the refusals do not say why (failures.ts maps those that do). */
  reason?: FailureReason | undefined;
  /** The plan, when it was shown before the refusal. */
  preamble?: string[];
}

/**
 * What stops an apply before it writes, beyond its own checks: a brand without its key, a key of another
 * account (refusals of the target, failures.ts), another apply holding the account's lease.
 */
function targetRefusal(error: unknown): { message: string; reason?: FailureReason | undefined } | undefined {
  if (error instanceof LeaseBusyError) return { message: error.message, reason: 'conflict' };
  const known = asCommandError(error);
  return known?.kind === 'refused' ? { message: known.message, reason: known.reason } : undefined;
}

/** The brands to apply: the plan file's (with `--brand`, that one), or all selected ones. */
function brandsFromPlan(reviewed: Plan, brand: string | undefined): { brands: string[] } | { error: string } {
  const brands = reviewed.brands.map((b) => b.brand);
  if (brand === undefined) return { brands };
  return brands.includes(brand)
    ? { brands: [brand] }
    : { error: `the plan file has no brand '${brand}' (brands: ${brands.join(', ') || 'none'})` };
}

/** A brand's fresh plan against the review that approved it: what differs (nothing: it is the reviewed plan). */
function reviewedCheck(
  reviewed: Readonly<Record<string, ReviewedPlan>>,
  fresh: BrandPlan,
): { differences: PlanDifference[] } {
  // Nothing left to write (an earlier run applied it) needs no review to do nothing.
  if (!brandPlanWrites(fresh)) return { differences: [] };
  const approved = Object.hasOwn(reviewed, fresh.brand) ? reviewed[fresh.brand] : undefined;
  if (!approved)
    return {
      differences: [
        {
          type: 'changed',
          kind: 'flow',
          key: '(plan)',
          reason: 'no reviewed plan was found for this brand',
        },
      ],
    };
  return { differences: reviewDifferences(approved, fresh) };
}

export async function runApply(
  options: ApplyCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<ApplyResult> {
  const now = deps.now ?? (() => new Date());
  // Tests run the client on virtual time; apply's own waits follow the same clock.
  const clock = deps.targets?.client?.clock;
  const startedAt = now();
  const run = `${startedAt.getTime().toString(36)}-${process.pid.toString(36)}`;
  const paths = repositoryPaths(ctx.cwd, options.dir);
  const flags = {
    allowDestroy: options.allowDestroy,
    force: options.force,
    overwriteHandEdits: options.overwriteHandEdits === true,
  };
  let targets: string[] = [];

  const record = async (
    fields: Pick<RunRecord, 'outcome' | 'refusals' | 'brands'> & { reviewed?: Plan },
  ): Promise<void> => {
    await writeRunRecord(paths.output, {
      version: 1,
      run,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      outcome: fields.outcome,
      targets,
      ...(options.plan ? { planFile: options.plan } : {}),
      ...(fields.reviewed ? { reviewedFingerprint: fields.reviewed.fingerprint } : {}),
      flags,
      summary: addCounts(fields.brands.map((b) => b.counts)),
      refusals: fields.refusals,
      brands: fields.brands,
    });
  };
  const refuse = async (refused: Refused, reviewed?: Plan): Promise<never> => {
    await record({
      outcome: 'refused',
      refusals: refused.refusals,
      brands: [],
      ...(reviewed ? { reviewed } : {}),
    });
    const summary =
      refused.message ?? `Refused: ${refused.refusals.map(refusalCount).join(', ')}. Nothing was written.`;
    const reason = refused.reason ?? refusalReason(refused.refusals);
    throw new CommandError('refused', summary, {
      ...(reason ? { reason } : {}),
      refusals: refused.refusals,
      ...(refused.preamble ? { lines: refused.preamble } : {}),
    });
  };

  // 1. The reviewed plan, when given: readable, schema-valid, unedited.
  let reviewed: Plan | undefined;
  let brandFilter = options.brand;
  let selected: string[] | undefined;
  if (options.plan !== undefined) {
    try {
      reviewed = await readPlanFile(resolve(ctx.cwd, options.plan), options.plan);
    } catch (error) {
      if (error instanceof PlanFileError)
        return refuse({ refusals: [], message: `Refused: ${error.message}. Nothing was written.` });
      throw error;
    }
    const chosen = brandsFromPlan(reviewed, options.brand);
    if ('error' in chosen)
      return refuse({ refusals: [], message: `Refused: ${chosen.error}. Nothing was written.` }, reviewed);
    selected = chosen.brands;
    if (selected.length === 1) brandFilter = selected[0];
  }

  // 2. The desired state at HEAD.
  const loaded = await loadDesiredStates(options.dir, brandFilter, ctx);
  let states: DesiredBrandState[] = loaded.states;
  if (selected) {
    const missing = selected.filter((b) => !states.some((s) => s.brand === b));
    if (missing.length > 0)
      return refuse(
        {
          refusals: [],
          message: `Refused: the plan covers brand(s) no longer in the code: ${missing.join(', ')}. Nothing was written.`,
          reason: 'plan-changed',
        },
        reviewed,
      );
    states = states.filter((s) => selected.includes(s.brand));
  }

  // 3. The run's target, then a fresh plan against each account (the key and account-id checks come first,
  // before any read or write).
  let opened: OpenTargets;
  try {
    opened = await openCommandTargets(states, ctx, deps, options);
  } catch (error) {
    const failure = targetRefusal(error);
    if (failure !== undefined)
      return refuse(
        { refusals: [], message: `Refused: ${failure.message}`, reason: failure.reason },
        reviewed,
      );
    throw error;
  }
  const leases: ApplyLease[] = [];
  try {
    targets = [opened.description];
    const logPath = paths.activityLog;
    /**
     * Plans every brand and runs every check before the first write. `basis`: the plan this one must agree
     * with besides the reviewed one (after waiting for the account's lease, the plan made before it).
     */
    const planAndCheck = async (basis?: Plan) => {
      const made = await makePlan(
        states.map((desired) => {
          const target = opened.brands.get(desired.brand)!;
          return { desired, client: target.client, cacheDir: target.cacheDir };
        }),
        { progress: ctx.progress, now, ...(ctx.signal ? { signal: ctx.signal } : {}) },
      );
      const found: Refusal[] = [];
      const prints = new Map<string, string>();
      for (const brandPlan of made.plan.brands) {
        const against = reviewed ?? basis;
        const reviewedBrand: BrandPlan | undefined = against?.brands.find((b) => b.brand === brandPlan.brand);
        prints.set(brandPlan.brand, reviewed ? reviewedBrand!.fingerprint : brandPlan.fingerprint);
        const differences = reviewedBrand
          ? compareWithReviewed(
              reviewedBrand,
              brandPlan,
              readOwnWrites(logPath, brandPlan.brand, reviewedBrand.fingerprint),
            )
          : [];
        const review = options.reviewed ? reviewedCheck(options.reviewed, brandPlan) : undefined;
        if (review && review.differences.length > 0) {
          found.push({ type: 'changed', brand: brandPlan.brand, differences: review.differences });
          continue;
        }
        found.push(
          ...preflight(brandPlan, made.remote.get(brandPlan.brand)!, {
            ...flags,
            differences,
            ...(review ? { overwriteHandEdits: true } : {}),
          }),
        );
      }
      return { planned: made, refusals: found, fingerprints: prints };
    };
    let checked;
    let approval: Approval;
    try {
      checked = await planAndCheck();
      if (checked.refusals.length > 0) return await refuse({ refusals: checked.refusals }, reviewed);
      const first = checked.planned;
      // 4. Approval: the reviewed plan file's review, --auto-approve, or a 'yes' at the terminal.
      // Applying without a reviewed plan file shows the plan first, as `plan` prints it.
      const preamble = reviewed ? [] : applyPreamble(first.plan);
      approval = await seekApproval({
        plan: first.plan,
        remote: first.remote,
        reviewedPlan: reviewed !== undefined,
        autoApprove: options.autoApprove,
        interactive: ctx.interactive,
        preamble,
      });
      if (approval.kind === 'refused')
        return await refuse({ refusals: [], message: approval.message, reason: 'unreviewed', preamble });
      if (approval.kind === 'cancelled') {
        await record({ outcome: 'cancelled', refusals: [], brands: [] });
        // The person said no: apply's answer, not a failure to explain.
        throw new CommandError('refused', CANCELLED_MESSAGE, { refusals: [] });
      }

      // 5. One apply writes to an account at a time (lease.ts). Another may have written while this one
      // planned or waited, so the plan is made again under the lease and must agree with the one checked.
      const writing = checked.planned.plan.brands.filter(brandPlanWrites);
      for (const brandPlan of writing) {
        const target = opened.brands.get(brandPlan.brand)!;
        leases.push(
          await acquireApplyLease({
            client: target.client,
            run,
            now: () => now().getTime(),
            ...(clock ? { sleep: (ms: number) => clock.sleep(ms) } : {}),
            progress: (line) => ctx.progress(`brand ${brandPlan.brand}: ${line}`),
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          }),
        );
      }
      const moved = await Promise.all(
        writing.map((b) =>
          appliedSincePlan(
            opened.brands.get(b.brand)!.client,
            checked!.planned.remote.get(b.brand)!,
            ctx.signal,
          ),
        ),
      );
      if (moved.some(Boolean)) {
        checked = await planAndCheck(checked.planned.plan);
        if (checked.refusals.length > 0) return await refuse({ refusals: checked.refusals }, reviewed);
      }
    } catch (error) {
      if (error instanceof CommandError) throw error;
      const failure = targetRefusal(error);
      if (failure !== undefined)
        return refuse(
          {
            refusals: [],
            message: `Refused: ${failure.message}. Nothing was written.`,
            reason: failure.reason,
          },
          reviewed,
        );
      throw error;
    }
    const { planned, fingerprints } = checked;
    const fresh = planned.plan;

    // 6. Apply, brands at once (separate accounts, separate rate limits).
    const sink = activityLogSink(logPath, (text) => redactSecrets(text, ctx.env));
    const results = await Promise.all(
      fresh.brands.map(async (brandPlan) => {
        const target = opened.brands.get(brandPlan.brand)!;
        const progress = new ApplyProgressReporter({
          brand: brandPlan.brand,
          clock: clock ?? systemClock,
          report: ctx.progress,
        });
        const stopListening = target.onClientEvent(progress.onClientEvent);
        const result = await applyBrandPlan({
          client: target.client,
          plan: brandPlan,
          remote: planned.remote.get(brandPlan.brand)!,
          run,
          planFingerprint: fingerprints.get(brandPlan.brand)!,
          allowDestroy: options.allowDestroy,
          sink,
          now,
          ...(clock ? { sleep: (ms: number) => clock.sleep(ms, ctx.signal) } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onProgress: progress.onProgress,
        }).finally(() => {
          stopListening();
          progress.finish();
        });
        return { ...result, planFingerprint: brandPlan.fingerprint };
      }),
    );
    const ok = results.every((r) => r.ok);
    const counts = countResults(results.flatMap((r) => r.resources));
    // The record is what a run changed; a run that changed nothing leaves none (refusals and cancellations
    // above are kept: they are a decision someone may need to trace).
    if (!ok || Object.values(counts).some((n) => n > 0))
      await record({
        outcome: ok ? 'applied' : 'failed',
        refusals: [],
        brands: results,
        ...(reviewed ? { reviewed } : {}),
      });
    return {
      command: 'apply',
      outcome: ok ? 'applied' : 'failed',
      target: opened.description,
      plan: fresh,
      planShown: approval.shown,
      ...(options.plan !== undefined ? { planFile: options.plan } : {}),
      brands: results,
      counts,
    };
  } finally {
    await Promise.allSettled(leases.map((lease) => lease.release()));
    await opened.close();
  }
}
