/**
 * `klaviyo-gitops import --brand B [--out DIR]`: the brand's existing Klaviyo lists, segments, templates and
 * flows as files in the repository format (default DIR: <dir>/brands/<brand>), and marked as managed in
 * Klaviyo so the next plan recognises them (see src/engine/import/index.ts for what is written where).
 * Existing files are never overwritten. Afterwards the brand is planned again and anything import could not
 * reproduce exactly is listed. Exit 0; 1 on errors; 2 on usage errors.
 */

import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { KlaviyoClient } from '../klaviyo/index.js';
import { planImport, type ImportMark } from '../engine/import/index.js';
import { OWNERSHIP_TAG, TAG_GROUP } from '../engine/markers.js';
import { makePlan } from '../engine/planner.js';
import { readRemoteState } from '../engine/remote-state.js';
import type { TargetChoice } from '../config.js';
import { formatDiagnostic } from '../project/diagnostics.js';
import { suggestKey } from '../project/loader.js';
import { UserError, type CommandContext, type CommandOutcome } from './command.js';
import { buildProject, refuseOnErrors } from './desired-states.js';
import { openCommandTargets, targetFailure, type CommandDeps } from './plan.js';
import { seedSandboxMetrics, type OpenTargets } from './target.js';

async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Where a brand's files live inside the marketing directory. */
function brandDir(dir: string, brand: string): string {
  return [dir, 'brands', brand].join('/');
}

export interface ImportCommandOptions {
  dir: string;
  brand: string | undefined;
  out?: string | undefined;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

async function applyMarks(
  client: KlaviyoClient,
  marks: ImportMark[],
  signal?: AbortSignal,
): Promise<string[]> {
  const call = signal ? { signal } : {};
  const done: string[] = [];
  const needsTag = marks.some((m) => m.kind === 'list' || m.kind === 'segment' || m.kind === 'flow');
  const tagId = needsTag
    ? (await client.tags.ensure(OWNERSHIP_TAG, { ...call, groupName: TAG_GROUP })).tag.id
    : undefined;
  for (const m of marks) {
    switch (m.kind) {
      case 'list':
        await client.lists.update(m.id, { name: m.name }, call);
        await client.tags.tagLists(tagId!, [m.id], call);
        done.push(`list ${m.key}: renamed to '${m.name}', tagged ${OWNERSHIP_TAG}`);
        break;
      case 'segment':
        await client.segments.update(m.id, { name: m.name }, call);
        await client.tags.tagSegments(tagId!, [m.id], call);
        done.push(`segment ${m.key}: renamed to '${m.name}', tagged ${OWNERSHIP_TAG}`);
        break;
      case 'flow':
        await client.tags.tagFlows(tagId!, [m.id], call);
        done.push(`flow ${m.key}: tagged ${OWNERSHIP_TAG}`);
        break;
      case 'template':
        await client.templates.update(m.id, { html: m.html }, call);
        done.push(`template ${m.key}: marker added`);
        break;
      case 'template-from-copy':
        await client.templates.create(
          {
            data: {
              type: 'template',
              attributes: { name: m.name, editor_type: 'CODE', html: m.html, text: m.text },
            },
          },
          { ...call, reconcile: 'by-name' },
        );
        done.push(`template ${m.key}: created from a flow email's copy`);
        break;
    }
  }
  return done;
}

export async function runImport(
  options: ImportCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<CommandOutcome> {
  if (!options.brand) throw new UserError('import needs --brand B (the brand folder the files go to)', 2);
  const built = await buildProject(options.dir, options.brand, ctx);
  if (!built.ok) return built.outcome;
  const { build } = built;
  const state = build.states[0];
  const brandProject = build.project.brands.get(options.brand);
  if (build.errors > 0 || !state || !brandProject?.config.valid) {
    return refuseOnErrors(build, "fix the brand's files before importing");
  }
  const outDir = resolve(ctx.cwd, options.out ?? brandDir(options.dir, options.brand));
  let targets: OpenTargets;
  try {
    targets = await openCommandTargets([state], ctx, deps, options.target);
  } catch (error) {
    const failure = targetFailure(error);
    if (failure !== undefined) return { exitCode: 1, stdout: '', stderr: `error: ${failure}` };
    throw error;
  }
  try {
    const target = targets.brands.get(state.brand)!;
    const lines: string[] = [];
    let remote;
    try {
      remote = await readRemoteState({
        client: target.client,
        brand: state.brand,
        accountId: state.accountId,
        scope: 'all',
        cacheDir: target.cacheDir,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (error) {
      const failure = targetFailure(error);
      if (failure !== undefined) return { exitCode: 1, stdout: '', stderr: `error: ${failure}` };
      throw error;
    }
    const sender = brandProject.config.value.sender;
    const imported = planImport({ remote, desired: state, sender, suggestKey });

    const written: string[] = [];
    const kept: string[] = [];
    for (const file of imported.files) {
      const path = join(outDir, file.path);
      const shown = relative(ctx.cwd, path);
      if (await fileExists(path)) {
        kept.push(shown);
        continue;
      }
      await writeFileAtomic(path, file.content);
      written.push(shown);
    }
    const marked = await applyMarks(target.client, imported.marks, ctx.signal);

    lines.push(`wrote ${written.length} file(s)${kept.length ? `, kept ${kept.length} existing` : ''}:`);
    for (const path of written) lines.push(`  + ${path}`);
    for (const path of kept) lines.push(`  = ${path} (exists, not overwritten)`);
    if (marked.length > 0)
      lines.push(`marked ${marked.length} object(s) in Klaviyo as managed:`, ...marked.map((m) => `  ${m}`));
    for (const [flow, steps] of Object.entries(imported.rawSteps)) {
      lines.push(
        `flow ${flow}: ${steps.join(', ')} imported as raw steps (no spelling in the flow format yet)`,
      );
    }
    for (const skip of imported.skipped)
      lines.push(`skipped ${skip.kind} '${skip.name}' (${skip.id}): ${skip.reason}`);

    // The brand again, now with the imported files: whatever is not a no-op was not reproduced exactly.
    if (outDir === resolve(ctx.cwd, brandDir(options.dir, options.brand))) {
      const again = await buildProject(options.dir, options.brand, ctx);
      const desired = again.ok && again.build.errors === 0 ? again.build.states[0] : undefined;
      if (!desired) {
        lines.push('warning: the imported files do not validate yet:');
        const problems = again.ok
          ? again.build.diagnostics.filter((x) => x.severity === 'error').map(formatDiagnostic)
          : [again.outcome.stderr ?? ''];
        for (const problem of problems.slice(0, 10)) lines.push(`  ${problem}`);
      } else {
        if (target.target.kind === 'sandbox')
          await seedSandboxMetrics(target.client, state.brand, desired, ctx.progress, ctx.signal);
        const { plan } = await makePlan([{ desired, client: target.client, cacheDir: target.cacheDir }], {
          ...(deps.now ? { now: deps.now } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const pending = plan.brands[0]!.resources.filter((r) => r.action.type !== 'noop');
        lines.push(
          pending.length === 0
            ? 'plan after import: no changes'
            : `plan after import: ${pending.length} change(s) remain: ${pending.map((r) => `${r.kind} ${r.key} (${r.action.type})`).join(', ')}`,
        );
      }
    }
    return { exitCode: 0, stdout: lines.join('\n') };
  } finally {
    await targets.close();
  }
}
