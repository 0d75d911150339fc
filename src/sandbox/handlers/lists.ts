/** Lists and their members. Membership does not touch consent (that is bulk subscribe's job). */
import type { Handler, HandlerContext } from '../context.js';
import {
  identifierDocument,
  listDocument,
  listParam,
  relationship,
  selfLink,
  singleDocument,
  wantsAdditional,
  type Resource,
} from '../documents.js';
import { invalid } from '../errors.js';
import { ids } from '../ids.js';
import { bodyAttributes, identifierList, str } from '../json.js';
import type { ListRecord } from '../store.js';
import { assertBodyId, found, freshId, pathId, union } from './common.js';
import { profileListDocument } from './profiles.js';
import { tagResource, tagsOf, untagEverywhere } from './tags.js';

export function listResource(list: ListRecord, ctx: HandlerContext, withCount = false): Resource {
  const tags = tagsOf(ctx.account, 'lists', list.id).map((t) => ({ type: 'tag', id: t.id }));
  return {
    type: 'list',
    id: list.id,
    attributes: {
      name: list.name,
      created: list.created,
      updated: list.updated,
      opt_in_process: list.opt_in_process,
      ...(withCount ? { profile_count: list.profileIds.length } : {}),
    },
    relationships: {
      profiles: relationship(ctx.baseUrl, 'lists', list.id, 'profiles', undefined),
      tags: relationship(ctx.baseUrl, 'lists', list.id, 'tags', tags),
      'flow-triggers': relationship(ctx.baseUrl, 'lists', list.id, 'flow-triggers', undefined),
    },
    links: { self: selfLink(ctx.baseUrl, 'lists', list.id) },
  };
}

function includedTags(ctx: HandlerContext, page: Resource[], include: string[]): Resource[] {
  if (!include.includes('tags')) return [];
  return page.flatMap((r) => tagsOf(ctx.account, 'lists', r.id).map((t) => tagResource(t, ctx)));
}

function memberIds(ctx: HandlerContext, body: unknown): string[] {
  return identifierList(body).map((member, i) => {
    if (!(member.id in ctx.account.profiles))
      throw invalid(`The profile with id '${member.id}' does not exist.`, { pointer: `/data/${i}/id` });
    return member.id;
  });
}

export const listHandlers: Record<string, Handler> = {
  get_lists: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.lists).map((l) => listResource(l, ctx)),
      { includer: (page, include) => includedTags(ctx, page, include) },
    ),
  }),

  get_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    const resource = listResource(list, ctx, wantsAdditional(req.url, 'list', 'profile_count'));
    const include = listParam(req.url, 'include');
    return {
      status: 200,
      body: singleDocument(
        req,
        resource,
        include.length ? includedTags(ctx, [resource], include) : undefined,
      ),
    };
  },

  create_list: (req, ctx) => {
    const a = bodyAttributes(req.body);
    const id = freshId(ctx.account.lists, ids.short);
    const list: ListRecord = {
      id,
      name: String(a.name),
      opt_in_process: str(a.opt_in_process) ?? 'single_opt_in',
      profileIds: [],
      created: ctx.now,
      updated: ctx.now,
    };
    ctx.account.lists[id] = list;
    return { status: 201, body: singleDocument(req, listResource(list, ctx)) };
  },

  update_list: (req, ctx) => {
    assertBodyId(req);
    const list = found(ctx.account.lists, pathId(req), 'list');
    const a = bodyAttributes(req.body);
    if (typeof a.name === 'string') list.name = a.name;
    if (typeof a.opt_in_process === 'string') list.opt_in_process = a.opt_in_process;
    list.updated = ctx.now;
    return { status: 200, body: singleDocument(req, listResource(list, ctx)) };
  },

  delete_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    delete ctx.account.lists[list.id];
    untagEverywhere(ctx.account, 'lists', list.id);
    return { status: 204 };
  },

  add_profiles_to_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    list.profileIds = union(list.profileIds, memberIds(ctx, req.body));
    return { status: 204 };
  },

  remove_profiles_from_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    const removed = new Set(memberIds(ctx, req.body));
    list.profileIds = list.profileIds.filter((id) => !removed.has(id));
    return { status: 204 };
  },

  get_profiles_for_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    return { status: 200, body: profileListDocument(req, ctx, list.profileIds) };
  },

  get_profile_ids_for_list: (req, ctx) => {
    const list = found(ctx.account.lists, pathId(req), 'list');
    return {
      status: 200,
      body: identifierDocument(
        req,
        list.profileIds.map((id) => ({ type: 'profile', id })),
      ),
    };
  },
};
