/**
 * Which planned changes revert an edit made in Klaviyo since the last apply. Each per-kind diff states the
 * fields it compares, desired and remote, in the same normalised form; their prints against the applied record
 * (../applied-record.ts) tell which remote fields moved since klaviyo-gitops wrote them. A change touching such
 * a field is a revert (`origin: 'hand-edit'`); every other change comes from the code.
 */
import {
  editedLeaves,
  objectKey,
  pathsOverlap,
  printFields,
  type AppliedEntry,
  type AppliedRecord,
  type FieldPrints,
} from '../applied-record.js';
import { templateContentHash } from '../markers.js';
import type { Json } from '../normalize.js';
import type { FieldChange, ResourcePlan } from '../plan.js';
import type { RemoteMappedMetric, RemoteResource } from '../remote-model.js';

/** The fields a diff compared, by name (`name`, `definition`, `steps.welcome-1`), in normalised form. */
export type ComparedFields = Record<string, Json | undefined>;

/** A flow's remote actions by id: the step each pairs with now (if any) and its normalised content. */
export interface FlowStepsComparison {
  actions: Map<string, { step?: string; variants: Json[] }>;
}

export interface Comparison {
  desired?: ComparedFields;
  /** Flow-level fields only for flows: their steps are in `steps`. */
  remote?: ComparedFields;
  steps?: FlowStepsComparison;
}

/** Fields that are ours (tags, the protection flag, the template marker): never a marketer's edit. */
const OWN_FIELDS = new Set(['tags', 'preventDestroy', 'marker']);

const STEP_PREFIX = 'steps.';

/** Prints split into the object's own fields and its flow steps (by step key, paths relative to the step). */
function splitSteps(prints: FieldPrints | undefined): { own: FieldPrints; steps: Map<string, FieldPrints> } {
  const own: FieldPrints = {};
  const steps = new Map<string, FieldPrints>();
  for (const [path, hash] of Object.entries(prints ?? {})) {
    if (!path.startsWith(STEP_PREFIX)) {
      own[path] = hash;
      continue;
    }
    const rest = path.slice(STEP_PREFIX.length);
    const dot = rest.indexOf('.');
    const step = dot < 0 ? rest : rest.slice(0, dot);
    const leaf = dot < 0 ? '' : rest.slice(dot + 1);
    steps.set(step, { ...(steps.get(step) ?? {}), [leaf]: hash });
  }
  return { own, steps };
}

function stepPrints(value: Json): FieldPrints {
  const prints: FieldPrints = {};
  for (const [path, hash] of Object.entries(printFields({ s: value }))) prints[path.slice(2)] = hash;
  return prints;
}

const signature = (prints: FieldPrints): string =>
  Object.entries(prints)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('|');

/**
 * Which changes of a flow revert hand edits, step by step. An action whose content is that of some step the
 * record holds is clean, wherever it sits now; a dirty action's leaves are compared with the step it pairs with.
 * A recorded step no action matches any more was deleted or edited in Klaviyo.
 */
function flowEdits(entry: AppliedEntry, steps: FlowStepsComparison) {
  const applied = splitSteps(entry.prints).steps;
  const pending = splitSteps(entry.pending).steps;
  const known = new Set([...applied.values(), ...pending.values()].map(signature));
  const dirty = new Set<string>();
  const seen = new Set<string>();
  for (const [id, action] of steps.actions) {
    const signatures = action.variants.map((v) => signature(stepPrints(v)));
    const match = signatures.find((sig) => known.has(sig));
    if (match) seen.add(match);
    else dirty.add(id);
  }
  const missing = new Set(
    [...applied]
      .filter(([step, prints]) => {
        const pend = pending.get(step);
        return !seen.has(signature(prints)) && !(pend && seen.has(signature(pend)));
      })
      .map(([step]) => step),
  );
  const actionOfStep = new Map<string, string>();
  for (const [id, action] of steps.actions) if (action.step !== undefined) actionOfStep.set(action.step, id);
  return {
    /** Leaves of step `step` (relative) edited in Klaviyo, `['']` for the whole step. */
    leavesOf(step: string): string[] {
      const id = actionOfStep.get(step);
      if (id === undefined) return missing.has(step) ? [''] : [];
      if (!dirty.has(id)) return [];
      const recorded = applied.get(step);
      if (!recorded) return [''];
      const current = stepPrints(steps.actions.get(id)!.variants[0]!);
      const pend = pending.get(step);
      return editedLeaves({ id, at: '', prints: recorded, ...(pend ? { pending: pend } : {}) }, current);
    },
    /** An action not paired with a step that the record does not know: added or changed in Klaviyo. */
    isDirtyAction: (id: string): boolean => dirty.has(id),
  };
}

