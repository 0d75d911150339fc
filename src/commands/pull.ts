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
 * Exit 0: every edit pulled; 1: some could not be (listed); 2: usage error.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { embedTemplateMarker, stripTemplateMarker } from '../engine/markers.js';
import { handEdited, planPull, type ResourcePull } from '../engine/pull/index.js';
import type { TargetChoice } from '../config.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { loadAndPlan, openCommandTargets, type CommandDeps, type PlanRun } from './plan.js';
import { checkRoundTrip } from './pull-round-trip.js';
import { gatherSources } from './pull-sources.js';

export interface PullCommandOptions {
  dir: string;
  brand?: string | undefined;
  /** `--target`: klaviyo or sandbox; absent: decided from the environment. */
  target?: TargetChoice | undefined;
}

interface BrandPull {
  brand: string;
  pulls: ResourcePull[];
  /** Changes of other objects the pulled files bring into the next plan. */
  knockOn: string[];
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
  choice: TargetChoice | undefined,
): Promise<string[]> {
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
  const targets = await openCommandTargets(wanted, { ...ctx, progress: () => undefined }, deps, choice);
  const lines: string[] = [];
  try {
    for (const r of refreshes) {
      const client = targets.brands.get(r.brand)!.client;
      try {
        await client.templates.update(r.id, { html: r.html }, ctx.signal ? { signal: ctx.signal } : {});
        lines.push(
          `  template ${r.key}: its marker in Klaviyo now records the pulled content (content unchanged)`,
        );
      } catch (error) {
        lines.push(
          `  template ${r.key}: its marker in Klaviyo could not be refreshed (${(error as Error).message}); the next apply refreshes it`,
        );
      }
    }
  } finally {
    await targets.close();
  }
  return lines;
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

function label(pull: ResourcePull): string {
  return `${pull.kind} ${pull.key}`;
}

function report(brands: BrandPull[], markers: string[]): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  const notPulled: string[] = [];
  let edits = 0;
  const files = new Set<string>();
  const followers: string[] = [];
  for (const { brand, pulls, knockOn } of brands) {
    followers.push(...knockOn);
    for (const pull of pulls) {
      edits += pull.pulled.length;
      for (const write of pull.writes) {
        files.add(write.file);
        const what = pull.pulled.filter((p) => p.file === write.file && p.what !== '').map((p) => p.what);
        lines.push(`${write.created ? '+' : '~'} ${write.file}: ${label(pull)}: ${what.join(', ')}`);
      }
      if (pull.writes.length > 0) for (const note of pull.notes) lines.push(`    ${label(pull)}: ${note}`);
      for (const n of pull.notPulled)
        notPulled.push(
          `  ${brands.length > 1 ? `${brand}: ` : ''}${label(pull)}${n.path ? ` ${n.path}` : ''}: ${n.reason}`,
        );
    }
  }
  if (edits === 0 && notPulled.length === 0) {
    return { lines: ['Nothing to pull: no edits made in Klaviyo since the last apply.'], exitCode: 0 };
  }
  lines.push(...markers);
  for (const change of followers)
    lines.push(`    the next plan also changes ${change}: it follows from the pulled files`);
  if (notPulled.length > 0) lines.push('', `Not pulled (${notPulled.length}):`, ...notPulled);
  lines.push(
    '',
    `Pulled ${edits} edit${edits === 1 ? '' : 's'} into ${files.size} file${files.size === 1 ? '' : 's'}; review with git diff and commit` +
      (notPulled.length > 0 ? `; ${notPulled.length} not pulled (listed above)` : ''),
  );
  return { lines, exitCode: notPulled.length > 0 ? 1 : 0 };
}

export async function runPull(
  options: PullCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<CommandOutcome> {
  const loaded = await loadAndPlan(options, ctx, deps);
  if (!loaded.ok) return loaded.outcome;
  const { run } = loaded;
  const warnings: string[] = [];
  const brands: BrandPull[] = [];
  for (const brand of run.plan.brands) {
    const remote = run.remote.get(brand.brand)!;
    const state = loaded.states.find((s) => s.brand === brand.brand)!;
    for (const problem of brand.problems)
      warnings.push(`${problem.severity}: ${brand.brand}: ${problem.message}`);
    const record = remote.appliedRecord.state === 'found' ? remote.appliedRecord.record : undefined;
    const sources = await gatherSources(ctx.cwd, loaded.project, state, handEdited(brand));
    const pulls = planPull(brand, record, sources);
    const checked = await checkRoundTrip(pulls, brand, remote, options.dir, ctx);
    brands.push({ brand: brand.brand, pulls: checked.pulls, knockOn: checked.knockOn });
  }
  for (const write of brands.flatMap((b) => b.pulls.flatMap((p) => p.writes)))
    await writeAtomically(resolve(ctx.cwd, write.file), write.text);
  const markers = await refreshTemplateMarkers(brands, run, loaded.states, ctx, deps, options.target);
  const { lines, exitCode } = report(brands, markers);
  return { exitCode, stdout: [...warnings, ...lines].join('\n') };
}
