import { type QueryOptions } from '../query.js';
import { type CallOptions, type ResourceContext } from './context.js';
import type { Tag, TagGroup, TagGroupCreateAttributes } from './types.js';
/** The resources Klaviyo lets you tag (templates and images cannot be tagged). */
export type TaggableKind = 'flow' | 'segment' | 'list';
export declare class TagsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Tag, void, undefined>;
    /** Deletes a tag and its associations with flows, segments and lists. */
    delete(id: string, options?: CallOptions): Promise<void>;
    /** The tag with this exact name, in `groupId` when given. */
    findByName(name: string, opts?: CallOptions & {
        groupId?: string;
    }): Promise<Tag | undefined>;
    /** Finds or creates a tag by name, inside a tag group found or created by name when `groupName` is given. */
    ensure(name: string, opts?: CallOptions & {
        groupName?: string;
        groupExclusive?: boolean;
    }): Promise<{
        tag: Tag;
        created: boolean;
    }>;
    listGroups(query?: QueryOptions, options?: CallOptions): AsyncGenerator<TagGroup, void, undefined>;
    findGroupByName(name: string, options?: CallOptions): Promise<TagGroup | undefined>;
    ensureGroup(attributes: TagGroupCreateAttributes, options?: CallOptions): Promise<{
        group: TagGroup;
        created: boolean;
    }>;
    /** Adds a tag to flows, segments or lists (safe to repeat). */
    tag(tagId: string, kind: TaggableKind, ids: readonly string[], options?: CallOptions): Promise<void>;
    untag(tagId: string, kind: TaggableKind, ids: readonly string[], options?: CallOptions): Promise<void>;
    tagFlows(tagId: string, flowIds: readonly string[], options?: CallOptions): Promise<void>;
    untagFlows(tagId: string, flowIds: readonly string[], options?: CallOptions): Promise<void>;
    tagSegments(tagId: string, segmentIds: readonly string[], options?: CallOptions): Promise<void>;
    untagSegments(tagId: string, segmentIds: readonly string[], options?: CallOptions): Promise<void>;
    tagLists(tagId: string, listIds: readonly string[], options?: CallOptions): Promise<void>;
    untagLists(tagId: string, listIds: readonly string[], options?: CallOptions): Promise<void>;
    /** The tags on one flow, segment or list. */
    tagsOf(kind: TaggableKind, id: string, options?: CallOptions): Promise<Tag[]>;
    /** The ids of the flows, segments or lists carrying a tag. */
    idsFor(tagId: string, kind: TaggableKind, options?: CallOptions): Promise<string[]>;
    private relate;
}
