/**
 * `klaviyo-gitops plan`: what apply would change in each brand's Klaviyo account. Writes the plan as JSON
 * (`--out`, default output/plan.json at the repository root, the file apply reads) and optionally as the PR comment (`--markdown`), and
 * returns it. Invalid files, a brand without its key or another account's key throw a CommandError; a plan
 * problem such as an unknown metric is in the plan (exit codes: exit-codes.ts).
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { TargetChoice } from '../config.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { makePlan } from '../engine/planner.js';
import type { Plan } from '../engine/plan.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import { renderPlanJson, renderPlanMarkdown } from '../views/plan/index.js';
import type { CommandContext } from './command.js';
import { loadDesiredStates } from './desired-states.js';
import { CommandError } from './errors.js';
import type { Project } from '../project/model.js';
import { repositoryPaths } from './repository-root.js';
import type { PlanResult } from './results.js';
import { openTargets, type OpenTargets, type OpenTargetsOptions, type TargetBrand } from './target.js';

export const DEFAULT_PLAN_FILE = 'output/plan.json';
/** `--markdown -`: the markdown goes to standard output, not to a file named '-'. */
export const STANDARD_OUTPUT = '-';

export interface PlanCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** JSON plan file; default output/plan.json at the repository root. */
  out?: string | undefined;
  /** Markdown (PR comment) file; {@link STANDARD_OUTPUT} for the result's `markdown` (stdout). */
  markdown?: string | undefined;
  detailedExitcode: boolean;
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

/** The marketing directory a command works on (its state folders are at that repository's root) and `--target`. */
export interface TargetSelection {
  dir: string;
  target?: TargetChoice | undefined;
}

/** Opens the run's target for `states` the way every command does: its context, plus what tests inject. */
export function openCommandTargets(
  states: readonly TargetBrand[],
  ctx: CommandContext,
  deps: CommandDeps,
  selection: TargetSelection,
): Promise<OpenTargets> {
  return openTargets(states, {
    paths: repositoryPaths(ctx.cwd, selection.dir),
    env: ctx.env,
    choice: selection.target,
    progress: ctx.progress,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...deps.targets,
  });
}

/** Plans every selected brand against the run's target. Shared by plan, drift and pull. */
export async function planAgainstTargets(
  states: DesiredBrandState[],
  ctx: CommandContext,
  deps: CommandDeps,
  selection: TargetSelection,
): Promise<PlanRun> {
  const targets = await openCommandTargets(states, ctx, deps, selection);
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

/** Writes `content` to `path` (absolute); `shown` names it in the error. */
async function writeOutput(path: string, shown: string, content: string): Promise<string> {
  // Atomic: a failed write leaves the previous plan, never a truncated one that apply would refuse or misread.
  try {
    await writeFileAtomic(path, content);
  } catch (error) {
    throw new CommandError(
      'failed',
      `cannot write ${shown}: ${(error as Error).message}; the previous file, if any, is unchanged`,
    );
  }
  return path;
}

export interface PlannedRun {
  states: DesiredBrandState[];
  project: Project;
  run: PlanRun;
}

/** The desired states, planned against the run's target: what plan, drift and pull share. */
export async function loadAndPlan(
  options: { dir: string; brand?: string | undefined; target?: TargetChoice | undefined },
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<PlannedRun> {
  const { states, project } = await loadDesiredStates(options.dir, options.brand, ctx);
  const run = await planAgainstTargets(states, ctx, deps, options);
  return { states, project, run };
}

export async function runPlan(
  options: PlanCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<PlanResult> {
  const { plan, target } = (await loadAndPlan(options, ctx, deps)).run;
  const paths = repositoryPaths(ctx.cwd, options.dir);
  const jsonPath = paths.fileOption(options.out, DEFAULT_PLAN_FILE);
  const json = await writeOutput(jsonPath, paths.show(jsonPath), renderPlanJson(plan));
  const toStdout = options.markdown === STANDARD_OUTPUT;
  const markdown =
    options.markdown && !toStdout
      ? await writeOutput(resolve(ctx.cwd, options.markdown), options.markdown, renderPlanMarkdown(plan))
      : undefined;
  return {
    command: 'plan',
    plan,
    target,
    written: { json, ...(markdown !== undefined ? { markdown } : {}) },
    ...(toStdout ? { markdown: renderPlanMarkdown(plan) } : {}),
    detailedExitcode: options.detailedExitcode,
  };
}
