import type { QueryOptions } from '../query.js';
import { type CallOptions, type CreateOptions, type ResourceContext } from './context.js';
import type { Segment, SegmentCreateBody, SegmentDetails, SegmentMember, SegmentUpdateAttributes } from './types.js';
export declare class SegmentsApi {
    private readonly ctx;
    constructor(ctx: ResourceContext);
    /** Segments with their definitions (`definition.condition_groups` is part of the default fieldset). */
    list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Segment, void, undefined>;
    /** One segment. `profileCount: true` adds the member count, at a much lower rate limit (1/s, 15/m). */
    get(id: string, opts?: CallOptions & {
        profileCount?: boolean;
    }): Promise<SegmentDetails>;
    /** How many profiles the segment holds now (Klaviyo recomputes it as profiles change; 1/s, 15/m). */
    profileCount(id: string, options?: CallOptions): Promise<number>;
    findByName(name: string, options?: CallOptions): Promise<Segment | undefined>;
    /** Creates a segment (1/s, 15/m, 100/day). */
    create(body: SegmentCreateBody, options?: CreateOptions<Segment>): Promise<Segment>;
    /** Updates a segment (1/s, 15/m, 100/day); a new `definition` replaces the whole definition. */
    update(id: string, attributes: SegmentUpdateAttributes, options?: CallOptions): Promise<Segment>;
    delete(id: string, options?: CallOptions): Promise<void>;
    /** The segment's profiles, 100 per page (`query.pageSize` for fewer), following Klaviyo's cursors. */
    listProfiles(segmentId: string, query?: QueryOptions, options?: CallOptions): AsyncGenerator<SegmentMember, void, undefined>;
}
