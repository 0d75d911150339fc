/**
 * The check a pull makes before it writes: the pulled files are built in a scratch copy of the marketing
 * directory and planned again against the account as it was read. A resource whose files do not validate, do
 * not give Klaviyo's values back, or would lose or add a change, is not written (its edits are reported).
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { buildDesiredState } from '../compile/index.js';
import { diffBrand } from '../engine/diff/index.js';
import type { BrandPlan, FieldChange, ResourcePlan } from '../engine/plan.js';
import type { ResourcePull } from '../engine/pull/index.js';
import { refuseAll } from '../engine/pull/result.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import { formatDiagnostic } from '../project/diagnostics.js';
import type { CommandContext } from './command.js';

interface PlannedChange {
  origin: string;
  cause?: string | undefined;
}

/** Every change a resource plan makes, by path. */
function changePaths(resource: ResourcePlan | undefined): Map<string, PlannedChange> {
  const paths = new Map<string, PlannedChange>();
  const action = resource?.action;
  if (!action || action.type === 'noop') return paths;
  if (action.type !== 'update' && action.type !== 'replace')
    return paths.set(`(${action.type})`, { origin: 'code' });
  const add = (path: string, c: FieldChange) =>
    paths.set(path, { origin: c.origin ?? 'code', cause: c.cause });
  for (const c of action.changes) add(c.path, c);
  for (const step of action.steps) {
    if ('change' in step && step.change !== 'changed')
      paths.set(`steps.${step.step}`, { origin: step.origin ?? 'code' });
    else for (const c of step.changes) add(`steps.${step.step}.${c.path}`, c);
  }
  return paths;
}

/**
 * Why the written files do not do what the pull promised for this resource, if they do not. A flow email whose
 * template was pulled is re-assigned by the next apply (Klaviyo keeps a copy per email): that change is expected.
 */
function roundTripProblem(
  pull: ResourcePull,
  before: ResourcePlan,
  after: ResourcePlan | undefined,
  pulledTemplates: ReadonlySet<string>,
): string | undefined {
  const was = changePaths(before);
  const now = changePaths(after);
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  const kept = pull.pulled.filter((p) => !p.merged).map((p) => p.path);
  const still = [...now.keys()].filter((path) => kept.some((p) => overlaps(p, path)));
  if (still.length > 0) return `written, the files would still differ from Klaviyo in ${still.join(', ')}`;
  const lost = [...was].filter(([path, c]) => c.origin === 'code' && !now.has(path)).map(([p]) => p);
  if (lost.length > 0) return `written, the files would lose the repository's change to ${lost.join(', ')}`;
  const added = [...now]
    .filter(([path, c]) => !was.has(path) && !pull.follows.includes(path) && !reassigns(c, pulledTemplates))
    .map(([p]) => p);
  if (added.length > 0) return `written, the files would also change ${added.join(', ')}`;
  return undefined;
}

/** A flow email re-assigned because its template was pulled (Klaviyo keeps a copy per email). */
function reassigns(change: PlannedChange, pulledTemplates: ReadonlySet<string>): boolean {
  return [...pulledTemplates].some((key) => change.cause === `template ${key} changed`);
}

/**
 * Changes the pulled files bring to objects that were not pulled, e.g. a flow step named after a list whose name
 * was pulled: they are real changes of the repository, and the next plan shows them.
 */
function knockOn(
  before: ReadonlyMap<string, ResourcePlan>,
  after: ReadonlyMap<string, ResourcePlan>,
  pulls: readonly ResourcePull[],
  pulledTemplates: ReadonlySet<string>,
): string[] {
  const pulled = new Set(pulls.filter((p) => p.writes.length > 0).map((p) => `${p.kind}:${p.key}`));
  const out: string[] = [];
  for (const [key, resource] of after) {
    if (pulled.has(key)) continue;
    const was = changePaths(before.get(key));
    for (const [path, change] of changePaths(resource)) {
      if (!was.has(path) && !reassigns(change, pulledTemplates))
        out.push(`${resource.kind} ${resource.key} ${path}`);
    }
  }
  return out;
}

