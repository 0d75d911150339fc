import type { components } from '../generated/openapi.js';
import { paginate } from '../pagination.js';
import type { QueryOptions } from '../query.js';
import {
  type CallOptions,
  callOptions,
  type CreateOptions,
  deleteAt,
  findNamed,
  reconcileDocument,
  resolveReconcile,
  type ResourceContext,
  seg,
} from './context.js';
import type {
  Segment,
  SegmentCreateBody,
  SegmentDetails,
  SegmentMember,
  SegmentUpdateAttributes,
} from './types.js';

type S = components['schemas'];

export class SegmentsApi {
  constructor(private readonly ctx: ResourceContext) {}

  /** Segments with their definitions (`definition.condition_groups` is part of the default fieldset). */
  list(query?: QueryOptions, options?: CallOptions): AsyncGenerator<Segment, void, undefined> {
    return paginate<Segment>(this.ctx.transport, '/api/segments', query, callOptions(options));
  }

  /** One segment. `profileCount: true` adds the member count, at a much lower rate limit (1/s, 15/m). */
  async get(id: string, opts: CallOptions & { profileCount?: boolean } = {}): Promise<SegmentDetails> {
    const doc = await this.ctx.transport.request<S['GetSegmentRetrieveResponseCompoundDocument']>({
      method: 'GET',
      path: `/api/segments/${seg(id)}`,
      ...(opts.profileCount ? { query: { additionalFields: { segment: ['profile_count'] } } } : {}),
      ...callOptions(opts),
    });
    return doc.data;
  }

  /** How many profiles the segment holds now (Klaviyo recomputes it as profiles change; 1/s, 15/m). */
  async profileCount(id: string, options?: CallOptions): Promise<number> {
    const details = await this.get(id, { ...callOptions(options), profileCount: true });
    return details.attributes.profile_count ?? 0;
  }

  findByName(name: string, options?: CallOptions): Promise<Segment | undefined> {
    return findNamed((query) => this.list(query, options), name);
  }

  /** Creates a segment (1/s, 15/m, 100/day). */
  async create(body: SegmentCreateBody, options: CreateOptions<Segment> = {}): Promise<Segment> {
    const reconcile = resolveReconcile(options.reconcile, () =>
      this.findByName(body.data.attributes.name, options),
    );
    const doc = await this.ctx.transport.request<S['PostSegmentCreateResponse']>({
      method: 'POST',
      path: '/api/segments',
      body,
      ...reconcileDocument(reconcile),
      ...callOptions(options),
    });
    return doc.data;
  }

  /** Updates a segment (1/s, 15/m, 100/day); a new `definition` replaces the whole definition. */
  async update(id: string, attributes: SegmentUpdateAttributes, options?: CallOptions): Promise<Segment> {
    const doc = await this.ctx.transport.request<S['PatchSegmentPartialUpdateResponse']>({
      method: 'PATCH',
      path: `/api/segments/${seg(id)}`,
      body: { data: { type: 'segment', id, attributes } } satisfies S['SegmentPartialUpdateQuery'],
      ...callOptions(options),
    });
    return doc.data;
  }

  delete(id: string, options?: CallOptions): Promise<void> {
    return deleteAt(this.ctx, `/api/segments/${seg(id)}`, options);
  }

  /** The segment's profiles, 100 per page (`query.pageSize` for fewer), following Klaviyo's cursors. */
  listProfiles(
    segmentId: string,
    query?: QueryOptions,
    options?: CallOptions,
  ): AsyncGenerator<SegmentMember, void, undefined> {
    return paginate<SegmentMember>(
      this.ctx.transport,
      `/api/segments/${seg(segmentId)}/profiles`,
      query,
      callOptions(options),
    );
  }
}
