/**
 * Flows, honest about what Klaviyo can change in place (research §3.5):
 * - `update`: the flow status (`PATCH /api/flows/{id}`, cascades to the actions), our tags, and in-place edits
 *   of existing steps (delay, subject, preview text, template, split condition, SMS body, webhook, profile
 *   operations): one `PATCH /api/flow-actions/{id}` per changed step.
 * - `replace`: a step added, removed, moved or changed in type; the trigger, entry filters, re-entry or the
 *   name changed. None of these has an endpoint: a new flow is created and swapped in.
 * A flow email holds a copy of its template: when the template's content differs from the copy's, the step is
 * re-assigned (an in-place step update) and the template lists the step as a dependent effect.
 */
import type { DesiredFlow } from '../../compile/desired-state.js';
import {
  pairFlowGraphs,
  structureChanged,
  type FlowGraph,
  type FlowPairing,
  type GraphAction,
} from '../flow-graph.js';
import {
  compact,
  deepEqual,
  hasMessageName,
  isRecord,
  normalizeConditions,
  normalizeFlowAction,
  normalizeTriggers,
  subActionsOf,
  type Json,
} from '../normalize.js';
import type {
  ApiCall,
  DependentEffect,
  FieldChange,
  JsonValue,
  ResourceAction,
  ResourcePlan,
  StepDiff,
  StepUpdate,
} from '../plan.js';
import type { RemoteFlow, RemoteFlowAction } from '../remote-model.js';
import {
  copyTemplateKey,
  desiredTags,
  flowBody,
  removalAction,
  supersededAction,
  type DiffContext,
} from './context.js';
import { calls, createCost, tagCalls } from './cost.js';
import { change, fieldChanges } from './fields.js';
import type { ComparedFields, Comparison, FlowStepsComparison } from './hand-edits.js';
import type { Match } from './match.js';
import { isProtected, ourTags, remoteDisplayName, resourcePlan, tagChange } from './resource.js';

export interface FlowDiff {
  resources: ResourcePlan[];
  /** Flow emails whose template copy is stale, by template key. */
  effects: Array<{ template: string; effect: DependentEffect }>;
}

type DesiredAction = DesiredFlow['definition']['actions'][number];

export function diffFlow(match: Match<DesiredFlow, RemoteFlow>, ctx: DiffContext): FlowDiff {
  const { desired, remote } = match;
  const superseded = match.superseded.map((old) =>
    resourcePlan({
      kind: 'flow',
      key: match.key,
      name: remoteDisplayName(old),
      remote: old,
      identity: 'name-marker',
      ...supersededAction('flow', old.status),
    }),
  );
  if (desired) ctx.comparisons.set(`flow:${desired.key}`, { desired: desiredFlowFields(desired, ctx.index) });
  if (desired && !remote) {
    const resource = resourcePlan({
      kind: 'flow',
      key: desired.key,
      name: desired.name,
      source: desired.source,
      action: { type: 'create', desired: flowBody(desired) },
      cost: createCost('flow', desiredTags(desired.preventDestroy), desired.status),
    });
    return { resources: [resource, ...superseded], effects: [] };
  }
  if (!desired && remote) {
    const resource = resourcePlan({
      kind: 'flow',
      key: match.key,
      name: remoteDisplayName(remote),
      remote,
      identity: match.identity,
      ...removalAction('flow', ctx, isProtected(remote), remote.status),
    });
    return { resources: [resource, ...superseded], effects: [] };
  }
  if (!desired || !remote) return { resources: superseded, effects: [] };
  if (!remote.definition) {
    ctx.problems.push({
      severity: 'error',
      kind: 'flow',
      key: desired.key,
      message: `flow ${desired.key}: could not read the definition of Klaviyo flow ${remote.id}`,
    });
    const resource = resourcePlan({
      kind: 'flow',
      key: desired.key,
      name: desired.name,
      remote,
      identity: match.identity,
      source: desired.source,
      action: { type: 'noop' },
      cost: [],
    });
    return { resources: [resource, ...superseded], effects: [] };
  }
  const compared = compareFlow(desired, remote, remote.definition.actions, ctx);
  const resource = resourcePlan({
    kind: 'flow',
    key: desired.key,
    name: desired.name,
    remote,
    identity: match.identity,
    source: desired.source,
    action: compared.action,
    cost: compared.cost,
  });
  const effects = compared.stale.map(({ template, step, actionId }) => ({
    template,
    effect: {
      type: 'reassign-template' as const,
      flow: desired.key,
      flowId: remote.id,
      step,
      actionId,
      plannedInFlow: compared.action.type === 'update',
    },
  }));
  return { resources: [resource, ...superseded], effects };
}

