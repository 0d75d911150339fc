/**
 * How every command builds the desired state: through the one build (`buildDesiredState`: everything `validate`
 * checks, email QA included) with the working directory's email QA cache. Commands that go on to Klaviyo
 * refuse on any error, before the first Klaviyo read or write.
 */
import { buildDesiredState, type BuildResult } from '../compile/index.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import type { Project } from '../project/model.js';
import type { CommandContext } from './command.js';
import { emailQaCacheFor } from './email-qa-store.js';
import { CommandError } from './errors.js';
import { repositoryPaths } from './repository-root.js';
import { plural } from '../views/text/plural.js';

/** Builds the marketing directory. No such directory or brand throws (a usage error: failures.ts). */
export function buildProject(
  dir: string,
  brand: string | undefined,
  ctx: CommandContext,
): Promise<BuildResult> {
  return buildDesiredState({
    cwd: ctx.cwd,
    dir,
    ...(brand !== undefined ? { brand } : {}),
    emailQaCache: emailQaCacheFor(repositoryPaths(ctx.cwd, dir), ctx.progress),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** The refusal of a build with errors: each error is shown as `path:line:col: severity rule: message (fix)`. */
export function invalidFilesError(build: BuildResult, what: string): CommandError {
  return new CommandError('refused', what, {
    reason: 'validation-failed',
    diagnostics: build.diagnostics.filter((d) => d.severity === 'error'),
  });
}

export interface DesiredStates {
  states: DesiredBrandState[];
  project: Project;
}

/** The states plan, apply and drift work from; any finding `validate` calls an error refuses. */
export async function loadDesiredStates(
  dir: string,
  brand: string | undefined,
  ctx: CommandContext,
): Promise<DesiredStates> {
  const build = await buildProject(dir, brand, ctx);
  if (build.errors > 0)
    throw invalidFilesError(
      build,
      `the marketing files have ${plural(build.errors, 'error')}; run \`klaviyo-gitops validate\``,
    );
  return { states: build.states, project: build.project };
}
