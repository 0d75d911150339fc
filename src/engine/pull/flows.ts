/**
 * A flow edited in Klaviyo, back into its flow file: the status, the name, the trigger, entry filters and
 * re-entry rule, and the fields of existing steps a marketer edits in Klaviyo (a delay, a subject or preview
 * text, a split's conditions, an SMS body, ...). A step is compared as the format spells it: import's converter
 * turns the repository's step and Klaviyo's (the repository's with the edited fields taken from Klaviyo) into
 * step bodies, and only what differs between the two is written into the step's YAML.
 *
 * A flow that `extends:` a blueprint takes its steps from the blueprint. A field the blueprint fills from a
 * parameter is written as that parameter under `with:`; a field the blueprint sets itself is not pullable (the
 * format has no per-step override, and copying every step into the flow would detach it from the blueprint).
 * Top-level keys (status, trigger, entry_filters, reentry) are the flow's own to override.
 */
import { parseDocument } from 'yaml';
import type { DesiredFlow } from '../../compile/desired-state.js';
import type { Step } from '../../project/model.js';
import { assignStepKeys, walkSteps } from '../../project/steps.js';
import { actionToStep, reentryToFile, triggerToFile, type FlowImportContext } from '../import/flow-file.js';
import { conditionList } from '../import/property-tests.js';
import { hasMessageName, isRecord, normalizeFlowAction, type Json } from '../normalize.js';
import type { FieldChange, ResourcePlan, StepDiff } from '../plan.js';
import type { RemoteFlowAction } from '../remote-model.js';
import { conditionNames, flowNames } from './placeholder-names.js';
import { pulledValue, type PrintsContext } from './pulled-value.js';
import { emptyPull, refuseAll, shown, type ResourcePull } from './result.js';
import { editYaml, leafChanges, YamlEditError, type YamlChange, type YamlPath } from './yaml-edit.js';

export interface FlowSources {
  file: string;
  text: string;
  /** The blueprint the flow extends, when it does. */
  blueprint?: { key: string; file: string; text: string };
  /** Display names of the brand's lists (a list step is named after its list). */
  listName(key: string): string | undefined;
}

type Definition = DesiredFlow['definition'];
type DesiredAction = Definition['actions'][number];

const WHOLE_PARAMETER = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Flow-level fields: the top-level key that spells each, and how. */
const FLOW_FIELDS: Record<
  string,
  { key: string; spell: (value: Json | undefined, names: FlowImportContext) => unknown }
> = {
  status: { key: 'status', spell: (v) => v },
  name: { key: 'name', spell: (v) => v },
  'definition.triggers': { key: 'trigger', spell: (v, names) => triggerToFile(v, names) },
  'definition.profile_filter': {
    key: 'entry_filters',
    spell: (v) => conditionList(v ?? {}, conditionNames(true)),
  },
  'definition.reentry_criteria': { key: 'reentry', spell: (v) => reentryToFile(v) },
};

interface FlowDocs {
  own: Record<string, unknown>;
  blueprint?: { key: string; file: string; value: Record<string, unknown> };
  /** Step key -> where the step is: in the flow file, or (`blueprint`) in the blueprint's `flow.steps`. */
  steps: Map<string, { in: 'flow' | 'blueprint'; path: YamlPath; value: Step }>;
}

