/**
 * Flow writes. Klaviyo creates a flow whole (in draft) and afterwards changes only its status and one action at
 * a time; everything else is create-and-swap: the new flow is created in draft, the old one set to draft, the
 * new one to its status, and the old one retired. In that order a crash can cause a gap in sending, never two
 * live copies: the new flow carries the same key, so the next run sees both, keeps the newest and drafts the
 * other before anything goes live.
 */
import type { FlowActionDefinition, FlowStatus } from '../../klaviyo/index.js';
import { ARCHIVED_TAG } from '../markers.js';
import type { BodyOf, ResourcePlan, StepUpdate } from '../plan.js';
import { act, knownIds, remoteObject, type ApplyContext, type ResourceResult } from './context.js';
import { addTag, call, deleteObject, reconciler, resolve, tagNew } from './objects.js';
import { findNewFlow } from './reconcile.js';

/** Creates the flow of `body` in draft and tags it; returns its id (also under `flow:<key>` in `ctx.ids`). */
export async function createFlow(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'flow'>,
): Promise<string> {
  const definition = resolve(ctx, body.definition);
  const lookup = reconciler(ctx, () =>
    findNewFlow(ctx.client, {
      name: body.klaviyoName,
      key: resource.key,
      known: knownIds(ctx.remote, 'flow'),
      ...call(ctx),
    }),
  );
  const flow = await act(
    ctx,
    result,
    'create_flow',
    { idOf: (value) => value.id },
    () =>
      ctx.client.flows.create(
        { data: { type: 'flow', attributes: { name: body.klaviyoName, definition: definition as never } } },
        { ...call(ctx), reconcile: lookup.reconcile },
      ),
    () => (lookup.wasReconciled() ? 'reconciled' : 'ok'),
  );
  ctx.ids.set(`flow:${resource.key}`, flow.id);
  result.id = flow.id;
  await tagNew(ctx, result, 'flow', flow.id, body.preventDestroy);
  return flow.id;
}

/** One `PATCH /api/flow-actions/{id}` per changed step (a template re-assignment is one of them). */
export async function updateFlowSteps(
  ctx: ApplyContext,
  result: ResourceResult,
  steps: readonly StepUpdate[],
): Promise<void> {
  const settled = await Promise.allSettled(
    steps.map((step) => {
      const definition = resolve(ctx, step.definition) as unknown as FlowActionDefinition;
      return act(ctx, result, 'update_flow_action', { id: step.actionId }, () =>
        ctx.client.flows.updateAction(step.actionId, definition, call(ctx)),
      );
    }),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}

export async function setFlowStatus(
  ctx: ApplyContext,
  result: ResourceResult,
  id: string,
  status: FlowStatus,
): Promise<void> {
  await act(ctx, result, 'update_flow', { id }, () => ctx.client.flows.updateStatus(id, status, call(ctx)));
}

/** The status a flow had when planning (`draft` when unknown: nothing to switch off). */
export function plannedStatus(ctx: ApplyContext, id: string): string {
  const remote = remoteObject(ctx.remote, 'flow', id);
  return remote?.kind === 'flow' ? remote.status : 'draft';
}

/** Sets a flow to draft unless it already was when planning. */
export async function draftFlow(ctx: ApplyContext, result: ResourceResult, id: string): Promise<void> {
  if (plannedStatus(ctx, id) === 'draft') return;
  await setFlowStatus(ctx, result, id, 'draft');
}

/** Keeps a flow in Klaviyo, in draft, detached: the read side ignores it and its key is free. `drafted`: an
 * earlier task of this run already set it to draft. */
export async function archiveFlow(
  ctx: ApplyContext,
  result: ResourceResult,
  id: string,
  options: { drafted: boolean },
): Promise<void> {
  if (!options.drafted) await draftFlow(ctx, result, id);
  await addTag(ctx, result, 'flow', id, ARCHIVED_TAG);
}

/** The old flow of a replace, once the new one has its status: deleted or archived per the plan. */
export async function retireFlow(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  retire: 'delete' | 'archive',
): Promise<void> {
  const oldId = resource.id!;
  if (retire === 'delete') await deleteObject(ctx, resource, result, oldId);
  else await addTag(ctx, result, 'flow', oldId, ARCHIVED_TAG);
}
