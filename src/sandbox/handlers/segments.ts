/** Segments: the definition is replaced whole on update; membership is computed on read (../segment-membership.ts). */
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
import { bodyAttributes, clone, obj } from '../json.js';
import { checkReferences } from '../references.js';
import { segmentMembers } from '../segment-membership.js';
import type { SegmentRecord } from '../store.js';
import { assertBodyId, found, freshId, pathId } from './common.js';
import { profileListDocument } from './profiles.js';
import { tagResource, tagsOf, untagEverywhere } from './tags.js';

export function segmentResource(s: SegmentRecord, ctx: HandlerContext, withCount = false): Resource {
  const tags = tagsOf(ctx.account, 'segments', s.id).map((t) => ({ type: 'tag', id: t.id }));
  return {
    type: 'segment',
    id: s.id,
    attributes: {
      name: s.name,
      definition: s.definition,
      created: s.created,
      updated: s.updated,
      is_active: s.is_active,
      is_processing: false,
      is_starred: s.is_starred,
      ...(withCount ? { profile_count: segmentMembers(ctx.account, s.id, ctx.nowMs).length } : {}),
    },
    relationships: {
      profiles: relationship(ctx.baseUrl, 'segments', s.id, 'profiles', undefined),
      tags: relationship(ctx.baseUrl, 'segments', s.id, 'tags', tags),
      'flow-triggers': relationship(ctx.baseUrl, 'segments', s.id, 'flow-triggers', undefined),
    },
    links: { self: selfLink(ctx.baseUrl, 'segments', s.id) },
  };
}

function includedTags(ctx: HandlerContext, page: Resource[], include: string[]): Resource[] {
  if (!include.includes('tags')) return [];
  return page.flatMap((r) => tagsOf(ctx.account, 'segments', r.id).map((t) => tagResource(t, ctx)));
}

export const segmentHandlers: Record<string, Handler> = {
  get_segments: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.segments).map((s) => segmentResource(s, ctx)),
      { includer: (page, include) => includedTags(ctx, page, include) },
    ),
  }),

  get_segment: (req, ctx) => {
    const s = found(ctx.account.segments, pathId(req), 'segment');
    const resource = segmentResource(s, ctx, wantsAdditional(req.url, 'segment', 'profile_count'));
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

  create_segment: (req, ctx) => {
    const a = bodyAttributes(req.body);
    checkReferences(ctx.account, a.definition, '/data/attributes/definition');
    const id = freshId(ctx.account.segments, ids.short);
    const segment: SegmentRecord = {
      id,
      name: String(a.name),
      definition: clone(obj(a.definition)),
      is_active: true,
      is_starred: a.is_starred === true,
      created: ctx.now,
      updated: ctx.now,
    };
    ctx.account.segments[id] = segment;
    return { status: 201, body: singleDocument(req, segmentResource(segment, ctx)) };
  },

  update_segment: (req, ctx) => {
    assertBodyId(req);
    const s = found(ctx.account.segments, pathId(req), 'segment');
    const a = bodyAttributes(req.body);
    if (a.is_active === false && Object.keys(a).length > 1)
      throw invalid(
        'When deactivating a segment, is_active must be the only attribute in the request body.',
        {
          pointer: '/data/attributes/is_active',
        },
      );
    if (a.definition != null) {
      checkReferences(ctx.account, a.definition, '/data/attributes/definition');
      s.definition = clone(obj(a.definition));
    }
    if (typeof a.name === 'string') s.name = a.name;
    if (typeof a.is_starred === 'boolean') s.is_starred = a.is_starred;
    if (typeof a.is_active === 'boolean') s.is_active = a.is_active;
    s.updated = ctx.now;
    return { status: 200, body: singleDocument(req, segmentResource(s, ctx)) };
  },

  delete_segment: (req, ctx) => {
    const s = found(ctx.account.segments, pathId(req), 'segment');
    delete ctx.account.segments[s.id];
    untagEverywhere(ctx.account, 'segments', s.id);
    return { status: 204 };
  },

  get_profiles_for_segment: (req, ctx) => {
    const s = found(ctx.account.segments, pathId(req), 'segment');
    return { status: 200, body: profileListDocument(req, ctx, segmentMembers(ctx.account, s.id, ctx.nowMs)) };
  },

  get_profile_ids_for_segment: (req, ctx) => {
    const s = found(ctx.account.segments, pathId(req), 'segment');
    const members = segmentMembers(ctx.account, s.id, ctx.nowMs);
    return {
      status: 200,
      body: identifierDocument(
        req,
        members.map((id) => ({ type: 'profile', id })),
      ),
    };
  },
};