/** A pulled template's flow emails hold Klaviyo's copy of the old content: the next apply re-assigns them. */
function withCopiesNote(pull: ResourcePull, after: ResourcePlan | undefined): ResourcePull {
  const emails = (after?.effects ?? []).map((e) => `flow ${e.flow} step ${e.step}`);
  if (pull.kind !== 'template' || pull.writes.length === 0 || emails.length === 0) return pull;
  const note = `the flow emails that use it keep their copy of the old version until the next apply re-assigns it (${emails.join(', ')})`;
  return { ...pull, notes: [...pull.notes, note] };
}

/**
 * Builds the pulled files in a scratch copy of the marketing directory and plans them against the account as
 * it was read; a resource whose files do not validate or do not round-trip is not written. Also says what else
 * the next plan changes because of the pulled files.
 */
export async function checkRoundTrip(
  pulls: ResourcePull[],
  brand: BrandPlan,
  remote: RemoteBrandState,
  dir: string,
  ctx: CommandContext,
): Promise<{ pulls: ResourcePull[]; knockOn: string[] }> {
  if (!pulls.some((p) => p.writes.length > 0)) return { pulls, knockOn: [] };
  const root = resolve(ctx.cwd, dir);
  const scratch = await mkdtemp(join(tmpdir(), 'kg-pull-'));
  const copy = join(scratch, 'marketing');
  const inCopy = (file: string) => join(copy, relative(root, resolve(ctx.cwd, file)));
  const original = (file: string) => relative(ctx.cwd, join(root, relative(copy, resolve(scratch, file))));
  const before = new Map(brand.resources.map((r) => [`${r.kind}:${r.key}`, r]));
  let current = pulls;
  let followers: string[] = [];
  try {
    // Each round that refuses something drops at least one pull's files, so this ends.
    for (let round = 0; round <= pulls.length; round += 1) {
      await rm(copy, { recursive: true, force: true });
      await cp(root, copy, { recursive: true });
      for (const write of current.flatMap((p) => p.writes)) {
        await mkdir(dirname(inCopy(write.file)), { recursive: true });
        await writeFile(inCopy(write.file), write.text);
      }
      const build = await buildDesiredState({ cwd: scratch, dir: 'marketing', brand: brand.brand });
      const errors = build.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        // Blame the pulls whose own files have errors; when none has, none of them can be written.
        const blamed = (pull: ResourcePull) =>
          errors.find((d) => pull.writes.some((w) => w.file === original(d.file)));
        const anyBlamed = current.some((pull) => blamed(pull) !== undefined);
        current = current.map((pull) => {
          if (pull.writes.length === 0) return pull;
          const error = blamed(pull) ?? (anyBlamed ? undefined : errors[0]!);
          if (!error) return pull;
          const where = formatDiagnostic({ ...error, file: original(error.file) });
          return refuseAll(pull, `written, the files would not validate: ${where}`);
        });
        continue;
      }
      const plan = diffBrand(build.states[0]!, remote);
      const after = new Map(plan.resources.map((r) => [`${r.kind}:${r.key}`, r]));
      const templates = new Set(
        current.filter((p) => p.kind === 'template' && p.writes.length > 0).map((p) => p.key),
      );
      let refused = false;
      current = current.map((pull) => {
        if (pull.writes.length === 0) return pull;
        const key = `${pull.kind}:${pull.key}`;
        const problem = roundTripProblem(pull, before.get(key)!, after.get(key), templates);
        if (!problem) return pull;
        refused = true;
        return refuseAll(pull, problem);
      });
      if (!refused) {
        current = current.map((pull) => withCopiesNote(pull, after.get(`${pull.kind}:${pull.key}`)));
        followers = knockOn(before, after, current, templates);
        break;
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { pulls: current, knockOn: followers };
}