/** Leaves edited in Klaviyo: from the applied record, else (templates only) from the marker's content hash. */
function editedSinceApplied(
  entry: AppliedEntry | undefined,
  remotePrints: FieldPrints | undefined,
  remote: RemoteResource | RemoteMappedMetric | undefined,
): string[] {
  if (entry && remotePrints) {
    const own = splitSteps(entry.prints).own;
    const pending = entry.pending ? splitSteps(entry.pending).own : undefined;
    return editedLeaves({ ...entry, prints: own, ...(pending ? { pending } : {}) }, remotePrints);
  }
  if (remote?.kind === 'template' && remote.marker) {
    const actual = templateContentHash(remote.html, remote.text);
    // The marker hashes HTML and text together: which of the two moved is unknown, so both count.
    if (actual !== remote.marker.contentHash) return ['html', 'text'];
  }
  return [];
}

/**
 * Sets `prints`, `handEdit` and every change's `origin` on one resource plan. `remote` is the object the plan
 * was made against; `record` the account's applied record, when readable.
 */
export function markHandEdits(
  resource: ResourcePlan,
  comparison: Comparison | undefined,
  remote: RemoteResource | RemoteMappedMetric | undefined,
  record: AppliedRecord | undefined,
): void {
  const entry = record?.objects[objectKey(resource.kind, resource.key)];
  if (comparison?.desired) resource.prints = printFields(comparison.desired);
  const action = resource.action;
  if (action.type === 'create') {
    if (entry) resource.handEdit = { type: 'deleted', lastApplied: entry.at };
    return;
  }
  if (action.type !== 'update' && action.type !== 'replace') return;
  // A leaf edited in Klaviyo that the repository now holds as well is not reverted by applying (a pull merged it).
  const remotePrints = comparison?.remote ? printFields(comparison.remote) : undefined;
  const edited = editedSinceApplied(entry, remotePrints, remote).filter(
    (leaf) => !resource.prints || !remotePrints || resource.prints[leaf] !== remotePrints[leaf],
  );
  const steps = entry && comparison?.steps ? flowEdits(entry, comparison.steps) : undefined;
  const reverted: string[] = [];
  const mark = (change: FieldChange, path: string, leaves: readonly string[], relative: string): void => {
    if (change.origin === undefined) {
      const mine = OWN_FIELDS.has(change.path);
      change.origin = !mine && leaves.some((leaf) => pathsOverlap(leaf, relative)) ? 'hand-edit' : 'code';
    }
    if (change.origin === 'hand-edit') reverted.push(path);
  };
  for (const change of action.changes) mark(change, change.path, edited, change.path);
  const stepLeaves = (step: string): string[] => steps?.leavesOf(step) ?? [];
  const markStep = (step: string, changes: FieldChange[]): void => {
    const leaves = stepLeaves(step);
    for (const change of changes) {
      // A whole-step edit ('') covers every change of the step.
      const covering = leaves.includes('') ? [change.path] : leaves;
      mark(change, `${STEP_PREFIX}${step}.${change.path}`, covering, change.path);
    }
  };
  if (action.type === 'update') {
    for (const step of action.steps) markStep(step.step, step.changes);
  } else {
    for (const step of action.steps) {
      markStep(step.step, step.changes);
      if (step.change === 'changed') {
        step.origin = step.changes.some((c) => c.origin === 'hand-edit') ? 'hand-edit' : 'code';
        continue;
      }
      // Structural: a removed step is named by its action id; the others by their step key.
      const reverts =
        step.change === 'removed'
          ? (steps?.isDirtyAction(step.step) ?? false)
          : stepLeaves(step.step).length > 0;
      step.origin = reverts ? 'hand-edit' : 'code';
      if (reverts) reverted.push(`${STEP_PREFIX}${step.step}`);
    }
  }
  if (reverted.length > 0 && remote) {
    resource.handEdit = {
      type: 'edited',
      updated: remote.updated,
      ...(entry ? { lastApplied: entry.at } : {}),
      paths: [...new Set(reverted)],
    };
  }
}
