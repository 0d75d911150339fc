/**
 * Import: what an existing Klaviyo account holds, as repository files, plus the marks that make those objects
 * ours. Pure: the command writes the files and applies the marks.
 *
 * Decision: import writes files AND marks the objects in Klaviyo, so "import, then plan" shows no changes.
 * Without marks the next plan could not know the objects are the same (identity travels with the object, see
 * markers.ts) and would plan duplicates. The marks:
 * - lists, segments: renamed to carry ` [kg:<key>]` and tagged `klaviyo-gitops` (segment renames use the
 *   update_segment daily cap: 100 a day);
 * - flows: tagged `klaviyo-gitops` only (the API cannot rename a flow): adopted by tag and exact name;
 * - templates: their HTML gets our marker comment;
 * - a flow email whose template copy matches no template becomes a new template (created with our marker),
 *   so its step can say `template: <key>`; the copy's content equals it, so the flow needs no change.
 * Objects already ours whose files are missing get their files back, and no mark.
 */
import { stringify } from 'yaml';
import type { DesiredBrandState } from '../../compile/desired-state.js';
import { embedTemplateMarker, stripTemplateMarker, templateContentHash, withNameMarker } from '../markers.js';
import type {
  RemoteBrandState,
  RemoteFlow,
  RemoteResource,
  RemoteSegment,
  RemoteTemplate,
} from '../remote-model.js';
import type { ObjectKind } from '../plan.js';
import { flowToFile } from './flow-file.js';
import { conditionList } from './property-tests.js';

export interface ImportFile {
  /** Relative to the brand directory: `lists/newsletter.yaml`. */
  path: string;
  content: string;
}

export type ImportMark =
  | { kind: 'list' | 'segment'; id: string; key: string; name: string }
  | { kind: 'flow'; id: string; key: string }
  | { kind: 'template'; id: string; key: string; html: string }
  | { kind: 'template-from-copy'; key: string; name: string; html: string; text: string };

export interface ImportSkip {
  kind: ObjectKind;
  name: string;
  id: string;
  reason: string;
}

export interface ImportPlan {
  files: ImportFile[];
  marks: ImportMark[];
  skipped: ImportSkip[];
  /** Flow steps imported as `raw:` (the format has no spelling for them), by flow key. */
  rawSteps: Record<string, string[]>;
}

export interface ImportInput {
  remote: RemoteBrandState;
  /** What the repository already holds for the brand (its keys are taken). */
  desired: DesiredBrandState;
  sender: { from_email: string; from_label: string; reply_to_email?: string | undefined };
  /** Turns a name into a key (the loader's `suggestKey`). */
  suggestKey: (name: string) => string;
}

