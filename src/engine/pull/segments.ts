/**
 * Lists and segments edited in Klaviyo, back into their YAML: the display name (the ` [kg:key]` suffix is ours,
 * not the marketer's), a segment's definition as the format's conditions (import's converter, the inverse of
 * compile's) and its star. Only the keys concerned are written (see yaml-edit.ts).
 */
import { conditionList } from '../import/property-tests.js';
import { displayName } from '../markers.js';
import type { FieldChange, ResourcePlan } from '../plan.js';
import { conditionNames } from './placeholder-names.js';
import { pulledValue, type PrintsContext } from './pulled-value.js';
import { emptyPull, refuseAll, shown, type ResourcePull } from './result.js';
import { editYaml, YamlEditError, type YamlChange } from './yaml-edit.js';

export interface ObjectFile {
  file: string;
  text: string;
}

/** The display name a change to `name` carries (lists and segments compare names with their suffix). */
function nameOf(value: unknown): unknown {
  return typeof value === 'string' ? displayName(value) : value;
}

export function pullListOrSegment(
  resource: ResourcePlan,
  changes: FieldChange[],
  source: ObjectFile,
  prints: PrintsContext,
): ResourcePull {
  const out = emptyPull(resource.kind, resource.key);
  const edits: YamlChange[] = [];
  for (const change of changes) {
    const value = pulledValue(change, change.path, prints);
    if (!value.ok) {
      out.notPulled.push({ path: change.path, reason: value.reason });
      continue;
    }
    const pulled = { file: source.file, path: change.path, ...(value.merged ? { merged: true } : {}) };
    if (change.path === 'name') {
      const [from, to] = [nameOf(change.after), nameOf(value.value)];
      edits.push({ path: ['name'], from, to });
      out.pulled.push({ ...pulled, what: `name ${shown(from)} -> ${shown(to)}` });
    } else if (change.path === 'definition' && resource.kind === 'segment') {
      const names = conditionNames(false);
      const to = conditionList(value.value, names);
      if (to.length === 0) {
        out.notPulled.push({ path: change.path, reason: 'the segment has no conditions left in Klaviyo' });
        continue;
      }
      edits.push({ path: ['all'], from: conditionList(change.after, names), to });
      const merged = value.merged ? ", merged with the repository's own change" : '';
      out.pulled.push({ ...pulled, what: `conditions (all${merged})` });
    } else if (change.path === 'isStarred' && resource.kind === 'segment') {
      edits.push({ path: ['starred'], from: change.after, to: value.value === true });
      out.pulled.push({ ...pulled, what: `starred ${shown(change.after)} -> ${shown(value.value)}` });
    } else {
      out.notPulled.push({
        path: change.path,
        reason: `pull does not write a ${resource.kind}'s ${change.path}`,
      });
    }
  }
  if (edits.length === 0) return out;
  try {
    out.writes.push({ file: source.file, text: editYaml(source.text, edits), created: false });
  } catch (error) {
    if (!(error instanceof YamlEditError)) throw error;
    return refuseAll(out, `${source.file} could not be edited: ${error.message}`);
  }
  return out;
}