/** A flow's compared fields: the flow-level attributes and each step's normalised content by step key. */
function desiredFlowFields(desired: DesiredFlow, index: ReadonlyMap<string, string>): ComparedFields {
  const fields: ComparedFields = {
    name: desired.name,
    status: desired.status,
    'definition.triggers': normalizeTriggers(desired.definition.triggers, index),
    'definition.profile_filter': normalizeConditions(desired.definition.profile_filter, index),
    'definition.reentry_criteria': compact(desired.definition.reentry_criteria),
  };
  for (const action of desired.definition.actions) {
    fields[`steps.${action.temporary_id}`] = normalizeFlowAction(action, index, {
      dropMessageName: !hasMessageName(action),
    });
  }
  return fields;
}

/**
 * The same read from Klaviyo: the flow-level fields, and each action's content by action id. Steps are keyed by
 * action id, not by the step they pair with now: a step inserted in code shifts the pairing, and the applied
 * record must still recognise every action it wrote.
 */
function remoteFlowFields(
  remote: RemoteFlow,
  pairing: FlowPairing,
  desiredGraph: FlowGraph<DesiredAction>,
  remoteGraph: FlowGraph<RemoteFlowAction>,
  index: ReadonlyMap<string, string>,
): Pick<Comparison, 'remote' | 'steps'> {
  const definition = remote.definition!;
  const fields: ComparedFields = {
    name: remoteDisplayName(remote),
    status: remote.status,
    'definition.triggers': normalizeTriggers(definition.triggers, index),
    'definition.profile_filter': normalizeConditions(definition.profile_filter, index),
    'definition.reentry_criteria': compact(definition.reentry_criteria),
  };
  const stepOf = new Map<string, string>();
  for (const pair of [...pairing.pairs, ...pairing.retyped]) stepOf.set(pair.actionId, pair.step);
  const actions: FlowStepsComparison['actions'] = new Map();
  for (const [id, action] of remoteGraph.actions) {
    const step = stepOf.get(id);
    const want = step === undefined ? undefined : desiredGraph.actions.get(step);
    // The record normalised each step as its desired action then asked (with or without the message name):
    // try both, the way the step it pairs with now asks first (its leaves are compared with that step's).
    const first = want ? !hasMessageName(want) : false;
    const drops = [first, !first];
    actions.set(id, {
      ...(step !== undefined ? { step } : {}),
      variants: drops.map((dropMessageName) => normalizeFlowAction(action, index, { dropMessageName })),
    });
  }
  return { remote: fields, steps: { actions } };
}

interface StaleCopy {
  template: string;
  step: string;
  actionId: string;
}