function readDocs(sources: FlowSources): FlowDocs {
  const own = (parseDocument(sources.text).toJS() ?? {}) as Record<string, unknown>;
  const docs: FlowDocs = { own, steps: new Map() };
  if (sources.blueprint) {
    const value = (parseDocument(sources.blueprint.text).toJS() ?? {}) as Record<string, unknown>;
    docs.blueprint = { key: sources.blueprint.key, file: sources.blueprint.file, value };
  }
  const fromBlueprint = !Array.isArray(own.steps) && docs.blueprint !== undefined;
  const holder = fromBlueprint ? docs.blueprint!.value.flow : own;
  const steps = isRecord(holder) && Array.isArray(holder.steps) ? (holder.steps as Step[]) : [];
  const keys = assignStepKeys(steps);
  const prefix: YamlPath = fromBlueprint ? ['flow', 'steps'] : ['steps'];
  walkSteps(steps, prefix, (step, path) => {
    const key = keys.get(step);
    if (key !== undefined && !docs.steps.has(key))
      docs.steps.set(key, { in: fromBlueprint ? 'blueprint' : 'flow', path, value: step });
  });
  return docs;
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let node = value;
  for (const step of path) node = isRecord(node) || Array.isArray(node) ? (node as never)[step] : undefined;
  return node;
}

function setLeaf(target: Record<string, unknown>, path: string[], value: Json | undefined): void {
  let node: unknown = target;
  for (const step of path.slice(0, -1)) {
    if (!isRecord(node) && !Array.isArray(node)) return;
    const holder = node as Record<string, unknown>;
    if (holder[step] === undefined) holder[step] = {};
    node = holder[step];
  }
  const last = path[path.length - 1]!;
  if (!isRecord(node) && !Array.isArray(node)) return;
  if (value === undefined) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}

class FlowPull {
  readonly out: ResourcePull;
  readonly edits: YamlChange[] = [];
  private readonly docs: FlowDocs;
  private readonly names: FlowImportContext;
  private readonly definition: Definition;
  private readonly triggerMetric: string | undefined;

  constructor(
    resource: ResourcePlan,
    private readonly sources: FlowSources,
    private readonly prints: PrintsContext,
  ) {
    this.out = emptyPull('flow', resource.key);
    this.docs = readDocs(sources);
    const action = resource.action;
    const desired = action.type === 'update' || action.type === 'replace' ? action.desired : undefined;
    this.definition = (desired?.kind === 'flow'
      ? desired.definition
      : { triggers: [], actions: [] }) as unknown as Definition;
    const first = this.definition.actions.find((a) => a.type === 'send-email');
    const message = isRecord(first?.data) && isRecord(first.data.message) ? first.data.message : {};
    this.names = flowNames(resource.key, sources.listName, {
      from_email: String(message.from_email ?? ''),
      from_label: String(message.from_label ?? ''),
      ...(typeof message.reply_to_email === 'string' ? { reply_to_email: message.reply_to_email } : {}),
    });
    const trigger = this.definition.triggers[0];
    this.triggerMetric = isRecord(trigger) && trigger.type === 'metric' ? String(trigger.id) : undefined;
  }

  field(change: FieldChange): void {
    const spelling = FLOW_FIELDS[change.path];
    if (!spelling) {
      this.out.notPulled.push({ path: change.path, reason: `pull does not write a flow's ${change.path}` });
      return;
    }
    const value = pulledValue(change, change.path, this.prints);
    if (!value.ok) return void this.out.notPulled.push({ path: change.path, reason: value.reason });
    const from = spelling.spell(change.after, this.names);
    const to = spelling.spell(value.value, this.names);
    if (to === undefined && change.path === 'definition.triggers') {
      this.out.notPulled.push({
        path: change.path,
        reason: "Klaviyo's trigger has no spelling in the flow format",
      });
      return;
    }
    const key = spelling.key;
    const pulled = { file: this.sources.file, path: change.path, ...(value.merged ? { merged: true } : {}) };
    const what = `${key} ${shown(from)} -> ${shown(to)}`;
    if (key in this.docs.own || !this.docs.blueprint || key === 'status' || key === 'name') {
      this.edits.push({ path: [key], from: key in this.docs.own ? from : undefined, to });
      this.out.pulled.push({ ...pulled, what });
      return;
    }
    // From the blueprint: its parameters if they say all of it, else the flow's own key overrides it.
    const viaParameters = this.parameters(['flow', key], from, to);
    if (viaParameters) {
      this.edits.push(...viaParameters.edits);
      this.out.pulled.push({ ...pulled, what: viaParameters.what });
      return;
    }
    this.edits.push({ path: [key], from: undefined, to: to ?? [] });
    this.out.pulled.push({ ...pulled, what: `${what} (overrides the blueprint's)` });
  }