function yamlFile(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

class KeySpace {
  private readonly taken = new Set<string>();
  constructor(keys: Iterable<string>) {
    for (const key of keys) this.taken.add(key);
  }
  claim(base: string): string {
    let key = base;
    for (let n = 2; this.taken.has(key); n += 1) key = `${base}-${n}`;
    this.taken.add(key);
    return key;
  }
}

/**
 * Objects to import: not ours yet, or ours but missing from the repository. A tagged object whose name a
 * desired object has is already adopted (matched by tag and name), so it is not imported twice.
 */
function candidates<R extends RemoteResource>(
  objects: readonly R[],
  desired: ReadonlyArray<{ key: string; name: string }>,
): R[] {
  const keys = new Set(desired.map((d) => d.key));
  const names = new Set(desired.map((d) => d.name));
  return objects.filter((o) => {
    const own = o.ownership;
    if (own.type === 'archived') return false;
    if (own.type === 'managed') return !keys.has(own.key);
    if (own.type === 'tagged') return !names.has(own.displayName);
    return true;
  });
}

function displayNameOf(object: RemoteResource): string {
  const own = object.ownership;
  return own.type === 'managed' || own.type === 'tagged' ? own.displayName : object.name;
}

/** Template HTML the build would change: `[[` is build syntax, `\{{` is refused. */
export function unsafeForBuild(html: string): string | undefined {
  if (html.includes('[[') || html.includes(']]'))
    return "it contains '[[' or ']]', which the template build reads as its own syntax";
  if (html.includes('\\{{')) return "it contains '\\{{', which the template build refuses";
  return undefined;
}

function templateFile(name: string, subject: string, previewText: string, html: string): string {
  const front = yamlFile({ name, subject, preview_text: previewText });
  return `---\n${front}---\n${html}`;
}

export function planImport(input: ImportInput): ImportPlan {
  const { remote, desired } = input;
  const plan: ImportPlan = { files: [], marks: [], skipped: [], rawSteps: {} };
  const keys = {
    list: new KeySpace(desired.lists.map((l) => l.key)),
    segment: new KeySpace(desired.segments.map((s) => s.key)),
    template: new KeySpace(desired.templates.map((t) => t.key)),
    flow: new KeySpace(desired.flows.map((f) => f.key)),
  };
  const keyFor = (kind: ObjectKind, object: RemoteResource): string =>
    object.ownership.type === 'managed'
      ? object.ownership.key
      : keys[kind].claim(input.suggestKey(displayNameOf(object)));
  const mark = (object: RemoteResource): boolean => object.ownership.type !== 'managed';

  // Lists: every list that is ours or becomes ours, by id, for triggers, conditions and list steps.
  const listKeyById = new Map<string, string>();
  const listNameByKey = new Map<string, string>(desired.lists.map((l) => [l.key, l.name]));
  for (const list of remote.lists)
    if (list.ownership.type === 'managed') listKeyById.set(list.id, list.ownership.key);
  for (const list of candidates(remote.lists, desired.lists)) {
    const key = keyFor('list', list);
    const name = displayNameOf(list);
    listKeyById.set(list.id, key);
    listNameByKey.set(key, name);
    plan.files.push({ path: `lists/${key}.yaml`, content: yamlFile({ name }) });
    if (mark(list)) plan.marks.push({ kind: 'list', id: list.id, key, name: withNameMarker(name, key) });
  }

  const segmentKeyById = new Map<string, string>();
  for (const s of remote.segments)
    if (s.ownership.type === 'managed') segmentKeyById.set(s.id, s.ownership.key);
  const metricName = new Map(remote.metrics.map((m) => [m.id, m.name]));
  // Segments can refer to segments imported after them: name them all before converting any.
  const hasConditions = (s: RemoteSegment): boolean => s.definition.condition_groups.length > 0;
  for (const segment of candidates(remote.segments, desired.segments).filter((s) => !hasConditions(s))) {
    plan.skipped.push({
      kind: 'segment',
      name: segment.name,
      id: segment.id,
      reason: 'it has no conditions',
    });
  }
  const segmentCandidates = candidates(remote.segments, desired.segments)
    .filter(hasConditions)
    .map((segment) => {
      const key = keyFor('segment', segment);
      segmentKeyById.set(segment.id, key);
      return { segment, key };
    });
  const names = {
    listKey: (id: string) => listKeyById.get(id),
    segmentKey: (id: string) => segmentKeyById.get(id),
    metricName: (id: string) => metricName.get(id),
    inFlow: false,
  };
  for (const { segment, key } of segmentCandidates) {
    const all = conditionList(segment.definition, names);
    const name = displayNameOf(segment);
    plan.files.push({
      path: `segments/${key}.yaml`,
      content: yamlFile({ name, ...(segment.isStarred ? { starred: true } : {}), all }),
    });
    if (mark(segment))
      plan.marks.push({ kind: 'segment', id: segment.id, key, name: withNameMarker(name, key) });
  }

  // Templates: by content hash, so flow email copies find the template they were copied from.
  const templateByHash = new Map<string, string>();
  for (const t of desired.templates) templateByHash.set(templateContentHash(t.html, t.text), t.key);
  const knownTemplateKeys = new Set(desired.templates.map((t) => t.key));
  const importedTemplates: Array<{ template: RemoteTemplate; key: string; html: string }> = [];
  for (const template of candidates(remote.templates, desired.templates)) {
    const html = stripTemplateMarker(template.html);
    const unsafe =
      template.editorType !== 'CODE'
        ? `it is a ${template.editorType} template; import takes HTML (CODE) templates`
        : (unsafeForBuild(html) ?? unsafeForBuild(template.text));
    if (unsafe || html.trim() === '') {
      plan.skipped.push({
        kind: 'template',
        name: template.name,
        id: template.id,
        reason: unsafe ?? 'it has no HTML',
      });
      continue;
    }
    const key = keyFor('template', template);
    knownTemplateKeys.add(key);
    templateByHash.set(templateContentHash(html, template.text), key);
    importedTemplates.push({ template, key, html });
    if (mark(template)) {
      plan.marks.push({
        kind: 'template',
        id: template.id,
        key,
        html: embedTemplateMarker(html, template.text, key, false).html,
      });
    }
  }
  /** Subject and preview text a template's front matter gets: from the first flow email that uses it. */
  const emailDefaults = new Map<string, { subject: string; preview: string }>();

  const flowCandidates = candidates(remote.flows, desired.flows);
  const nameCount = new Map<string, number>();
  for (const flow of remote.flows) {
    if (flow.ownership.type === 'tagged' || flow.ownership.type === 'unmanaged') {
      nameCount.set(flow.name, (nameCount.get(flow.name) ?? 0) + 1);
    }
  }
  for (const flow of flowCandidates) {
    if (flow.ownership.type !== 'managed' && (nameCount.get(flow.name) ?? 0) > 1) {
      plan.skipped.push({
        kind: 'flow',
        name: flow.name,
        id: flow.id,
        reason:
          'another flow has the same name: an imported flow is recognised by its name, so rename one in Klaviyo first',
      });
      continue;
    }
    importFlow(flow);
  }

  function importFlow(flow: RemoteFlow): void {
    const key =
      flow.ownership.type === 'managed' ? flow.ownership.key : keys.flow.claim(input.suggestKey(flow.name));
    // Copies that match no template become templates of their own; kept only if the flow converts.
    const pending: Array<{ key: string; name: string; html: string; text: string; hash: string }> = [];
    const copyKey = (copyId: string): string | undefined => {
      const copy = flow.templateCopies[copyId];
      if (!copy) return undefined;
      if (copy.markerKey && knownTemplateKeys.has(copy.markerKey)) return copy.markerKey;
      const known =
        templateByHash.get(copy.contentHash) ?? pending.find((p) => p.hash === copy.contentHash)?.key;
      if (known) return known;
      const html = stripTemplateMarker(copy.html ?? '');
      if (
        copy.html === undefined ||
        html.trim() === '' ||
        unsafeForBuild(html) ||
        unsafeForBuild(copy.text ?? '')
      ) {
        return undefined;
      }
      const templateKey = keys.template.claim(`${key}-email`);
      pending.push({
        key: templateKey,
        name: `${flow.name}: email`,
        html,
        text: copy.text ?? '',
        hash: copy.contentHash,
      });
      return templateKey;
    };
    const converted = flowToFile(
      { ...flow, name: flow.ownership.type === 'managed' ? flow.ownership.displayName : flow.name },
      {
        flowKey: key,
        listKey: (id) => listKeyById.get(id),
        segmentKey: (id) => segmentKeyById.get(id),
        metricName: (id) => metricName.get(id),
        templateKeyOfCopy: copyKey,
        listName: (k) => listNameByKey.get(k),
        sender: input.sender,
      },
    );
    if (!converted.ok) {
      plan.skipped.push({ kind: 'flow', name: flow.name, id: flow.id, reason: converted.reason });
      return;
    }
    for (const p of pending) {
      knownTemplateKeys.add(p.key);
      templateByHash.set(p.hash, p.key);
      plan.marks.push({
        kind: 'template-from-copy',
        key: p.key,
        name: p.name,
        html: embedTemplateMarker(p.html, p.text, p.key, false).html,
        text: p.text,
      });
      plan.files.push({ path: `templates/${p.key}.html`, content: templateFile(p.name, '', '', p.html) });
      if (p.text !== '') plan.files.push({ path: `templates/${p.key}.txt`, content: p.text });
    }
    collectEmailDefaults(converted.file.steps, emailDefaults);
    if (converted.rawSteps.length > 0) plan.rawSteps[key] = converted.rawSteps;
    plan.files.push({ path: `flows/${key}.yaml`, content: yamlFile(converted.file) });
    if (flow.ownership.type === 'unmanaged') plan.marks.push({ kind: 'flow', id: flow.id, key });
  }

  for (const { template, key, html } of importedTemplates) {
    const defaults = emailDefaults.get(key);
    plan.files.push({
      path: `templates/${key}.html`,
      content: templateFile(
        displayNameOf(template),
        defaults?.subject || template.name,
        defaults?.preview ?? '',
        html,
      ),
    });
    // Without a text part in Klaviyo, the repository generates one (the next plan shows it as an update).
    if (template.text !== '') plan.files.push({ path: `templates/${key}.txt`, content: template.text });
  }
  // Templates made from copies got an empty subject above; give them their email's.
  plan.files = plan.files.map((file) => {
    const match = /^templates\/(.+)\.html$/.exec(file.path);
    const pending = match && plan.marks.find((m) => m.kind === 'template-from-copy' && m.key === match[1]);
    if (!pending || pending.kind !== 'template-from-copy') return file;
    const defaults = emailDefaults.get(pending.key);
    return {
      path: file.path,
      content: templateFile(
        pending.name,
        defaults?.subject || pending.name,
        defaults?.preview ?? '',
        stripTemplateMarker(pending.html),
      ),
    };
  });
  return plan;
}

function collectEmailDefaults(steps: unknown, out: Map<string, { subject: string; preview: string }>): void {
  if (!Array.isArray(steps)) return;
  for (const step of steps as Array<Record<string, unknown>>) {
    const email = step.email as Record<string, unknown> | undefined;
    if (email && typeof email.template === 'string' && !out.has(email.template)) {
      out.set(email.template, {
        subject: String(email.subject ?? ''),
        preview: String(email.preview_text ?? ''),
      });
    }
    for (const branch of [step.split, step.trigger_split] as Array<Record<string, unknown> | undefined>) {
      if (branch) {
        collectEmailDefaults(branch.then, out);
        collectEmailDefaults(branch.else, out);
      }
    }
  }
}