function compareFlow(
  desired: DesiredFlow,
  remote: RemoteFlow,
  remoteActions: RemoteFlowAction[],
  ctx: DiffContext,
): { action: ResourceAction; cost: ApiCall[]; stale: StaleCopy[] } {
  const definition = remote.definition!;
  const index = new Map(ctx.index);
  for (const copy of Object.values(remote.templateCopies)) {
    const key = copyTemplateKey(ctx, copy);
    if (key !== undefined) index.set(copy.id, `@template:${key}`);
  }
  const desiredGraph: FlowGraph<DesiredAction> = {
    entry: desired.definition.entry_action_id,
    actions: new Map(desired.definition.actions.map((a) => [a.temporary_id, a])),
  };
  const remoteGraph: FlowGraph<RemoteFlowAction> = {
    entry: definition.entry_action_id,
    actions: new Map(remoteActions.map((a) => [a.id, a])),
  };
  const pairing = pairFlowGraphs(desiredGraph, remoteGraph);
  ctx.comparisons.set(`flow:${desired.key}`, {
    desired: desiredFlowFields(desired, index),
    ...remoteFlowFields(remote, pairing, desiredGraph, remoteGraph, index),
  });

  // Flow-level attributes: each a replace when changed.
  const reasons: string[] = [];
  const flowChanges: FieldChange[] = [];
  const remoteName = remoteDisplayName(remote);
  if (remoteName !== desired.name) {
    reasons.push(`the name changed: Klaviyo cannot rename a flow`);
    flowChanges.push(change('name', remoteName, desired.name));
  }
  const level = (path: string, before: Json | undefined, after: Json | undefined, reason: string): void => {
    if (deepEqual(before, after)) return;
    reasons.push(reason);
    flowChanges.push(change(path, before, after));
  };
  level(
    'definition.triggers',
    normalizeTriggers(definition.triggers, index),
    normalizeTriggers(desired.definition.triggers, index),
    "the trigger changed: Klaviyo cannot change a flow's trigger",
  );
  level(
    'definition.profile_filter',
    normalizeConditions(definition.profile_filter, index),
    normalizeConditions(desired.definition.profile_filter, index),
    "the entry filters changed: Klaviyo cannot change a flow's entry filters",
  );
  level(
    'definition.reentry_criteria',
    compact(definition.reentry_criteria),
    compact(desired.definition.reentry_criteria),
    "the re-entry rule changed: Klaviyo cannot change a flow's re-entry rule",
  );

  // Steps.
  const stepDiffs: StepDiff[] = [];
  const updates: StepUpdate[] = [];
  const stale: StaleCopy[] = [];
  for (const pair of pairing.pairs) {
    const want = desiredGraph.actions.get(pair.step)!;
    const have = remoteGraph.actions.get(pair.actionId)!;
    const dropMessageName = !hasMessageName(want);
    const before = normalizeFlowAction(have, index, { dropMessageName });
    const after = normalizeFlowAction(want, index, { dropMessageName });
    const changes = fieldChanges(before, after, '');
    for (const copy of staleCopies(want, have, remote, ctx)) {
      changes.push(copy.change);
      stale.push({ template: copy.template, step: pair.step, actionId: pair.actionId });
    }
    if (changes.length === 0) continue;
    stepDiffs.push({ step: pair.step, change: 'changed', actionType: want.type, changes });
    updates.push({
      step: pair.step,
      actionId: pair.actionId,
      actionType: want.type,
      changes,
      definition: patchDefinition(want, have, pairing),
    });
  }
  structuralDiffs(pairing, desiredGraph, remoteGraph, index, reasons, stepDiffs);

  const status = desired.status !== remote.status ? [change('status', remote.status, desired.status)] : [];
  const tagsBefore = ourTags(remote.tags);
  const tagsAfter = desiredTags(desired.preventDestroy);
  const tags = tagChange(tagsBefore, tagsAfter);

  if (reasons.length > 0 || structureChanged(pairing)) {
    const retire = ctx.deletion.flow === 'delete' && !isProtected(remote) ? 'delete' : 'archive';
    const impact = replaceImpact(remote, retire);
    const cost = [
      ...createCost('flow', tagsAfter, desired.status),
      ...calls(['update_flow', remote.status !== 'draft' ? 1 : 0]),
      ...(retire === 'delete' ? calls(['delete_flow', 1]) : calls(['tag_flows', 1])),
    ];
    return {
      action: {
        type: 'replace',
        reasons,
        impact,
        changes: [...flowChanges, ...status],
        steps: stepDiffs,
        desired: flowBody(desired),
        retire,
      },
      cost,
      stale,
    };
  }
  const changes = [...status, ...tags];
  if (changes.length === 0 && updates.length === 0) return { action: { type: 'noop' }, cost: [], stale };
  return {
    action: { type: 'update', changes, steps: updates, desired: flowBody(desired) },
    cost: [
      ...calls(['update_flow_action', updates.length], ['update_flow', status.length]),
      ...tagCalls('flow', tagsBefore, tagsAfter),
    ],
    stale,
  };
}