  step(step: string, changes: FieldChange[]): void {
    const where = this.docs.steps.get(step);
    const want = this.definition.actions.find((a) => a.temporary_id === step);
    const refuse = (reason: string, only?: FieldChange[]): void => {
      for (const c of only ?? changes) this.out.notPulled.push({ path: `steps.${step}.${c.path}`, reason });
    };
    if (!where || !want) return refuse(`step ${step} is not in ${this.sources.file}`);
    const copies = changes.filter((c) => c.path.endsWith('.template_id'));
    refuse(
      `step ${step}'s email was edited in Klaviyo's flow editor, which keeps its own copy of the template: copy the edit into the template file (then apply re-assigns it), or apply --overwrite-hand-edits to re-assign the template as it is`,
      copies,
    );
    const fields = changes.filter((c) => !c.path.endsWith('.template_id'));
    if (fields.length === 0) return;
    const options = { dropMessageName: !hasMessageName(want) };
    const before = normalizeFlowAction(want, new Map(), options) as Record<string, unknown>;
    const after = structuredClone(before);
    const taken: Array<{ change: FieldChange; merged: boolean }> = [];
    for (const change of fields) {
      const value = pulledValue(change, `steps.${step}.${change.path}`, this.prints);
      if (!value.ok) {
        refuse(value.reason, [change]);
        continue;
      }
      setLeaf(after, change.path.split('.'), value.value);
      taken.push({ change, merged: value.merged });
    }
    if (taken.length === 0) return;
    const kind = Object.keys(where.value).find((k) => k !== 'id')!;
    const spelled = this.spellStep(kind, before, after, want);
    if (typeof spelled === 'string')
      return refuse(
        spelled,
        taken.map((t) => t.change),
      );
    const leaves = leafChanges(spelled.from, spelled.to).map((l) => ({
      name: `${step} ${[...spelled.at, ...l.path].join('.')}`,
      was: valueAt(spelled.from, l.path),
      to: l.to,
    }));
    const record = (what: string): void =>
      taken.forEach((t, i) =>
        this.out.pulled.push({
          file: this.sources.file,
          path: `steps.${step}.${t.change.path}`,
          what: i === 0 ? what : '',
          ...(t.merged ? { merged: true } : {}),
        }),
      );
    if (where.in === 'flow') {
      this.edits.push({ path: [...where.path, ...spelled.at], from: spelled.from, to: spelled.to });
      return record(leaves.map((l) => `${l.name} ${shown(l.was)} -> ${shown(l.to)}`).join(', '));
    }
    const at = [...where.path, ...spelled.at];
    const viaParameters = this.parameters(at, spelled.from, spelled.to);
    if (!viaParameters) {
      const blueprint = this.docs.blueprint!;
      const setHere = leafChanges(spelled.from, spelled.to).some(
        (l) => valueAt(blueprint.value, [...at, ...l.path]) !== undefined,
      );
      const names = leaves.map((l) => l.name).join(', ');
      return refuse(
        setHere
          ? `the flow extends blueprint ${blueprint.key}, which sets ${names} itself, not from a parameter: change it in ${blueprint.file} (for every flow that extends it), or give the blueprint a parameter for it`
          : `the flow extends blueprint ${blueprint.key}, which leaves ${names} to its default (a template's subject, for instance): give the blueprint a parameter for it in ${blueprint.file}`,
        taken.map((t) => t.change),
      );
    }
    this.edits.push(...viaParameters.edits);
    record(viaParameters.what);
  }

