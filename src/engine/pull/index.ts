/**
 * Pull: the reverse of apply, for edits made in Klaviyo only. Pure: from a brand's plan (whose changes say
 * which revert a hand edit, `origin: 'hand-edit'`), the applied record and the current repository files, the
 * new text of each file that declares an edited object. Changes that come from the repository are never
 * written: an unapplied change in the code survives a pull. The command reads the files, checks the result
 * compiles back to what Klaviyo holds, and writes.
 */
import { objectKey, type AppliedRecord } from '../applied-record.js';
import type { BrandPlan, ResourcePlan } from '../plan.js';
import { pullFlow, type FlowSources } from './flows.js';
import type { PrintsContext } from './pulled-value.js';
import { emptyPull, type ResourcePull } from './result.js';
import { pullListOrSegment, type ObjectFile } from './segments.js';
import { pullTemplate, type TemplateSources } from './templates.js';

export type { FileWrite, NotPulled, PulledEdit, ResourcePull } from './result.js';
export type { FlowSources } from './flows.js';
export type { TemplateSources, BuiltPart } from './templates.js';

/** What a pull reads of the repository, gathered by the command. */
export interface PullSources {
  /** A list's or segment's file. */
  object(kind: 'list' | 'segment', key: string): ObjectFile | undefined;
  template(key: string): TemplateSources | undefined;
  flow(key: string): FlowSources | undefined;
  /** Files that exist, by display path (to name every file a deletion concerns). */
  exists(file: string): boolean;
}

/** The resources of a plan that hold edits made in Klaviyo. */
export function handEdited(brand: BrandPlan): ResourcePlan[] {
  return brand.resources.filter((r) => r.handEdit !== undefined);
}

export function planPull(
  brand: BrandPlan,
  record: AppliedRecord | undefined,
  sources: PullSources,
): ResourcePull[] {
  return handEdited(brand).map((resource) => pullResource(resource, record, sources));
}

function pullResource(
  resource: ResourcePlan,
  record: AppliedRecord | undefined,
  sources: PullSources,
): ResourcePull {
  const { kind, key } = resource;
  const edit = resource.handEdit!;
  if (edit.type === 'deleted') return keepDeletion(resource, edit.lastApplied, sources);
  const prints: PrintsContext = { entry: record?.objects[objectKey(kind, key)], desired: resource.prints };
  const action = resource.action;
  const changes =
    action.type === 'update' || action.type === 'replace'
      ? action.changes.filter((c) => c.origin === 'hand-edit')
      : [];
  const missing = (): ResourcePull => ({
    ...emptyPull(kind, key),
    notPulled: [{ reason: `its file ${resource.source?.file ?? `(${kind} ${key})`} could not be read` }],
  });
  switch (kind) {
    case 'list':
    case 'segment': {
      const file = sources.object(kind, key);
      return file ? pullListOrSegment(resource, changes, file, prints) : missing();
    }
    case 'template': {
      const template = sources.template(key);
      return template ? pullTemplate(resource, changes, template, prints) : missing();
    }
    case 'flow': {
      const flow = sources.flow(key);
      return flow ? pullFlow(resource, flow, prints) : missing();
    }
    case 'mapped-metric': {
      // One line of metrics.yaml: named in the message rather than patched.
      const metric = changes.find((c) => c.path === 'metric')?.before;
      return {
        ...emptyPull(kind, key),
        notPulled: [
          {
            reason: `re-mapped in Klaviyo${typeof metric === 'string' ? ` to '${metric}'` : ''}: to keep it, set 'mapped.${key}' in ${resource.source?.file ?? 'metrics.yaml'}`,
          },
        ],
      };
    }
  }
}

/** Deleted in Klaviyo: files are never deleted by a pull; say what keeps the deletion. */
function keepDeletion(resource: ResourcePlan, lastApplied: string, sources: PullSources): ResourcePull {
  const file = resource.source?.file;
  const files = file ? [file] : [];
  if (file && resource.kind === 'template') {
    const text = file.replace(/\.html$/, '.txt');
    if (sources.exists(text)) files.push(text);
  }
  const remove = files.length > 0 ? `git rm ${files.join(' ')}` : `remove the ${resource.kind}'s file`;
  return {
    ...emptyPull(resource.kind, resource.key),
    notPulled: [
      {
        reason: `deleted in Klaviyo since the last apply (${lastApplied}): to keep the deletion, \`${remove}\` (and drop any reference to it), then commit`,
      },
    ],
  };
}
