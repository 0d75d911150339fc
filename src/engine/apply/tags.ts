/**
 * Our three tags (ownership, prevent-destroy, archived) in the `klaviyo-gitops` tag group: found or created once
 * per run, on first use, so the first tagging call waits for them and nothing else does. Find-before-create
 * (and the client's reconcile on an ambiguous create) keeps a re-run from making a second tag.
 */
import type { KlaviyoClient, TaggableKind } from '../../klaviyo/index.js';
import { TAG_GROUP } from '../markers.js';
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
    this.group ??= (async () => {
      const { group, created } = await this.client.tags.ensureGroup(
        { name: TAG_GROUP, exclusive: false },
        this.call(),
      );
      if (created) this.record('create_tag_group', group.id, 'ok');
      return group.id;
    })();
    // A failed lookup must not poison later attempts of this run.
    this.group.catch(() => (this.group = undefined));
    return this.group;
  }

  /** The id of one of our tags, created in our group when missing. */
  tagId(name: string): Promise<string> {
    let pending = this.tags.get(name);
    if (!pending) {
      pending = (async () => {
        await this.groupId();
        const { tag, created } = await this.client.tags.ensure(name, {
          ...this.call(),
          groupName: TAG_GROUP,
        });
        if (created) this.record('create_tag', tag.id, 'ok');
        return tag.id;
      })();
      pending.catch(() => this.tags.delete(name));
      this.tags.set(name, pending);
    }
    return pending;
  }
}

const COLLECTION: Record<TaggableKind, string> = { list: 'lists', segment: 'segments', flow: 'flows' };

/** The operationId of tagging (`tag_flows`) or untagging (`remove_tag_from_flows`) a kind. */
export function tagOperation(kind: TaggableKind, add: boolean): string {
  return add ? `tag_${COLLECTION[kind]}` : `remove_tag_from_${COLLECTION[kind]}`;
}
