/**
 * How every command builds the desired state: through the one build (`buildDesiredState`: everything `validate`
 * checks, email QA included) with the working directory's email QA cache. Commands that go on to Klaviyo
 * refuse on any error, before the first Klaviyo read or write.
 */
import { buildDesiredState, UnknownBrandError, type BuildResult } from '../compile/index.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { formatDiagnostic } from '../project/diagnostics.js';
import { ProjectNotFoundError } from '../project/loader.js';
import type { Project } from '../project/model.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { emailQaCacheFor } from './email-qa-store.js';

export type ProjectBuild = { ok: true; build: BuildResult } | { ok: false; outcome: CommandOutcome };

/** Builds the marketing directory; no such directory or brand is a usage error (exit 2), not an exception. */
export async function buildProject(
  dir: string,
  brand: string | undefined,
  ctx: CommandContext,
): Promise<ProjectBuild> {
  try {
    const build = await buildDesiredState({
      cwd: ctx.cwd,
      dir,
      ...(brand !== undefined ? { brand } : {}),
      emailQaCache: emailQaCacheFor(ctx.cwd, ctx.progress),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { ok: true, build };
  } catch (error) {
    if (error instanceof ProjectNotFoundError || error instanceof UnknownBrandError) {
      return { ok: false, outcome: { exitCode: 2, stdout: '', stderr: `error: ${error.message}` } };
    }
    throw error;
  }
}

/** Each error as `path:line:col: severity rule: message (fix)`, then what to do. */
export function refuseOnErrors(build: BuildResult, what: string): CommandOutcome {
  const errors = build.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  return { exitCode: 1, stdout: '', stderr: `${errors.join('\n')}\nerror: ${what}` };
}

export type DesiredStates =
  { ok: true; states: DesiredBrandState[]; project: Project } | { ok: false; outcome: CommandOutcome };

/** The states plan, apply and drift work from; any finding `validate` calls an error refuses (exit 1). */
export async function loadDesiredStates(
  dir: string,
  brand: string | undefined,
  ctx: CommandContext,
): Promise<DesiredStates> {
  const built = await buildProject(dir, brand, ctx);
  if (!built.ok) return built;
  const { build } = built;
  if (build.errors > 0) {
    return {
      ok: false,
      outcome: refuseOnErrors(
        build,
        `the marketing files have ${build.errors} error(s); run \`klaviyo-gitops validate\``,
      ),
    };
  }
  return { ok: true, states: build.states, project: build.project };
}
