/**
 * What one brand's Klaviyo account holds, as read by `readRemoteState` and diffed against the desired state.
 * Raw Klaviyo shapes (real ids), plus what our markers say about each object. Pure types: no I/O here.
 */
import type { StoredAppliedRecord } from './applied-record.js';
import type { TemplateMarker } from './markers.js';
import type { ObjectKind } from './plan.js';

/** What our markers say about a remote object (see markers.ts). */
export type RemoteOwnership =
  | {
      type: 'managed';
      key: string;
      displayName: string;
      identity: 'name-marker' | 'html-marker';
      /** Carries the ownership tag (always true for templates, which cannot be tagged). */
      tagged: boolean;
      preventDestroy: boolean;
    }
  /** Ownership tag without a key: matched to a desired object by exact name (adopted flows). */
  | { type: 'tagged'; displayName: string; preventDestroy: boolean }
  | { type: 'archived' }
  | { type: 'unmanaged' };

interface RemoteObject {
  id: string;
  /** The name exactly as in Klaviyo. */
  name: string;
  created: string;
  updated: string;
  ownership: RemoteOwnership;
}

export interface RemoteList extends RemoteObject {
  kind: 'list';
  tags: string[];
}

export interface RemoteSegment extends RemoteObject {
  kind: 'segment';
  definition: { condition_groups: unknown[] };
  isStarred: boolean;
  isActive: boolean;
  tags: string[];
}

export interface RemoteTemplate extends RemoteObject {
  kind: 'template';
  editorType: string;
  /** As stored, marker included. */
  html: string;
  text: string;
  marker?: TemplateMarker;
}

/** A flow email's private copy of a template. */
export interface RemoteTemplateCopy {
  id: string;
  /** The key our marker names, when the copy carries one. */
  markerKey?: string;
  /** The content hash our marker records: what was applied. A copy whose content hashes otherwise was edited
   * in Klaviyo's flow editor. */
  markerHash?: string;
  /** `templateContentHash` of the copy's actual content: compared with the desired template's. */
  contentHash: string;
  /** Kept for `import` (which turns unmarked copies into template files); absent when read from cache. */
  html?: string;
  text?: string;
}

/** A flow action as `get_flow` returns it inside `definition.actions` (real ids). */
export interface RemoteFlowAction {
  id: string;
  type: string;
  links?: Record<string, unknown>;
  data?: unknown;
  [key: string]: unknown;
}

export interface RemoteFlowDefinition {
  triggers: unknown[];
  profile_filter?: unknown;
  reentry_criteria?: unknown;
  entry_action_id: string | null;
  actions: RemoteFlowAction[];
}

export interface RemoteFlow extends RemoteObject {
  kind: 'flow';
  status: string;
  archived: boolean;
  triggerType: string;
  tags: string[];
  /** Read for managed and tagged flows (and every flow on import); absent for flows we never look into. */
  definition?: RemoteFlowDefinition;
  /** The template copies of the flow's emails, by copy id. */
  templateCopies: Record<string, RemoteTemplateCopy>;
}

export interface RemoteMetric {
  id: string;
  name: string;
  integration?: string;
}

export type RemoteResource = RemoteList | RemoteSegment | RemoteTemplate | RemoteFlow;

/** A mapped-metric slot as read: what it points at. Its id is the slot (`revenue`). */
export interface RemoteMappedMetric {
  kind: 'mapped-metric';
  id: string;
  updated: string;
  target: { type: 'metric'; id: string } | { type: 'custom-metric'; id: string } | { type: 'none' };
}

export interface RemoteBrandState {
  accountId: string;
  lists: RemoteList[];
  segments: RemoteSegment[];
  templates: RemoteTemplate[];
  flows: RemoteFlow[];
  metrics: RemoteMetric[];
  /** The account's mapped-metric slots; absent when not read (states built by hand in tests). */
  mappedMetrics?: RemoteMappedMetric[];
  /** Names of the tags that exist in the account (ours included when they exist). */
  tagNames: string[];
  /** What klaviyo-gitops last applied here (applied-record.ts); never listed among `templates`. */
  appliedRecord: StoredAppliedRecord;
}

export function remoteOfKind(state: RemoteBrandState, kind: ObjectKind): RemoteResource[] {
  switch (kind) {
    case 'list':
      return state.lists;
    case 'segment':
      return state.segments;
    case 'template':
      return state.templates;
    case 'flow':
      return state.flows;
  }
}
