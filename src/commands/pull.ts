/**
 * `klaviyo-gitops pull [--dir marketing] [--brand B]`: keeps the edits a marketer made in Klaviyo by writing
 * them into the repository files, so a later apply does not revert them. It plans as `plan` does; every change
 * that would revert an edit made in Klaviyo (`origin: 'hand-edit'`) is written into the file that declares the
 * object, Klaviyo's value in place of the repository's. Changes from the repository are left as they are.
 *
 * Before anything is written, the new files are built in a scratch copy of the marketing directory and planned
 * again against the same account state: a file whose edits do not give Klaviyo's values back, or that would
 * lose a change of the repository, is not written, and its edits are listed as not pulled. Each file is
 * written whole (temporary file, then rename). Objects deleted in Klaviyo are reported, never deleted here.
 * The result lists what was pulled and what could not be (exit 1: exit-codes.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { embedTemplateMarker, stripTemplateMarker } from '../engine/markers.js';
import { handEdited, planPull } from '../engine/pull/index.js';
import type { TargetChoice } from '../config.js';
import type { CommandContext } from './command.js';
import {
  loadAndPlan,
  openCommandTargets,
  type CommandDeps,
  type PlanRun,
  type TargetSelection,
} from './plan.js';
import { checkRoundTrip } from './pull-round-trip.js';
import { gatherSources } from './pull-sources.js';
import type { BrandProblem, BrandPull, PullResult, TemplateMarkerRefresh } from './results.js';

export interface PullCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

/**
 * A pulled template's marker records the content hash klaviyo-gitops applied, which the hand edit made stale.
 * Left alone, every later plan would rewrite it; with the content now in the repository, the marker is set to
 * Klaviyo's own content (the content itself is not touched). The applied record is not: until an apply writes
 * the template, dropping the pulled files still shows the edit as one made in Klaviyo.
 */
async function refreshTemplateMarkers(
  brands: BrandPull[],
  run: PlanRun,
  states: DesiredBrandState[],
  ctx: CommandContext,
  deps: CommandDeps,
  selection: TargetSelection,
): Promise<TemplateMarkerRefresh[]> {
  const refreshes: Array<{ brand: string; id: string; key: string; html: string }> = [];
  for (const { brand, pulls } of brands) {
    const remote = run.remote.get(brand)!;
    for (const pull of pulls) {
      if (pull.kind !== 'template' || !pull.pulled.some((p) => p.path === 'html' || p.path === 'text'))
        continue;
      const template = remote.templates.find(
        (t) => t.ownership.type === 'managed' && t.ownership.key === pull.key,
      );
      if (!template) continue;
      const content = stripTemplateMarker(template.html);
      const protect = template.marker?.preventDestroy ?? false;
      const html = embedTemplateMarker(content, template.text, pull.key, protect).html;
      if (html !== template.html) refreshes.push({ brand, id: template.id, key: pull.key, html });
    }
  }
  if (refreshes.length === 0) return [];
  const wanted = states.filter((s) => refreshes.some((r) => r.brand === s.brand));
  // The target was said when planning: not again for these writes.
  const targets = await openCommandTargets(wanted, { ...ctx, progress: () => undefined }, deps, selection);
  const markers: TemplateMarkerRefresh[] = [];
  try {
    for (const r of refreshes) {
      const client = targets.brands.get(r.brand)!.client;
      try {
        await client.templates.update(r.id, { html: r.html }, ctx.signal ? { signal: ctx.signal } : {});
        markers.push({ brand: r.brand, key: r.key, outcome: 'refreshed' });
      } catch (error) {
        // Not a failure of the pull: the next apply rewrites the marker.
        markers.push({ brand: r.brand, key: r.key, outcome: 'failed', error: (error as Error).message });
      }
    }
  } finally {
    await targets.close();
  }
  return markers;
}

/** Whole-file writes: a temporary file beside the target, then a rename, so no reader sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function runPull(
  options: PullCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<PullResult> {
  const loaded = await loadAndPlan(options, ctx, deps);
  const { run } = loaded;
  const problems: BrandProblem[] = [];
  const brands: BrandPull[] = [];
  for (const brand of run.plan.brands) {
    const remote = run.remote.get(brand.brand)!;
    const state = loaded.states.find((s) => s.brand === brand.brand)!;
    for (const problem of brand.problems)
      problems.push({ brand: brand.brand, severity: problem.severity, message: problem.message });
    const record = remote.appliedRecord.state === 'found' ? remote.appliedRecord.record : undefined;
    const sources = await gatherSources(ctx.cwd, loaded.project, state, handEdited(brand));
    const pulls = planPull(brand, record, sources);
    const checked = await checkRoundTrip(pulls, brand, remote, options.dir, ctx);
    brands.push({ brand: brand.brand, pulls: checked.pulls, knockOn: checked.knockOn });
  }
  for (const write of brands.flatMap((b) => b.pulls.flatMap((p) => p.writes)))
    await writeAtomically(resolve(ctx.cwd, write.file), write.text);
  const markers = await refreshTemplateMarkers(brands, run, loaded.states, ctx, deps, options);
  const pulls = brands.flatMap((b) => b.pulls);
  return {
    command: 'pull',
    target: run.target,
    problems,
    brands,
    markers,
    pulledEdits: pulls.reduce((n, p) => n + p.pulled.length, 0),
    notPulled: pulls.reduce((n, p) => n + p.notPulled.length, 0),
  };
}
