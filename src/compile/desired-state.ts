/**
 * The desired state of one brand's Klaviyo account, as compiled from the marketing repository.
 *
 * This is the contract between `project/` + `compile/` (which produce it) and `engine/` (which diffs it against
 * what Klaviyo holds and applies the difference). Bodies are already in Klaviyo's shapes (revision
 * 2026-07-15); the only thing left symbolic are references to other objects, whose ids exist only in Klaviyo.
 */

/** Where something was declared, for errors and plan output. 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type RefKind = 'metric' | 'list' | 'segment' | 'template';

/**
 * A reference the engine resolves to a Klaviyo id. In the compiled body it stands as the placeholder string
 * `@<kind>:<key>` (a valid string for the spec's id fields, so bodies validate before resolution) at `pointer`,
 * a JSON pointer relative to the object's `definition` (flows, segments).
 * `key` is the referenced object's key in this repository, or the metric's name for `metric`.
 */
export interface SymbolicRef {
  kind: RefKind;
  key: string;
  pointer: string;
  source?: SourceLocation;
}

export function refPlaceholder(kind: RefKind, key: string): string {
  return `@${kind}:${key}`;
}

export function parseRefPlaceholder(value: string): { kind: RefKind; key: string } | undefined {
  const match = /^@(metric|list|segment|template):(.+)$/.exec(value);
  return match ? { kind: match[1] as RefKind, key: match[2]! } : undefined;
}

/** What happens to a managed object that was removed from the repository. */
export type DeletionPolicy = 'retain' | 'archive' | 'delete';

interface ManagedObject {
  /** The stable identity, unique per kind within a brand: the file name without extension, e.g. `vip`. */
  key: string;
  /** The display name in Klaviyo. An attribute, not the identity: renaming does not re-create. */
  name: string;
  source: SourceLocation;
  /** Never delete this object, whatever the policy or flags. */
  preventDestroy: boolean;
}

export interface DesiredList extends ManagedObject {
  kind: 'list';
}

export interface DesiredSegment extends ManagedObject {
  kind: 'segment';
  /** `SegmentCreateQuery.data.attributes.definition`, with `@list:`/`@segment:`/`@metric:` placeholders. */
  definition: { condition_groups: unknown[] };
  isStarred: boolean;
  refs: SymbolicRef[];
}

export interface DesiredTemplate extends ManagedObject {
  kind: 'template';
  /** Assembled HTML (layouts, partials and brand tokens applied); Klaviyo's own tags left intact. */
  html: string;
  /** The plain-text part: the file's own, or generated from the HTML. */
  text: string;
  /** Defaults for flow emails that use this template (a flow step may override them). */
  subject: string;
  previewText: string;
}

export type FlowStatus = 'draft' | 'manual' | 'live';

export interface DesiredFlow extends ManagedObject {
  kind: 'flow';
  status: FlowStatus;
  /**
   * `FlowCreateQuery.data.attributes.definition`. Every action's `temporary_id` is the step's key from the
   * YAML (stable across edits, so the engine can pair steps with remote actions); `entry_action_id` and
   * `links` use those keys. Template, list, segment and metric ids are placeholders listed in `refs`.
   */
  definition: {
    triggers: unknown[];
    profile_filter?: unknown;
    reentry_criteria?: unknown;
    entry_action_id: string;
    actions: Array<{ temporary_id: string; type: string; links?: Record<string, unknown>; data?: unknown }>;
  };
  refs: SymbolicRef[];
  /** Where each step was declared, by step key. */
  steps: Record<string, SourceLocation>;
}

export type DesiredObject = DesiredList | DesiredSegment | DesiredTemplate | DesiredFlow;

/**
 * One mapping slot (`revenue`, ...) pointed at a metric by name. Not an object we create: Klaviyo has the seven
 * slots in every account, and the metric exists once the store has sent its first event of it.
 */
export interface DesiredMappedMetric {
  kind: 'mapped-metric';
  /** The slot, as Klaviyo names it: `revenue`, `refunded_sales`, ... */
  key: string;
  /** A label for people: "Revenue". */
  name: string;
  /** The metric's name; its id differs per account and is looked up when planning. */
  metric: string;
  source: SourceLocation;
}

export interface BrandDeletionPolicy {
  list: DeletionPolicy;
  segment: DeletionPolicy;
  template: DeletionPolicy;
  flow: DeletionPolicy;
}

export interface DesiredBrandState {
  /** The brand's key (its folder name under brands/). */
  brand: string;
  /** The Klaviyo account id this brand must deploy to; a key of another account is refused. */
  accountId: string;
  /** Environment variable holding this brand's private API key. */
  apiKeyVariable: string;
  deletion: BrandDeletionPolicy;
  lists: DesiredList[];
  segments: DesiredSegment[];
  templates: DesiredTemplate[];
  flows: DesiredFlow[];
  /** From metrics.yaml; absent or empty when the brand declares none. */
  mappedMetrics?: DesiredMappedMetric[];
}
