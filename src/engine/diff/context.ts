/** What every per-kind diff needs: id <-> placeholder maps, desired template hashes, the deletion policy. */
import type {
  BrandDeletionPolicy,
  DesiredFlow,
  DesiredList,
  DesiredSegment,
  DesiredTemplate,
} from '../../compile/desired-state.js';
import { desiredTags, embedTemplateMarker, withNameMarker } from '../markers.js';
import type { BodyOf, JsonValue, ObjectKind, PlanProblem, ResourceAction } from '../plan.js';
import type { RemoteTemplateCopy } from '../remote-model.js';
import { archiveCost, deleteCost } from './cost.js';
import type { Comparison } from './hand-edits.js';
import type { ApiCall } from '../plan.js';

export interface DiffContext {
  /** Remote id -> placeholder (`@list:newsletter`) for every object whose key we know, and metrics by name. */
  index: Map<string, string>;
  /** `list:<key>` / `metric:<name>` -> Klaviyo id, for apply. */
  ids: Record<string, string>;
  /** Desired template key -> content hash (what a current flow-email copy hashes to). */
  templateHashes: Map<string, string>;
  /** Content hash -> the one desired template key with that content (absent when none or ambiguous). */
  templateByHash: Map<string, string>;
  deletion: BrandDeletionPolicy;
  problems: PlanProblem[];
  /** The fields each diff compared, by `kind:key`: what the applied record prints (hand-edits.ts). */
  comparisons: Map<string, Comparison>;
}

/** The template key a flow email's copy stands for: its marker, else identical content. */
export function copyTemplateKey(ctx: DiffContext, copy: RemoteTemplateCopy | undefined): string | undefined {
  if (!copy) return undefined;
  return copy.markerKey ?? ctx.templateByHash.get(copy.contentHash);
}

export function listBody(list: DesiredList): BodyOf<'list'> {
  return {
    kind: 'list',
    name: list.name,
    klaviyoName: withNameMarker(list.name, list.key),
    preventDestroy: list.preventDestroy,
  };
}

export function segmentBody(segment: DesiredSegment): BodyOf<'segment'> {
  return {
    kind: 'segment',
    name: segment.name,
    klaviyoName: withNameMarker(segment.name, segment.key),
    definition: segment.definition as unknown as JsonValue,
    isStarred: segment.isStarred,
    refs: segment.refs,
    preventDestroy: segment.preventDestroy,
  };
}

export function templateBody(template: DesiredTemplate): BodyOf<'template'> {
  const marked = embedTemplateMarker(template.html, template.text, template.key, template.preventDestroy);
  return {
    kind: 'template',
    name: template.name,
    html: marked.html,
    text: template.text,
    contentHash: marked.contentHash,
    subject: template.subject,
    previewText: template.previewText,
    preventDestroy: template.preventDestroy,
  };
}

export function flowBody(flow: DesiredFlow): BodyOf<'flow'> {
  return {
    kind: 'flow',
    name: flow.name,
    klaviyoName: withNameMarker(flow.name, flow.key),
    status: flow.status,
    definition: flow.definition as unknown as JsonValue,
    refs: flow.refs,
    preventDestroy: flow.preventDestroy,
  };
}

export { desiredTags };

/** What happens to a managed object that is no longer in code. */
export function removalAction(
  kind: ObjectKind,
  ctx: DiffContext,
  isProtected: boolean,
  remoteStatus?: string,
): { action: ResourceAction; cost: ApiCall[] } {
  const policy = ctx.deletion[kind];
  if (policy === 'delete' && !isProtected)
    return { action: { type: 'delete', policy: 'delete' }, cost: deleteCost(kind) };
  if (policy === 'archive') {
    return {
      action: {
        type: 'orphan',
        policy: 'archive',
        reason: 'removed',
        ...(isProtected ? { protected: true } : {}),
      },
      cost: archiveCost(kind, remoteStatus),
    };
  }
  return {
    action: {
      type: 'orphan',
      policy: 'retain',
      reason: 'removed',
      ...(isProtected && policy === 'delete' ? { protected: true } : {}),
    },
    cost: [],
  };
}

export function supersededAction(
  kind: ObjectKind,
  remoteStatus?: string,
): { action: ResourceAction; cost: ApiCall[] } {
  return {
    action: { type: 'orphan', policy: 'archive', reason: 'superseded' },
    cost: archiveCost(kind, remoteStatus),
  };
}