/**
 * Added, removed, retyped and moved steps, each with its replace reason. A desired step whose content equals a
 * remote action found at another position moved (a swap shows as two retyped positions before this).
 */
function structuralDiffs(
  pairing: FlowPairing,
  desiredGraph: FlowGraph<DesiredAction>,
  remoteGraph: FlowGraph<RemoteFlowAction>,
  index: ReadonlyMap<string, string>,
  reasons: string[],
  stepDiffs: StepDiff[],
): void {
  const content = (action: GraphAction, dropMessageName: boolean): Json =>
    normalizeFlowAction(action, index, { dropMessageName });
  const desiredCandidates = [...pairing.added.map((a) => a.step), ...pairing.retyped.map((r) => r.step)];
  const remoteCandidates = [
    ...pairing.removed.map((r) => r.actionId),
    ...pairing.retyped.map((r) => r.actionId),
  ];
  const movedDesired = new Set<string>();
  const movedRemote = new Set<string>();
  for (const step of desiredCandidates) {
    const want = desiredGraph.actions.get(step)!;
    const dropMessageName = !hasMessageName(want);
    const wanted = content(want, dropMessageName);
    const same = remoteCandidates.find((id) => {
      const have = remoteGraph.actions.get(id)!;
      return (
        !movedRemote.has(id) && have.type === want.type && deepEqual(content(have, dropMessageName), wanted)
      );
    });
    if (same === undefined) continue;
    movedDesired.add(step);
    movedRemote.add(same);
    reasons.push(`step ${step} moved: Klaviyo cannot move steps within a flow`);
    stepDiffs.push({ step, change: 'moved', actionType: want.type, changes: [] });
  }
  const added = (step: string): void => {
    reasons.push(`a step was added (${step}): Klaviyo cannot add steps to a flow`);
    stepDiffs.push({ step, change: 'added', actionType: desiredGraph.actions.get(step)!.type, changes: [] });
  };
  const removed = (actionId: string): void => {
    const action = remoteGraph.actions.get(actionId)!;
    const label = actionLabel({ ...action, id: actionId });
    reasons.push(`a step was removed (${label}): Klaviyo cannot remove a step without re-wiring the flow`);
    stepDiffs.push({ step: actionId, change: 'removed', actionType: action.type, label, changes: [] });
  };
  for (const a of pairing.added) if (!movedDesired.has(a.step)) added(a.step);
  for (const r of pairing.removed) if (!movedRemote.has(r.actionId)) removed(r.actionId);
  for (const r of pairing.retyped) {
    const desiredMoved = movedDesired.has(r.step);
    const remoteMoved = movedRemote.has(r.actionId);
    if (!desiredMoved && !remoteMoved) {
      reasons.push(`step ${r.step} changed from ${r.from} to ${r.to}: Klaviyo cannot change a step's type`);
      stepDiffs.push({
        step: r.step,
        change: 'retyped',
        actionType: r.to,
        previousType: r.from,
        changes: [],
      });
    } else if (!desiredMoved) added(r.step);
    else if (!remoteMoved) removed(r.actionId);
  }
}

/** "send-email 'Welcome #3'" or the action type and id. */
export function actionLabel(action: GraphAction & { id?: unknown }): string {
  const data = action.data;
  const message = isRecord(data) && isRecord(data.message) ? data.message : undefined;
  const name = message && typeof message.name === 'string' ? message.name : undefined;
  return name ? `${action.type} '${name}'` : `${action.type} ${String(action.id ?? '')}`.trim();
}

function replaceImpact(remote: RemoteFlow, retire: 'delete' | 'archive'): string[] {
  const impact: string[] = [];
  if (remote.status !== 'draft') {
    impact.push(
      "profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there",
    );
  }
  impact.push(
    'the new flow starts without history: past sends, reports and A/B test results stay with the old flow',
  );
  impact.push(
    retire === 'delete'
      ? 'the old flow is deleted once the new one is in place'
      : 'the old flow is kept in draft, detached (tag klaviyo-gitops:archived)',
  );
  return impact;
}

