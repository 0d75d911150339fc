/**
 * What a change does to the people it reaches, said outright: whether a new flow starts sending on merge,
 * that a replaced live flow stops the profiles waiting in it, which policy keeps an object removed from code
 * and how to delete it, and that a flow whose file was renamed is the old flow set to draft.
 */
import type { BrandPlan, ResourcePlan } from '../../engine/plan.js';
import { ARCHIVED_TAG, PROTECTED_TAG } from '../../engine/markers.js';

const SENDS = new Set(['live']);

/** On merge, what the flow's status means for sending. */
function statusWords(status: string, subject: string): string {
  if (SENDS.has(status)) return `${subject} goes live on merge and starts sending`;
  if (status === 'manual')
    return `${subject} is created in manual mode on merge: its emails wait for approval in Klaviyo`;
  return `${subject} is created in draft on merge: it sends nothing until set live`;
}

/** The flow created under another key with the same name: the flow file was renamed. */
function renamedTo(resource: ResourcePlan, brand: Pick<BrandPlan, 'resources'>): ResourcePlan | undefined {
  if (resource.kind !== 'flow') return undefined;
  return brand.resources.find(
    (r) =>
      r.kind === 'flow' && r.key !== resource.key && r.action.type === 'create' && r.name === resource.name,
  );
}

function howToDelete(kind: string): string {
  return `to delete it, set deletion: { ${kind}: delete } in the brand's brand.yaml (or under defaults in klaviyo-gitops.yaml), or delete it in Klaviyo`;
}

export function consequences(resource: ResourcePlan, brand: Pick<BrandPlan, 'resources'>): string[] {
  const a = resource.action;
  const remoteLive = resource.remote?.status !== undefined && SENDS.has(resource.remote.status);
  switch (a.type) {
    case 'create':
      return a.desired.kind === 'flow' ? [statusWords(a.desired.status, 'this flow')] : [];
    case 'replace':
      return a.desired.kind === 'flow' ? [statusWords(a.desired.status, 'the new flow')] : [];
    case 'update': {
      const status = a.changes.find((c) => c.path === 'status');
      if (resource.kind !== 'flow' || !status) return [];
      if (status.after === 'live') return ['the flow goes live on merge and starts sending'];
      return remoteLive
        ? [
            `the flow is set to ${String(status.after)} on merge: it stops sending, and profiles waiting in it stop`,
          ]
        : [];
    }
    case 'delete': {
      const lines = [`deleted by the deletion policy (${resource.kind}: delete)`];
      if (remoteLive) lines.push('it is live: it stops sending, and profiles waiting in it stop');
      return lines;
    }
    case 'orphan': {
      const lines: string[] = [];
      const renamed = renamedTo(resource, brand);
      if (a.reason === 'superseded')
        lines.push('another Klaviyo object carries the same key and is newer: this older one is archived');
      else if (renamed) lines.push(`its flow file was renamed: flow ${renamed.key} is created in its place`);
      if (a.protected) lines.push(`kept: it carries prevent_destroy (tag ${PROTECTED_TAG})`);
      if (a.policy === 'archive') {
        if (resource.kind === 'flow')
          lines.push(
            `archived by the deletion policy (flow: archive): the old flow is set to draft${remoteLive ? ', so it stops sending and profiles waiting in it stop' : ''}, and detached (tag ${ARCHIVED_TAG})`,
          );
        else
          lines.push(
            `archived by the deletion policy (${resource.kind}: archive): kept in Klaviyo, detached`,
          );
      } else {
        lines.push(
          `kept by the deletion policy (${resource.kind}: retain): left as it is in Klaviyo${remoteLive ? '; it stays live and keeps sending' : ''}`,
        );
      }
      if (a.reason === 'removed' && !a.protected) lines.push(howToDelete(resource.kind));
      return lines;
    }
    default:
      return [];
  }
}