  structural(diff: StepDiff): void {
    const file = this.sources.file;
    const reasons: Record<StepDiff['change'], string> = {
      added: `step ${diff.step} was deleted in Klaviyo: to keep that, remove it from ${file} by hand`,
      removed: `a step was added in Klaviyo (${diff.label ?? diff.actionType}): to keep it, add it to ${file} by hand`,
      moved: `step ${diff.step} was moved in Klaviyo: to keep that, move it in ${file} by hand`,
      retyped: `step ${diff.step} was replaced by a ${diff.actionType} step in Klaviyo: change it in ${file} by hand`,
      changed: '',
    };
    this.out.notPulled.push({ path: `steps.${diff.step}`, reason: reasons[diff.change] });
  }

  /** The step as the format spells it, before and after; a string says why it cannot be spelled. */
  private spellStep(
    kind: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    want: DesiredAction,
  ): { at: YamlPath; from: unknown; to: unknown } | string {
    if (kind === 'raw') return { at: ['raw', 'data'], from: before.data, to: after.data };
    const spell = (action: Record<string, unknown>) =>
      actionToStep({ id: want.temporary_id, ...action } as RemoteFlowAction, this.names, this.triggerMetric);
    const from = spell(before);
    const to = spell(after);
    if (!from || from.kind !== kind) return `the flow format's ${kind} steps cannot be pulled yet`;
    if (!to || to.kind !== kind)
      return `the step as edited in Klaviyo has no spelling as a ${kind} step in the flow format`;
    return { at: [kind], from: from.body, to: to.body };
  }

  /** Edits of `with:` when every changed leaf at `path` of the blueprint is a whole `${parameter}`. */
  private parameters(
    path: YamlPath,
    from: unknown,
    to: unknown,
  ): { edits: YamlChange[]; what: string } | undefined {
    const blueprint = this.docs.blueprint;
    if (!blueprint) return undefined;
    const declared = isRecord(blueprint.value.parameters) ? blueprint.value.parameters : {};
    const given = isRecord(this.docs.own.with) ? this.docs.own.with : {};
    const edits: YamlChange[] = [];
    const what: string[] = [];
    for (const leaf of leafChanges(from, to)) {
      const written = valueAt(blueprint.value, [...path, ...leaf.path]);
      const name = typeof written === 'string' ? WHOLE_PARAMETER.exec(written)?.[1] : undefined;
      if (name === undefined || !(name in declared) || leaf.to === undefined) return undefined;
      const parameter = declared[name];
      const current = name in given ? given[name] : isRecord(parameter) ? parameter.default : undefined;
      edits.push({ path: ['with', name], from: name in given ? current : undefined, to: leaf.to });
      what.push(`with.${name} ${shown(current)} -> ${shown(leaf.to)}`);
    }
    return edits.length > 0 ? { edits, what: what.join(', ') } : undefined;
  }
}

export function pullFlow(resource: ResourcePlan, sources: FlowSources, prints: PrintsContext): ResourcePull {
  const action = resource.action;
  if (action.type !== 'update' && action.type !== 'replace') return emptyPull('flow', resource.key);
  const pull = new FlowPull(resource, sources, prints);
  for (const change of action.changes) if (change.origin === 'hand-edit') pull.field(change);
  if (action.type === 'update') {
    for (const step of action.steps) {
      const changes = step.changes.filter((c) => c.origin === 'hand-edit');
      if (changes.length > 0) pull.step(step.step, changes);
    }
  } else {
    for (const diff of action.steps) {
      if (diff.change === 'changed') {
        const changes = diff.changes.filter((c) => c.origin === 'hand-edit');
        if (changes.length > 0) pull.step(diff.step, changes);
      } else if (diff.origin === 'hand-edit') pull.structural(diff);
    }
  }
  const out = pull.out;
  if (pull.edits.length === 0) return out;
  try {
    out.writes.push({ file: sources.file, text: editYaml(sources.text, pull.edits), created: false });
  } catch (error) {
    if (!(error instanceof YamlEditError)) throw error;
    return refuseAll(out, `${sources.file} could not be edited: ${error.message}`);
  }
  return out;
}
