/**
 * Our three tags (ownership, prevent-destroy, archived) in the `klaviyo-gitops` tag group: found or created once
 * per run. Every tag call is S tier and the first tagging waits for them, so apply starts this setup as soon as
 * it starts writing (`prepare`) and keeps it to one lookup of the group and one lookup (or create) per tag.
 * Find-before-create, and the client's reconcile on an ambiguous create, keep a re-run from making a second one.
 */
import {
  KlaviyoConflictError,
  type KlaviyoClient,
  type Tag,
  type TaggableKind,
} from '../../klaviyo/index.js';
import { ARCHIVED_TAG, OWNERSHIP_TAG, PROTECTED_TAG, TAG_GROUP } from '../markers.js';
import type { BrandPlan } from '../plan.js';
import type { ActionOutcome } from './activity.js';

export type TagSetupRecorder = (operation: string, id: string | undefined, outcome: ActionOutcome) => void;

export class TagRegistry {
  private group: Promise<string> | undefined;
  private readonly tags = new Map<string, Promise<string>>();

  constructor(
    private readonly client: KlaviyoClient,
    private readonly record: TagSetupRecorder,
    private readonly signal?: AbortSignal,
  ) {}

  private call(): { signal?: AbortSignal } {
    return this.signal ? { signal: this.signal } : {};
  }

  private groupId(): Promise<string> {
    if (!this.group) {
      const pending = (async () => {
        try {
          const { group, created } = await this.client.tags.ensureGroup(
            { name: TAG_GROUP, exclusive: false },
            this.call(),
          );
          if (created) this.record('create_tag_group', group.id, 'ok');
          return group.id;
        } catch (error) {
          // "Already exists": an earlier attempt whose answer was lost (or another run) made it. Use that one.
          const existing =
            error instanceof KlaviyoConflictError
              ? await this.client.tags.findGroupByName(TAG_GROUP, this.call())
              : undefined;
          if (!existing) throw error;
          return existing.id;
        }
      })();
      // A failed lookup must not poison later attempts of this run.
      pending.catch(() => (this.group = undefined));
      this.group = pending;
    }
    return this.group;
  }

  /** The id of one of our tags, created in our group when missing. */
  tagId(name: string): Promise<string> {
    let pending = this.tags.get(name);
    if (!pending) {
      pending = this.findOrCreate(name);
      pending.catch(() => this.tags.delete(name));
      this.tags.set(name, pending);
    }
    return pending;
  }

  /** Starts the lookups of the tags a plan will use, so the first tagging call does not wait for them. */
  prepare(plan: BrandPlan): void {
    for (const name of tagsUsedBy(plan)) this.tagId(name).catch(() => undefined);
  }

  private async findOrCreate(name: string): Promise<string> {
    const groupId = await this.groupId();
    const find = (): Promise<Tag | undefined> =>
      this.client.tags.findByName(name, { ...this.call(), groupId });
    const existing = await find();
    if (existing) return existing.id;
    try {
      const doc = await this.client.request<{ data: Tag }>({
        method: 'POST',
        path: '/api/tags',
        body: {
          data: {
            type: 'tag',
            attributes: { name },
            relationships: { 'tag-group': { data: { type: 'tag-group', id: groupId } } },
          },
        },
        reconcile: async () => {
          const found = await find();
          return found ? { data: found } : undefined;
        },
        ...this.call(),
      });
      this.record('create_tag', doc.data.id, 'ok');
      return doc.data.id;
    } catch (error) {
      const existing = error instanceof KlaviyoConflictError ? await find() : undefined;
      if (!existing) throw error;
      return existing.id;
    }
  }
}

/** The tags apply will put on objects for this plan. */
export function tagsUsedBy(plan: BrandPlan): string[] {
  const names = new Set<string>();
  for (const r of plan.resources) {
    if (r.kind === 'template') continue;
    const a = r.action;
    if (a.type === 'create' || a.type === 'replace') {
      names.add(OWNERSHIP_TAG);
      if (a.desired.preventDestroy) names.add(PROTECTED_TAG);
    }
    if (a.type === 'update') {
      const tags = a.changes.find((c) => c.path === 'tags');
      if (Array.isArray(tags?.after)) for (const t of tags.after) names.add(String(t));
    }
    if ((a.type === 'replace' && a.retire === 'archive') || (a.type === 'orphan' && a.policy === 'archive'))
      names.add(ARCHIVED_TAG);
  }
  return [...names].sort();
}

const COLLECTION: Record<TaggableKind, string> = { list: 'lists', segment: 'segments', flow: 'flows' };

/** The operationId of tagging (`tag_flows`) or untagging (`remove_tag_from_flows`) a kind. */
export function tagOperation(kind: TaggableKind, add: boolean): string {
  return add ? `tag_${COLLECTION[kind]}` : `remove_tag_from_${COLLECTION[kind]}`;
}
