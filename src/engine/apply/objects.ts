/**
 * Writes of lists, segments and templates, and what every kind shares: tagging, archiving and deleting.
 * Each function is one resource's part of apply; `act` records every Klaviyo call it makes.
 */
import { KlaviyoNotFoundError, type TaggableKind } from '../../klaviyo/index.js';
import { ARCHIVED_TAG, desiredTags, embedArchivedTemplateMarker } from '../markers.js';
import {
  isObjectKind,
  type BodyOf,
  type FieldChange,
  type ObjectKind,
  type ResourceKind,
  type ResourcePlan,
} from '../plan.js';
import { act, knownIds, remoteObject, type ApplyContext, type ResourceResult } from './context.js';
import { resolvePlaceholders } from './placeholders.js';
import { findNewList, findNewSegment, findNewTemplate } from './reconcile.js';
import { tagOperation } from './tags.js';

/** An object apply was about to delete is protected (prevent_destroy): refused whatever the plan says. */
export class ProtectedObjectError extends Error {
  override readonly name = 'ProtectedObjectError';
  constructor(kind: ResourceKind, key: string, id: string) {
    super(`${kind} ${key} (${id}) is protected by prevent_destroy: not deleted`);
  }
}

export function call(ctx: ApplyContext): { signal?: AbortSignal } {
  return ctx.signal ? { signal: ctx.signal } : {};
}

export function resolve<T>(ctx: ApplyContext, value: T): T {
  return resolvePlaceholders(value, (ref) => ctx.ids.get(ref));
}

/**
 * The reconcile hook of a create: looks the object up by its marker. A create that timed out may still be on its
 * way in (the server had the request, the answer was late), so one miss is not proof that it never arrived: the
 * lookup is repeated after `settleMs` and `2 * settleMs` before the client may send the create again. Also marks
 * the action as `reconciled` in the log when the lookup found it.
 */
