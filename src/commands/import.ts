/**
 * `klaviyo-gitops import --brand B [--out DIR]`: the brand's existing Klaviyo lists, segments, templates and
 * flows as files in the repository format (default DIR: <dir>/brands/<brand>), and marked as managed in
 * Klaviyo so the next plan recognises them (see src/engine/import/index.ts for what is written where).
 * Existing files are never overwritten. With `--dry-run` it reads the account and says which files it would write
 * and which names and markers it would set in Klaviyo, and writes nothing, there or on disk. Afterwards the brand is planned again and anything import could not
 * reproduce exactly is listed in the result.
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
import type { CommandContext } from './command.js';
import { buildProject, invalidFilesError } from './desired-states.js';
import { usageError } from './errors.js';
import { openCommandTargets, type CommandDeps } from './plan.js';
import type { ImportResult } from './results.js';
import { seedSandboxMetrics, type TargetBrand } from './target.js';

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
  /** Say what import would write and rename, and change nothing. */
  dryRun?: boolean;
}

/** What marking one object as managed does in Klaviyo, in the words the person reads before and after. */
function describeMark(m: ImportMark): string {
  switch (m.kind) {
    case 'list':
    case 'segment':
      return `${m.kind} ${m.key}: rename to '${m.name}', tag ${OWNERSHIP_TAG}`;
    case 'flow':
      return `flow ${m.key}: tag ${OWNERSHIP_TAG}`;
    case 'template':
      return `template ${m.key}: add the [kg:${m.key}] marker comment to its HTML`;
    case 'template-from-copy':
      return `template ${m.key}: create '${m.name}' from a flow email's copy`;
  }
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
): Promise<ImportResult> {
  if (!options.brand) throw usageError('import needs --brand B (the brand folder the files go to)');
  const build = await buildProject(options.dir, options.brand, ctx);
  const state = build.states[0];
  const brandProject = build.project.brands.get(options.brand);
  if (build.errors > 0 || !state || !brandProject?.config.valid)
    throw invalidFilesError(build, "fix the brand's files before importing");
  const outDir = resolve(ctx.cwd, options.out ?? brandDir(options.dir, options.brand));
  // A dry run opens the target without the sandbox's metric seeding: it writes nothing anywhere.
  const opened: TargetBrand = options.dryRun
    ? { brand: state.brand, accountId: state.accountId, apiKeyVariable: state.apiKeyVariable }
    : state;
  const targets = await openCommandTargets([opened], ctx, deps, options);
  try {
    const target = targets.brands.get(state.brand)!;
    const remote = await readRemoteState({
      client: target.client,
      brand: state.brand,
      accountId: state.accountId,
      scope: 'all',
      cacheDir: target.cacheDir,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const sender = brandProject.config.value.sender;
    const imported = planImport({ remote, desired: state, sender, suggestKey });

    const written: string[] = [];
    const kept: string[] = [];
    if (options.dryRun) {
      for (const file of imported.files) {
        const path = join(outDir, file.path);
        ((await fileExists(path)) ? kept : written).push(relative(ctx.cwd, path));
      }
      return {
        command: 'import',
        target: targets.description,
        brand: state.brand,
        dryRun: true,
        written,
        kept,
        marked: imported.marks.map(describeMark),
        rawSteps: imported.rawSteps,
        skipped: imported.skipped,
        check: { status: 'not-checked' },
      };
    }
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
    const result: ImportResult = {
      command: 'import',
      target: targets.description,
      brand: state.brand,
      dryRun: false,
      written,
      kept,
      marked,
      rawSteps: imported.rawSteps,
      skipped: imported.skipped,
      check: { status: 'not-checked' },
    };
    if (outDir !== resolve(ctx.cwd, brandDir(options.dir, options.brand))) return result;

    // The brand again, now with the imported files: whatever is not a no-op was not reproduced exactly.
    const again = await buildProject(options.dir, options.brand, ctx);
    const desired = again.errors === 0 ? again.states[0] : undefined;
    if (!desired) {
      const errors = again.diagnostics.filter((x) => x.severity === 'error').map(formatDiagnostic);
      return { ...result, check: { status: 'invalid', errors: errors.slice(0, 10) } };
    }
    if (target.target.kind === 'sandbox')
      await seedSandboxMetrics(target.client, state.brand, desired, ctx.progress, ctx.signal);
    const { plan } = await makePlan([{ desired, client: target.client, cacheDir: target.cacheDir }], {
      ...(deps.now ? { now: deps.now } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const pending = plan.brands[0]!.resources.filter((r) => r.action.type !== 'noop');
    return {
      ...result,
      check: {
        status: 'planned',
        pending: pending.map((r) => ({ kind: r.kind, key: r.key, action: r.action.type })),
      },
    };
  } finally {
    await targets.close();
  }
}
