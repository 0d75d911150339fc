import type { components } from '../generated/openapi.js';
import { paginate, collect } from '../pagination.js';
import { filter, type QueryOptions } from '../query.js';
import {
  callOptions,
  chunk,
  deleteAt,
  firstMatch,
  reconcileDocument,
  seg,
  type CallOptions,
  type ResourceContext,
} from './context.js';
import type { ResourceIdentifier, Tag, TagGroup, TagGroupCreateAttributes } from './types.js';

type S = components['schemas'];

/** The resources Klaviyo lets you tag (templates and images cannot be tagged). */
export type TaggableKind = 'flow' | 'segment' | 'list';

const RELATIONSHIP: Record<TaggableKind, string> = { flow: 'flows', segment: 'segments', list: 'lists' };
const IDS_PER_REQUEST = 100;

function groupIdOf(tag: Tag): string | undefined {
  return (tag.relationships as { 'tag-group'?: { data?: { id?: string } } } | undefined)?.['tag-group']?.data
    ?.id;
}

export class TagsApi {
  constructor(private readonly ctx: ResourceContext) {}

  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Tag, void, undefined> {
    return paginate<Tag>(this.ctx.transport, '/api/tags', query, callOptions(options));
  }

  /** Deletes a tag and its associations with flows, segments and lists. */
  delete(id: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/tags/${seg(id)}`, options);
  }

  /** The tag with this exact name, in `groupId` when given. */
  findByName(name: string, opts: CallOptions & { groupId?: string } = {}): Promise<Tag | undefined> {
    return firstMatch(
      this.list({ filter: filter.equals('name', name), include: ['tag-group'] }, opts),
      (tag) =>
        tag.attributes.name === name && (opts.groupId === undefined || groupIdOf(tag) === opts.groupId),
    );
  }

  /** Finds or creates a tag by name, inside a tag group found or created by name when `groupName` is given. */
  async ensure(
    name: string,
    opts: CallOptions & { groupName?: string; groupExclusive?: boolean } = {},
  ): Promise<{ tag: Tag; created: boolean }> {
    const group =
      opts.groupName === undefined
        ? undefined
        : (await this.ensureGroup({ name: opts.groupName, exclusive: opts.groupExclusive ?? false }, opts))
            .group;
    const lookup = (): Promise<Tag | undefined> =>
      this.findByName(name, { ...callOptions(opts), ...(group ? { groupId: group.id } : {}) });
    const existing = await lookup();
    if (existing) return { tag: existing, created: false };
    const body: S['TagCreateQuery'] = {
      data: {
        type: 'tag',
        attributes: { name },
        ...(group ? { relationships: { 'tag-group': { data: { type: 'tag-group', id: group.id } } } } : {}),
      },
    };
    const doc = await this.ctx.transport.request<S['PostTagResponse']>({
      method: 'POST',
      path: '/api/tags',
      body,
      ...reconcileDocument(lookup),
      ...callOptions(opts),
    });
    return { tag: doc.data, created: true };
  }

  listGroups(query?: QueryOptions, options?: CallOptions): AsyncGenerator<TagGroup, void, undefined> {
    return paginate<TagGroup>(this.ctx.transport, '/api/tag-groups', query, callOptions(options));
  }

  findGroupByName(name: string, options?: CallOptions): Promise<TagGroup | undefined> {
    return firstMatch(
      this.listGroups({ filter: filter.equals('name', name) }, options),
      (group) => group.attributes.name === name,
    );
  }

  async ensureGroup(
    attributes: TagGroupCreateAttributes,
    options?: CallOptions,
  ): Promise<{ group: TagGroup; created: boolean }> {
    const lookup = (): Promise<TagGroup | undefined> => this.findGroupByName(attributes.name, options);
    const existing = await lookup();
    if (existing) return { group: existing, created: false };
    const doc = await this.ctx.transport.request<S['PostTagGroupResponse']>({
      method: 'POST',
      path: '/api/tag-groups',
      body: { data: { type: 'tag-group', attributes } } satisfies S['TagGroupCreateQuery'],
      ...reconcileDocument(lookup),
      ...callOptions(options),
    });
    return { group: doc.data, created: true };
  }

  /** Adds a tag to flows, segments or lists (safe to repeat). */
  async tag(tagId: string, kind: TaggableKind, ids: readonly string[], options?: CallOptions): Promise<void> {
    await this.relate('POST', tagId, kind, ids, options);
  }

  async untag(
    tagId: string,
    kind: TaggableKind,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<void> {
    await this.relate('DELETE', tagId, kind, ids, options);
  }

  tagFlows(tagId: string, flowIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.tag(tagId, 'flow', flowIds, options);
  }
  untagFlows(tagId: string, flowIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.untag(tagId, 'flow', flowIds, options);
  }
  tagSegments(tagId: string, segmentIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.tag(tagId, 'segment', segmentIds, options);
  }
  untagSegments(tagId: string, segmentIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.untag(tagId, 'segment', segmentIds, options);
  }
  tagLists(tagId: string, listIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.tag(tagId, 'list', listIds, options);
  }
  untagLists(tagId: string, listIds: readonly string[], options?: CallOptions): Promise<void> {
    return this.untag(tagId, 'list', listIds, options);
  }

  /** The tags on one flow, segment or list. */
  tagsOf(kind: TaggableKind, id: string, options?: CallOptions): Promise<Tag[]> {
    return collect(
      paginate<Tag>(
        this.ctx.transport,
        `/api/${RELATIONSHIP[kind]}/${seg(id)}/tags`,
        {},
        callOptions(options),
      ),
    );
  }

  /** The ids of the flows, segments or lists carrying a tag. */
  async idsFor(tagId: string, kind: TaggableKind, options?: CallOptions): Promise<string[]> {
    const items = await collect(
      paginate<ResourceIdentifier>(
        this.ctx.transport,
        `/api/tags/${seg(tagId)}/relationships/${RELATIONSHIP[kind]}`,
        {},
        callOptions(options),
      ),
    );
    return items.map((item) => item.id);
  }

  private async relate(
    method: 'POST' | 'DELETE',
    tagId: string,
    kind: TaggableKind,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<void> {
    for (const part of chunk(ids, IDS_PER_REQUEST)) {
      const body = { data: part.map((id) => ({ type: kind, id })) } as
        S['TagFlowOp'] | S['TagSegmentOp'] | S['TagListOp'];
      await this.ctx.transport.request<undefined>({
        method,
        path: `/api/tags/${seg(tagId)}/relationships/${RELATIONSHIP[kind]}`,
        body,
        ...callOptions(options),
      });
    }
  }
}
