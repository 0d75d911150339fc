/**
 * A brand plan as a dependency graph of tasks (see schedule.ts):
 *
 *   write:<kind>:<key>    create or update (flows: create, or step PATCHes); after the writes of every object
 *                         its body references (a flow after its templates, lists and segments; a segment after
 *                         the lists and segments it names), so a template change reaches the flow emails that
 *                         copy it, and placeholders of new objects resolve.
 *   draft:flow:<id>       an old flow to draft: the replaced one (after its successor exists), or a superseded
 *                         duplicate left by an interrupted replace (at once).
 *   status:flow:<key>     the flow's desired status, after its own writes (a status PATCH cascades to the
 *                         actions; a step PATCH would undo it) and after every old copy of it is in draft.
 *   retire:flow:<id>      the replaced flow deleted or archived, once its successor has its status.
 *   remove:<kind>:<id>    deletes and archives, after every write, flows first and lists last (a flow is
 *                         retired before the template or list it used).
 */
import type { ResourceKind } from '../plan.js';
import { RESOURCE_KINDS } from '../plan.js';
import type { ApplyContext, ResourceResult } from './context.js';
import { archiveFlow, createFlow, draftFlow, retireFlow, setFlowStatus, updateFlowSteps } from './flows.js';
import {
  applyTagChange,
  archiveObject,
  createList,
  createSegment,
  createTemplate,
  deleteObject,
  updateList,
  updateSegment,
  updateTemplate,
} from './objects.js';
import { mapMetric } from './mapped-metrics.js';
import { referencedObjects } from './placeholders.js';
import type { Task } from './schedule.js';

export interface PlannedTasks {
  tasks: Task[];
  /** The task ids of each resource (by its index in the plan). */
  owners: Map<string, number>;
}

export function buildTasks(ctx: ApplyContext, results: readonly ResourceResult[]): PlannedTasks {
  const resources = ctx.plan.resources;
  const tasks: Task[] = [];
  const owners = new Map<string, number>();
  const add = (index: number, id: string, deps: string[], run: () => Promise<void>): void => {
    tasks.push({ id, deps, ...(resources[index]!.kind === 'template' ? { bulk: true } : {}), run });
    owners.set(id, index);
  };
  const writeId = (kind: ResourceKind, key: string): string => `write:${kind}:${key}`;
  const writes = new Set<string>();
  resources.forEach((r) => {
    const t = r.action.type;
    if (t === 'create' || t === 'update' || t === 'replace') writes.add(writeId(r.kind, r.key));
  });
  const depsOf = (body: unknown): string[] =>
    referencedObjects(body)
      .map((ref) => `write:${ref}`)
      .filter((id) => writes.has(id));

  // Old copies of a flow that must be in draft before that flow's status is set.
  const draftsByKey = new Map<string, string[]>();
  const drafted = new Set<string>();
  const noteDraft = (key: string, taskId: string): void => {
    draftsByKey.set(key, [...(draftsByKey.get(key) ?? []), taskId]);
  };
  resources.forEach((r, index) => {
    const action = r.action;
    if (r.kind !== 'flow' || r.id === undefined) return;
    const isSuperseded = action.type === 'orphan' && action.reason === 'superseded';
    if (isSuperseded) {
      const id = `draft:flow:${r.id}`;
      add(index, id, [], () => draftFlow(ctx, results[index]!, r.id!));
      drafted.add(r.id);
      noteDraft(r.key, id);
    } else if (action.type === 'replace') {
      const id = `draft:flow:${r.id}`;
      add(index, id, [writeId('flow', r.key)], () => draftFlow(ctx, results[index]!, r.id!));
      noteDraft(r.key, id);
    }
  });

  resources.forEach((r, index) => {
    const result = results[index]!;
    const action = r.action;
    const write = writeId(r.kind, r.key);
    switch (action.type) {
      case 'create': {
        const body = action.desired;
        add(index, write, depsOf(body), async () => {
          if (body.kind === 'list') await createList(ctx, r, result, body);
          else if (body.kind === 'segment') await createSegment(ctx, r, result, body);
          else if (body.kind === 'template') await createTemplate(ctx, r, result, body);
          else if (body.kind === 'mapped-metric') await mapMetric(ctx, r, result, body);
          else await createFlow(ctx, r, result, body);
        });
        if (body.kind === 'flow' && body.status !== 'draft') {
          const status = `status:flow:${r.key}`;
          add(index, status, [write, ...(draftsByKey.get(r.key) ?? [])], () =>
            setFlowStatus(ctx, result, ctx.ids.get(`flow:${r.key}`)!, body.status),
          );
        }
        break;
      }
      case 'update': {
        const body = action.desired;
        const deps = body.kind === 'flow' ? depsOf(action.steps.map((s) => s.definition)) : depsOf(body);
        add(index, write, deps, async () => {
          if (body.kind === 'list') await updateList(ctx, r, result, body, action.changes);
          else if (body.kind === 'segment') await updateSegment(ctx, r, result, body, action.changes);
          else if (body.kind === 'template') await updateTemplate(ctx, r, result, body);
          else if (body.kind === 'mapped-metric') await mapMetric(ctx, r, result, body);
          else {
            await updateFlowSteps(ctx, result, action.steps);
            await applyTagChange(ctx, result, 'flow', r.id!, action.changes);
          }
        });
        if (body.kind === 'flow' && action.changes.some((c) => c.path === 'status')) {
          const status = `status:flow:${r.key}`;
          add(index, status, [write, ...(draftsByKey.get(r.key) ?? [])], () =>
            setFlowStatus(ctx, result, r.id!, body.status),
          );
        }
        break;
      }
      case 'replace': {
        const body = action.desired;
        if (body.kind !== 'flow') throw new Error(`${r.kind} ${r.key}: only flows are replaced`);
        result.previousId = r.id;
        add(index, write, depsOf(body), async () => {
          await createFlow(ctx, r, result, body);
        });
        const status = `status:flow:${r.key}`;
        add(index, status, [write, ...(draftsByKey.get(r.key) ?? [])], async () => {
          if (body.status !== 'draft')
            await setFlowStatus(ctx, result, ctx.ids.get(`flow:${r.key}`)!, body.status);
        });
        add(index, `retire:flow:${r.id}`, [status], () => retireFlow(ctx, r, result, action.retire));
        break;
      }
      default:
        break;
    }
  });

  // Deletes and archives: after every write, in reverse dependency order of kinds.
  const barrier = tasks.map((t) => t.id);
  let previousKinds: string[] = [];
  for (const kind of [...RESOURCE_KINDS].reverse()) {
    const ofKind: string[] = [];
    resources.forEach((r, index) => {
      if (r.kind !== kind || r.id === undefined) return;
      const action = r.action;
      const result = results[index]!;
      const id = `remove:${kind}:${r.id}`;
      if (action.type === 'delete') {
        add(index, id, [...barrier, ...previousKinds], () => deleteObject(ctx, r, result));
      } else if (action.type === 'orphan' && action.policy === 'archive') {
        add(index, id, [...barrier, ...previousKinds], () =>
          kind !== 'flow'
            ? archiveObject(ctx, r, result)
            : archiveFlow(ctx, result, r.id!, { drafted: drafted.has(r.id!) }),
        );
      } else return;
      ofKind.push(id);
    });
    previousKinds = [...previousKinds, ...ofKind];
  }
  return { tasks, owners };
}
