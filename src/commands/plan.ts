/**
 * `klaviyo-gitops plan`: what apply would change in each brand's Klaviyo account. Prints the plan, writes it as
 * JSON (`--out`, default output/plan.json, the file apply reads) and optionally as the PR comment (`--markdown`).
 * Exit 0; with `--detailed-exitcode` 0 no changes, 2 changes, 1 error. Errors (invalid files, a brand without
 * its key, a plan problem such as an unknown metric, another account's key) exit 1.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { TargetConfigurationError, type TargetChoice } from '../config.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { makePlan } from '../engine/planner.js';
import { planHasChanges, type Plan } from '../engine/plan.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import { AccountMismatchError } from '../engine/remote-state.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../views/plan/index.js';
import { UserError, type CommandContext, type CommandOutcome } from './command.js';
import { loadDesiredStates } from './desired-states.js';
import type { Project } from '../project/model.js';
import { openTargets, type OpenTargets, type OpenTargetsOptions } from './target.js';

export const DEFAULT_PLAN_FILE = 'output/plan.json';

export interface PlanCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** JSON plan file; default output/plan.json. */
  out?: string | undefined;
  /** Markdown (PR comment) file. */
  markdown?: string | undefined;
  detailedExitcode: boolean;
  color?: boolean;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

/** What tests and the Action inject: client/sandbox options and the clock. */
export interface CommandDeps {
  targets?: Pick<OpenTargetsOptions, 'client' | 'sandbox'>;
  now?: () => Date;
}

export interface PlanRun {
  plan: Plan;
  /** The run's target line (already said through progress). */
  target: string;
  /** What each brand's account held when planned, by brand. */
  remote: Map<string, RemoteBrandState>;
}

/**
 * Why a run could not reach its target or account, as an outcome (exit 1): a brand without its key, a key
 * variable a brand may not name, a key of another account. Anything else is not ours to word.
 */
export function targetFailure(error: unknown): string | undefined {
  return error instanceof TargetConfigurationError || error instanceof AccountMismatchError
    ? error.message
    : undefined;
}

/** Opens the run's target for `states` the way every command does: its context, plus what tests inject. */
export function openCommandTargets(
  states: readonly DesiredBrandState[],
  ctx: CommandContext,
  deps: CommandDeps,
  choice: TargetChoice | undefined,
): Promise<OpenTargets> {
  return openTargets(states, {
    cwd: ctx.cwd,
    env: ctx.env,
    choice,
    progress: ctx.progress,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...deps.targets,
  });
}

/** Plans every selected brand against the run's target. Shared by plan, drift and pull. */
export async function planAgainstTargets(
  states: DesiredBrandState[],
  ctx: CommandContext,
  deps: CommandDeps = {},
  choice?: TargetChoice,
): Promise<PlanRun> {
  const targets = await openCommandTargets(states, ctx, deps, choice);
  try {
    const { plan, remote } = await makePlan(
      states.map((desired) => {
        const target = targets.brands.get(desired.brand)!;
        return { desired, client: target.client, cacheDir: target.cacheDir };
      }),
      {
        progress: ctx.progress,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      },
    );
    return { plan, target: targets.description, remote };
  } finally {
    await targets.close();
  }
}

export function hasPlanErrors(plan: Plan): boolean {
  return plan.brands.some((b) => b.problems.some((p) => p.severity === 'error'));
}

async function writeOutput(cwd: string, file: string, content: string): Promise<string> {
  const path = resolve(cwd, file);
  // Atomic: a failed write leaves the previous plan, never a truncated one that apply would refuse or misread.
  try {
    await writeFileAtomic(path, content);
  } catch (error) {
    throw new UserError(
      `cannot write ${file}: ${(error as Error).message}; the previous file, if any, is unchanged`,
    );
  }
  return path;
}

export type PlannedRun =
  | { ok: true; states: DesiredBrandState[]; project: Project; run: PlanRun }
  | { ok: false; outcome: CommandOutcome };

/**
 * The desired states, planned against the run's target: what plan, drift and pull share. A broken project, a
 * missing key or another account's key is an outcome (exit 1, or 2 for usage), not an exception.
 */
export async function loadAndPlan(
  options: { dir: string; brand?: string | undefined; target?: TargetChoice | undefined },
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<PlannedRun> {
  const loaded = await loadDesiredStates(options.dir, options.brand, ctx);
  if (!loaded.ok) return loaded;
  try {
    const run = await planAgainstTargets(loaded.states, ctx, deps, options.target);
    return { ok: true, states: loaded.states, project: loaded.project, run };
  } catch (error) {
    const failure = targetFailure(error);
    if (failure !== undefined)
      return { ok: false, outcome: { exitCode: 1, stdout: '', stderr: `error: ${failure}` } };
    throw error;
  }
}

export async function runPlan(
  options: PlanCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<CommandOutcome> {
  const planned = await loadAndPlan(options, ctx, deps);
  if (!planned.ok) return planned.outcome;
  const { plan } = planned.run;
  await writeOutput(ctx.cwd, options.out ?? DEFAULT_PLAN_FILE, renderPlanJson(plan));
  if (options.markdown) await writeOutput(ctx.cwd, options.markdown, renderPlanMarkdown(plan));
  const stdout = renderPlanText(plan, { color: options.color === true });
  if (hasPlanErrors(plan)) {
    return {
      exitCode: 1,
      stdout,
      stderr: 'error: the plan has errors (listed above); apply would refuse it',
    };
  }
  const exitCode = options.detailedExitcode && planHasChanges(plan) ? 2 : 0;
  return { exitCode, stdout };
}
