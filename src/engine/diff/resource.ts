/** Assembling one ResourcePlan, and the diff of the attributes every taggable kind shares. */
import type { SourceLocation } from '../../compile/desired-state.js';
import { displayName, MARKER_TAGS, ARCHIVED_TAG } from '../markers.js';
import type {
  ApiCall,
  DependentEffect,
  IdentityKind,
  ResourceAction,
  ResourceKind,
  ResourcePlan,
} from '../plan.js';
import type { RemoteResource } from '../remote-model.js';
import { change } from './fields.js';
import type { FieldChange } from '../plan.js';

export function resourcePlan(args: {
  kind: ResourceKind;
  key: string;
  name: string;
  remote?: RemoteResource | undefined;
  identity?: IdentityKind | undefined;
  source?: SourceLocation | undefined;
  action: ResourceAction;
  cost: ApiCall[];
  effects?: DependentEffect[];
}): ResourcePlan {
  const { remote } = args;
  return {
    kind: args.kind,
    key: args.key,
    name: args.name,
    ...(remote ? { id: remote.id } : {}),
    ...(remote
      ? {
          remote: {
            id: remote.id,
            updated: remote.updated,
            name: remote.name,
            identity: args.identity ?? identityFallback(args.kind),
            ...(remote.kind === 'flow' ? { status: remote.status } : {}),
          },
        }
      : {}),
    ...(args.source ? { source: args.source } : {}),
    action: args.action,
    effects: args.effects ?? [],
    cost: args.cost,
  };
}

function identityFallback(kind: ResourceKind): IdentityKind {
  return kind === 'template' ? 'html-marker' : 'name-marker';
}

/** The remote display name of a managed or adopted object. */
export function remoteDisplayName(remote: RemoteResource): string {
  return remote.ownership.type === 'managed' || remote.ownership.type === 'tagged'
    ? remote.ownership.displayName
    : displayName(remote.name);
}

/** Our tags on a taggable object (others' tags are not ours to compare). */
export function ourTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => MARKER_TAGS.includes(tag) && tag !== ARCHIVED_TAG).sort();
}

export function tagChange(before: string[], after: string[]): FieldChange[] {
  const b = [...before].sort();
  const a = [...after].sort();
  return b.join(',') === a.join(',') ? [] : [change('tags', b, a)];
}

export function isProtected(remote: RemoteResource): boolean {
  return remote.ownership.type === 'managed' || remote.ownership.type === 'tagged'
    ? remote.ownership.preventDestroy
    : false;
}
