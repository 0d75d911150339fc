/** Tags and tag groups, and tagging flows, segments and lists (the tool's ownership marker). */
import type { Handler, HandlerContext, SandboxRequest } from '../context.js';
import {
  identifierDocument,
  listDocument,
  relationship,
  selfLink,
  singleDocument,
  type Resource,
} from '../documents.js';
import { conflict, invalid } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, bodyData, getPath, identifierList, str } from '../json.js';
import type { AccountState, TagGroupRecord, TagRecord } from '../store.js';
import { found, freshId, pathId, union } from './common.js';

const MAX_TAGS = 500;
const MAX_TAG_GROUPS = 50;
const MAX_TAGS_PER_RESOURCE = 100;

export type TaggableKind = 'flows' | 'segments' | 'lists';

export function tagResource(tag: TagRecord, ctx: HandlerContext): Resource {
  return {
    type: 'tag',
    id: tag.id,
    attributes: { name: tag.name },
    relationships: {
      'tag-group': relationship(ctx.baseUrl, 'tags', tag.id, 'tag-group', {
        type: 'tag-group',
        id: tag.tagGroupId,
      }),
    },
    links: { self: selfLink(ctx.baseUrl, 'tags', tag.id) },
  };
}

function tagGroupResource(group: TagGroupRecord, ctx: HandlerContext): Resource {
  return {
    type: 'tag-group',
    id: group.id,
    attributes: { name: group.name, exclusive: group.exclusive, default: group.default },
    links: { self: selfLink(ctx.baseUrl, 'tag-groups', group.id) },
  };
}

export function tagsOf(account: AccountState, kind: TaggableKind, id: string): TagRecord[] {
  return Object.values(account.tags).filter((tag) => tag[kind].includes(id));
}

/** Deleting a flow, list or segment drops it from every tag. */
export function untagEverywhere(account: AccountState, kind: TaggableKind, id: string): void {
  for (const tag of Object.values(account.tags)) tag[kind] = tag[kind].filter((x) => x !== id);
}

const KIND_TYPE: Record<TaggableKind, string> = { flows: 'flow', segments: 'segment', lists: 'list' };

