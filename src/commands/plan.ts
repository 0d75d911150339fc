/**
 * `klaviyo-gitops plan`: what apply would change in each brand's Klaviyo account. Prints the plan, writes it as
 * JSON (`--out`, default output/plan.json, the file apply reads) and optionally as the PR comment (`--markdown`).
 * Exit 0; with `--detailed-exitcode` 0 no changes, 2 changes, 1 error. Errors (invalid files, a plan problem
 * such as an unknown metric, another account's key) exit 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildDesiredState, UnknownBrandError } from '../compile/index.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { makePlan } from '../engine/planner.js';
import { planHasChanges, type Plan } from '../engine/plan.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import { AccountMismatchError } from '../engine/remote-state.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../engine/render/index.js';
import { formatDiagnostic } from '../project/diagnostics.js';
import { ProjectNotFoundError } from '../project/loader.js';
import type { Project } from '../project/model.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { openTargets, targetLines, type OpenTargetsOptions } from './target.js';

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
}

/** What tests and the Action inject: client/sandbox options and the clock. */
export interface CommandDeps {
  targets?: Pick<OpenTargetsOptions, 'client' | 'sandbox'>;
  now?: () => Date;
}

export type DesiredStates =
  { ok: true; states: DesiredBrandState[]; project: Project } | { ok: false; outcome: CommandOutcome };

/** Loads and compiles the marketing directory; a broken project is an outcome, not an exception. */
export async function loadDesiredStates(
  dir: string,
  brand: string | undefined,
  ctx: CommandContext,
): Promise<DesiredStates> {
  let result;
  try {
    result = await buildDesiredState({ cwd: ctx.cwd, dir, ...(brand !== undefined ? { brand } : {}) });
  } catch (error) {
    if (error instanceof ProjectNotFoundError || error instanceof UnknownBrandError) {
      return { ok: false, outcome: { exitCode: 2, stdout: '', stderr: `error: ${error.message}` } };
    }
    throw error;
  }
  if (result.errors > 0) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    return {
      ok: false,
      outcome: {
        exitCode: 1,
        stdout: '',
        stderr: `${errors.join('\n')}\nerror: the marketing files have ${result.errors} error(s); run \`klaviyo-gitops validate\``,
      },
    };
  }
  return { ok: true, states: result.states, project: result.project };
}

export interface PlanRun {
  plan: Plan;
  targetLines: string[];
  /** What each brand's account held when planned, by brand. */
  remote: Map<string, RemoteBrandState>;
}

/** Plans every selected brand against its target. Shared by plan and drift. */
export async function planAgainstTargets(
  states: DesiredBrandState[],
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<PlanRun> {
  const targets = await openTargets(states, {
    cwd: ctx.cwd,
    env: ctx.env,
    progress: ctx.progress,
    ...deps.targets,
  });
  try {
    const lines = targetLines(targets.brands.values());
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
    return { plan, targetLines: lines, remote };
  } finally {
    await targets.close();
  }
}

export function hasPlanErrors(plan: Plan): boolean {
  return plan.brands.some((b) => b.problems.some((p) => p.severity === 'error'));
}

async function writeOutput(cwd: string, file: string, content: string): Promise<string> {
  const path = resolve(cwd, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return path;
}

export async function runPlan(
  options: PlanCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<CommandOutcome> {
  const loaded = await loadDesiredStates(options.dir, options.brand, ctx);
  if (!loaded.ok) return loaded.outcome;
  let run: PlanRun;
  try {
    run = await planAgainstTargets(loaded.states, ctx, deps);
  } catch (error) {
    if (error instanceof AccountMismatchError)
      return { exitCode: 1, stdout: '', stderr: `error: ${error.message}` };
    throw error;
  }
  const { plan } = run;
  await writeOutput(ctx.cwd, options.out ?? DEFAULT_PLAN_FILE, renderPlanJson(plan));
  if (options.markdown) await writeOutput(ctx.cwd, options.markdown, renderPlanMarkdown(plan));
  const stdout = [...run.targetLines, '', renderPlanText(plan, { color: options.color === true })].join('\n');
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