export function reconciler<T>(
  ctx: ApplyContext,
  find: () => Promise<T | undefined>,
): {
  reconcile: () => Promise<T | undefined>;
  wasReconciled: () => boolean;
} {
  let reconciled = false;
  return {
    reconcile: async () => {
      let found = await find();
      for (let wait = 1; found === undefined && wait <= 2; wait += 1) {
        await ctx.sleep(ctx.settleMs * wait);
        found = await find();
      }
      if (found !== undefined) reconciled = true;
      return found;
    },
    wasReconciled: () => reconciled,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tags

export async function addTag(
  ctx: ApplyContext,
  result: ResourceResult,
  kind: TaggableKind,
  id: string,
  tag: string,
): Promise<void> {
  const tagId = await ctx.tags.tagId(tag);
  await act(ctx, result, tagOperation(kind, true), { id }, () =>
    ctx.client.tags.tag(tagId, kind, [id], call(ctx)),
  );
}

async function removeTag(
  ctx: ApplyContext,
  result: ResourceResult,
  kind: TaggableKind,
  id: string,
  tag: string,
): Promise<void> {
  const tagId = await ctx.tags.tagId(tag);
  await act(ctx, result, tagOperation(kind, false), { id }, () =>
    ctx.client.tags.untag(tagId, kind, [id], call(ctx)),
  );
}

/** The ownership tag (and prevent-destroy when protected) on a new object. */
export async function tagNew(
  ctx: ApplyContext,
  result: ResourceResult,
  kind: TaggableKind,
  id: string,
  preventDestroy: boolean,
): Promise<void> {
  await Promise.all(desiredTags(preventDestroy).map((tag) => addTag(ctx, result, kind, id, tag)));
}

/** Brings our tags from the plan's `tags` change `before` to `after`. */
export async function applyTagChange(
  ctx: ApplyContext,
  result: ResourceResult,
  kind: TaggableKind,
  id: string,
  changes: readonly FieldChange[],
): Promise<void> {
  const change = changes.find((c) => c.path === 'tags');
  if (!change) return;
  const before = Array.isArray(change.before) ? change.before.map(String) : [];
  const after = Array.isArray(change.after) ? change.after.map(String) : [];
  await Promise.all([
    ...after.filter((t) => !before.includes(t)).map((t) => addTag(ctx, result, kind, id, t)),
    ...before.filter((t) => !after.includes(t)).map((t) => removeTag(ctx, result, kind, id, t)),
  ]);
}

function changed(changes: readonly FieldChange[], path: string): boolean {
  return changes.some((c) => c.path === path);
}

// ---------------------------------------------------------------------------------------------------------
// Lists

export async function createList(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'list'>,
): Promise<void> {
  const lookup = reconciler(ctx, () =>
    findNewList(ctx.client, {
      name: body.klaviyoName,
      key: resource.key,
      known: knownIds(ctx.remote, 'list'),
      ...call(ctx),
    }),
  );
  const list = await act(
    ctx,
    result,
    'create_list',
    { idOf: (value) => value.id },
    () =>
      ctx.client.lists.create(
        { data: { type: 'list', attributes: { name: body.klaviyoName } } },
        { ...call(ctx), reconcile: lookup.reconcile },
      ),
    () => (lookup.wasReconciled() ? 'reconciled' : 'ok'),
  );
  ctx.ids.set(`list:${resource.key}`, list.id);
  result.id = list.id;
  await tagNew(ctx, result, 'list', list.id, body.preventDestroy);
}

export async function updateList(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'list'>,
  changes: readonly FieldChange[],
): Promise<void> {
  const id = resource.id!;
  if (changed(changes, 'name')) {
    await act(ctx, result, 'update_list', { id }, () =>
      ctx.client.lists.update(id, { name: body.klaviyoName }, call(ctx)),
    );
  }
  await applyTagChange(ctx, result, 'list', id, changes);
}

// ---------------------------------------------------------------------------------------------------------
// Segments

export async function createSegment(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'segment'>,
): Promise<void> {
  const definition = resolve(ctx, body.definition);
  const lookup = reconciler(ctx, () =>
    findNewSegment(ctx.client, {
      name: body.klaviyoName,
      key: resource.key,
      known: knownIds(ctx.remote, 'segment'),
      ...call(ctx),
    }),
  );
  const segment = await act(
    ctx,
    result,
    'create_segment',
    { idOf: (value) => value.id },
    () =>
      ctx.client.segments.create(
        {
          data: {
            type: 'segment',
            attributes: {
              name: body.klaviyoName,
              definition: definition as never,
              is_starred: body.isStarred,
            },
          },
        },
        { ...call(ctx), reconcile: lookup.reconcile },
      ),
    () => (lookup.wasReconciled() ? 'reconciled' : 'ok'),
  );
  ctx.ids.set(`segment:${resource.key}`, segment.id);
  result.id = segment.id;
  await tagNew(ctx, result, 'segment', segment.id, body.preventDestroy);
}

export async function updateSegment(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'segment'>,
  changes: readonly FieldChange[],
): Promise<void> {
  const id = resource.id!;
  const attributes = {
    ...(changed(changes, 'name') ? { name: body.klaviyoName } : {}),
    // An update replaces the whole definition: always the complete desired one.
    ...(changed(changes, 'definition') ? { definition: resolve(ctx, body.definition) as never } : {}),
    ...(changed(changes, 'isStarred') ? { is_starred: body.isStarred } : {}),
  };
  if (Object.keys(attributes).length > 0) {
    await act(ctx, result, 'update_segment', { id }, () =>
      ctx.client.segments.update(id, attributes, call(ctx)),
    );
  }
  await applyTagChange(ctx, result, 'segment', id, changes);
}

// ---------------------------------------------------------------------------------------------------------
// Templates

export async function createTemplate(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'template'>,
): Promise<void> {
  const lookup = reconciler(ctx, () =>
    findNewTemplate(ctx.client, {
      name: body.name,
      key: resource.key,
      known: knownIds(ctx.remote, 'template'),
      ...call(ctx),
    }),
  );
  const template = await act(
    ctx,
    result,
    'create_template',
    { idOf: (value) => value.id },
    () =>
      ctx.client.templates.create(
        {
          data: {
            type: 'template',
            attributes: { name: body.name, editor_type: 'CODE', html: body.html, text: body.text },
          },
        },
        { ...call(ctx), reconcile: lookup.reconcile },
      ),
    () => (lookup.wasReconciled() ? 'reconciled' : 'ok'),
  );
  ctx.ids.set(`template:${resource.key}`, template.id);
  result.id = template.id;
}

export async function updateTemplate(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  body: BodyOf<'template'>,
): Promise<void> {
  const id = resource.id!;
  await act(ctx, result, 'update_template', { id }, () =>
    ctx.client.templates.update(id, { name: body.name, html: body.html, text: body.text }, call(ctx)),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Archive and delete (every kind but flows' own steps, see flows.ts)

/** Detaches a list, segment or template: kept in Klaviyo, ignored from now on, its key free. */
export async function archiveObject(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
): Promise<void> {
  const id = resource.id!;
  if (resource.kind === 'template') {
    const remote = remoteObject(ctx.remote, 'template', id);
    const html = remote?.kind === 'template' ? remote.html : '';
    await act(ctx, result, 'update_template', { id }, () =>
      ctx.client.templates.update(id, { html: embedArchivedTemplateMarker(html, resource.key) }, call(ctx)),
    );
    return;
  }
  if (resource.kind === 'flow') throw new Error('flows are archived by archiveFlow');
  if (resource.kind === 'mapped-metric') throw new Error('a mapped metric is never archived');
  await addTag(ctx, result, resource.kind, id, ARCHIVED_TAG);
}

/** Whether the account's copy of an object says it is protected (markers: tag or template comment). */
export function isProtectedRemotely(ctx: ApplyContext, kind: ObjectKind, id: string): boolean {
  const remote = remoteObject(ctx.remote, kind, id);
  if (!remote) return false;
  const ownership = remote.ownership;
  return (ownership.type === 'managed' || ownership.type === 'tagged') && ownership.preventDestroy;
}

/** Deletes an object; one that is already gone counts as done (a lost answer to an earlier delete). */
export async function deleteObject(
  ctx: ApplyContext,
  resource: ResourcePlan,
  result: ResourceResult,
  id = resource.id!,
): Promise<void> {
  if (!ctx.allowDestroy) throw new Error(`${resource.kind} ${resource.key}: deleting needs --allow-destroy`);
  if (!isObjectKind(resource.kind)) throw new Error(`${resource.kind} ${resource.key} is never deleted`);
  if (isProtectedRemotely(ctx, resource.kind, id))
    throw new ProtectedObjectError(resource.kind, resource.key, id);
  const api = {
    list: ctx.client.lists,
    segment: ctx.client.segments,
    template: ctx.client.templates,
    flow: ctx.client.flows,
  }[resource.kind];
  let gone = false;
  await act(
    ctx,
    result,
    `delete_${resource.kind}`,
    { id },
    async () => {
      try {
        await api.delete(id, call(ctx));
      } catch (error) {
        if (!(error instanceof KlaviyoNotFoundError)) throw error;
        gone = true;
      }
    },
    () => (gone ? 'already-done' : 'ok'),
  );
}