function tagOp(kind: TaggableKind, add: boolean): Handler {
  return (req, ctx) => {
    const tag = found(ctx.account.tags, pathId(req), 'tag');
    const targets = identifierList(req.body);
    targets.forEach((target, i) => {
      if (!(target.id in ctx.account[kind]))
        throw invalid(`The ${KIND_TYPE[kind]} with id '${target.id}' does not exist.`, {
          pointer: `/data/${i}/id`,
        });
    });
    const targetIds = targets.map((t) => t.id);
    if (!add) {
      tag[kind] = tag[kind].filter((id) => !targetIds.includes(id));
      return { status: 204 };
    }
    const group = ctx.account.tagGroups[tag.tagGroupId];
    targets.forEach((target, i) => {
      const current = tagsOf(ctx.account, kind, target.id);
      if (group?.exclusive)
        for (const other of current.filter((t) => t.tagGroupId === group.id && t.id !== tag.id))
          other[kind] = other[kind].filter((x) => x !== target.id);
      else if (!current.includes(tag) && current.length >= MAX_TAGS_PER_RESOURCE)
        throw invalid(`A ${KIND_TYPE[kind]} can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, {
          pointer: `/data/${i}/id`,
        });
    });
    tag[kind] = union(tag[kind], targetIds);
    return { status: 204 };
  };
}

function idsForTag(kind: TaggableKind): Handler {
  return (req, ctx) => {
    const tag = found(ctx.account.tags, pathId(req), 'tag');
    return {
      status: 200,
      body: identifierDocument(
        req,
        tag[kind].map((id) => ({ type: KIND_TYPE[kind], id })),
      ),
    };
  };
}

function tagsFor(kind: TaggableKind, idsOnly: boolean): Handler {
  return (req: SandboxRequest, ctx) => {
    const id = pathId(req);
    found<unknown>(ctx.account[kind], id, KIND_TYPE[kind]);
    const tags = tagsOf(ctx.account, kind, id);
    if (idsOnly)
      return {
        status: 200,
        body: identifierDocument(
          req,
          tags.map((t) => ({ type: 'tag', id: t.id })),
        ),
      };
    return {
      status: 200,
      body: listDocument(
        req,
        tags.map((t) => tagResource(t, ctx)),
      ),
    };
  };
}

function defaultGroup(account: AccountState): TagGroupRecord {
  const existing = Object.values(account.tagGroups).find((g) => g.default);
  if (existing) return existing;
  const id = ids.uuid();
  return (account.tagGroups[id] = { id, name: 'Default', exclusive: false, default: true });
}

export const tagHandlers: Record<string, Handler> = {
  get_tags: (req, ctx) => {
    const all = Object.values(ctx.account.tags).map((t) => tagResource(t, ctx));
    return {
      status: 200,
      body: listDocument(req, all, {
        includer: (page, include) =>
          include.includes('tag-group')
            ? page.flatMap((r) => {
                const group = ctx.account.tagGroups[ctx.account.tags[r.id]?.tagGroupId ?? ''];
                return group ? [tagGroupResource(group, ctx)] : [];
              })
            : [],
      }),
    };
  },

  get_tag: (req, ctx) => ({
    status: 200,
    body: singleDocument(req, tagResource(found(ctx.account.tags, pathId(req), 'tag'), ctx)),
  }),

  create_tag: (req, ctx) => {
    const name = String(bodyAttributes(req.body).name);
    const groupId = str(getPath(bodyData(req.body), 'relationships.tag-group.data.id'));
    if (Object.keys(ctx.account.tags).length >= MAX_TAGS)
      throw invalid(`An account can have at most ${MAX_TAGS} tags.`, { pointer: '/data' });
    let group: TagGroupRecord;
    if (groupId !== undefined) {
      const named = ctx.account.tagGroups[groupId];
      if (!named)
        throw invalid(`The tag-group with id '${groupId}' does not exist.`, {
          pointer: '/data/relationships/tag-group/data/id',
        });
      group = named;
    } else group = defaultGroup(ctx.account);
    if (Object.values(ctx.account.tags).some((t) => t.name === name && t.tagGroupId === group.id))
      throw conflict(`A tag named '${name}' already exists in the tag group '${group.name}'.`, {
        pointer: '/data/attributes/name',
      });
    const id = freshId(ctx.account.tags, ids.uuid);
    const tag: TagRecord = {
      id,
      name,
      tagGroupId: group.id,
      flows: [],
      segments: [],
      lists: [],
      campaigns: [],
    };
    ctx.account.tags[id] = tag;
    return { status: 201, body: singleDocument(req, tagResource(tag, ctx)) };
  },

  delete_tag: (req, ctx) => {
    const tag = found(ctx.account.tags, pathId(req), 'tag');
    delete ctx.account.tags[tag.id];
    return { status: 204 };
  },

  get_tag_groups: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.tagGroups).map((g) => tagGroupResource(g, ctx)),
    ),
  }),

  get_tag_group: (req, ctx) => ({
    status: 200,
    body: singleDocument(req, tagGroupResource(found(ctx.account.tagGroups, pathId(req), 'tag-group'), ctx)),
  }),

  create_tag_group: (req, ctx) => {
    const a = bodyAttributes(req.body);
    if (Object.keys(ctx.account.tagGroups).length >= MAX_TAG_GROUPS)
      throw invalid(`An account can have at most ${MAX_TAG_GROUPS} tag groups.`, { pointer: '/data' });
    const name = String(a.name);
    if (Object.values(ctx.account.tagGroups).some((g) => g.name === name))
      throw conflict(`A tag group named '${name}' already exists.`, { pointer: '/data/attributes/name' });
    const id = freshId(ctx.account.tagGroups, ids.uuid);
    const group: TagGroupRecord = { id, name, exclusive: a.exclusive === true, default: false };
    ctx.account.tagGroups[id] = group;
    return { status: 201, body: singleDocument(req, tagGroupResource(group, ctx)) };
  },

  tag_flows: tagOp('flows', true),
  tag_segments: tagOp('segments', true),
  tag_lists: tagOp('lists', true),
  remove_tag_from_flows: tagOp('flows', false),
  remove_tag_from_segments: tagOp('segments', false),
  remove_tag_from_lists: tagOp('lists', false),
  get_flow_ids_for_tag: idsForTag('flows'),
  get_segment_ids_for_tag: idsForTag('segments'),
  get_list_ids_for_tag: idsForTag('lists'),
  get_tags_for_flow: tagsFor('flows', false),
  get_tags_for_segment: tagsFor('segments', false),
  get_tags_for_list: tagsFor('lists', false),
  get_tag_ids_for_flow: tagsFor('flows', true),
  get_tag_ids_for_segment: tagsFor('segments', true),
  get_tag_ids_for_list: tagsFor('lists', true),
};