interface SendNode {
  path: string;
  message: Record<string, unknown>;
}

/** The message-carrying nodes of an action: itself, then its A/B arms, with their paths. */
function sendNodes(action: GraphAction): SendNode[] {
  const nodes: SendNode[] = [];
  const data = action.data;
  if (!isRecord(data)) return nodes;
  if (isRecord(data.message)) nodes.push({ path: 'data.message', message: data.message });
  if (
    isRecord(data.main_action) &&
    isRecord(data.main_action.data) &&
    isRecord(data.main_action.data.message)
  ) {
    nodes.push({ path: 'data.main_action.data.message', message: data.main_action.data.message });
  }
  const experiment = data.current_experiment;
  if (isRecord(experiment) && Array.isArray(experiment.variations)) {
    experiment.variations.forEach((variation, i) => {
      if (isRecord(variation) && isRecord(variation.data) && isRecord(variation.data.message)) {
        nodes.push({
          path: `data.current_experiment.variations.${i}.data.message`,
          message: variation.data.message,
        });
      }
    });
  }
  return nodes;
}

/** Emails whose copy is of the right template but not of its current content. */
function staleCopies(
  want: DesiredAction,
  have: RemoteFlowAction,
  remote: RemoteFlow,
  ctx: DiffContext,
): Array<{ template: string; change: FieldChange }> {
  const out: Array<{ template: string; change: FieldChange }> = [];
  const remoteNodes = new Map(sendNodes(have).map((n) => [n.path, n]));
  for (const node of sendNodes(want)) {
    const ref = node.message.template_id;
    if (typeof ref !== 'string' || !ref.startsWith('@template:')) continue;
    const key = ref.slice('@template:'.length);
    const copyId = remoteNodes.get(node.path)?.message.template_id;
    const copy = typeof copyId === 'string' ? remote.templateCopies[copyId] : undefined;
    if (!copy || copyTemplateKey(ctx, copy) !== key) continue;
    const current = ctx.templateHashes.get(key);
    if (current === undefined || current === copy.contentHash) continue;
    // The copy's marker records the content applied to it: content that hashes otherwise was edited in the flow.
    const editedInFlow = copy.markerHash !== undefined && copy.markerHash !== copy.contentHash;
    out.push({
      template: key,
      change: {
        ...change(
          `${node.path}.template_id`,
          `${key} (copy ${copy.contentHash})`,
          `${key} (${current})`,
          editedInFlow ? `the email was edited in Klaviyo's flow editor` : `template ${key} changed`,
        ),
        ...(editedInFlow ? { origin: 'hand-edit' as const } : {}),
      },
    });
  }
  return out;
}

/**
 * The action object `PATCH /api/flow-actions/{id}` receives: the desired action with the real ids of this
 * action, its links and its A/B arms, and the send status it has now (the flow's status governs it).
 */
function patchDefinition(want: DesiredAction, have: RemoteFlowAction, pairing: FlowPairing): JsonValue {
  const body = structuredClone(want) as unknown as Record<string, unknown>;
  delete body.temporary_id;
  body.id = have.id;
  const real = (target: unknown): unknown =>
    typeof target === 'string' ? (pairing.actionIdByStep.get(target) ?? target) : target;
  if (isRecord(body.links)) {
    for (const key of Object.keys(body.links)) body.links[key] = real(body.links[key]);
  }
  const data = isRecord(body.data) ? body.data : undefined;
  const remoteData = isRecord(have.data) ? have.data : undefined;
  if (data) {
    if (Array.isArray(data.branches)) {
      for (const branch of data.branches) {
        if (isRecord(branch) && isRecord(branch.links)) branch.links.next = real(branch.links.next);
      }
    }
    if (remoteData && typeof remoteData.status === 'string') data.status = remoteData.status;
    const remoteSubs = remoteData ? subActionsOf(remoteData) : [];
    subActionsOf(data).forEach((sub, i) => {
      delete sub.temporary_id;
      const remoteId = remoteSubs[i]?.id;
      if (typeof remoteId === 'string') sub.id = remoteId;
    });
  }
  return JSON.parse(JSON.stringify(body)) as JsonValue;
}
