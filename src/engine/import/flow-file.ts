/**
 * A Klaviyo flow (definition with real ids) as a flow file of the repository format: steps the format can say
 * exactly become DSL steps (wait, email, sms, split, trigger_split, update_profile, webhook, list_update);
 * any other linear action becomes a `raw:` step carrying Klaviyo's own data. Each conversion is the exact
 * inverse of what compile writes, so the imported file compiles back to the same definition. A flow whose
 * trigger or branching the format cannot express is not converted (the reason says why).
 */
import { isRecord } from '../normalize.js';
import type { RemoteFlow, RemoteFlowAction } from '../remote-model.js';
import { conditionList, propertyTest, triggerWhere, type ConditionNames } from './property-tests.js';

export interface FlowImportContext {
  flowKey: string;
  listKey(id: string): string | undefined;
  segmentKey(id: string): string | undefined;
  metricName(id: string): string | undefined;
  /** The template key a flow email's copy is imported as. */
  templateKeyOfCopy(copyId: string): string | undefined;
  /** The display name of a list by key (list_update steps are named after it). */
  listName(key: string): string | undefined;
  sender: { from_email: string; from_label: string; reply_to_email?: string | undefined };
}

export type FlowFileResult =
  { ok: true; file: Record<string, unknown>; rawSteps: string[] } | { ok: false; reason: string };

class Unsupported extends Error {}

type Step = Record<string, unknown>;

const RAW_DROP = new Set(['status', 'experiment_status']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Keys of `record` whose values are set (not null/undefined/empty), minus `allowed`. */
function extraKeys(record: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(record).filter((key) => {
    const value = record[key];
    const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    return !allowed.includes(key) && !empty;
  });
}

function utmOf(params: unknown): Record<string, string> | undefined | false {
  if (params === null || params === undefined) return undefined;
  if (!Array.isArray(params)) return false;
  const utm: Record<string, string> = {};
  for (const p of params) {
    if (
      !isRecord(p) ||
      typeof p.param !== 'string' ||
      typeof p.value !== 'string' ||
      Object.keys(p).length !== 2
    ) {
      return false;
    }
    utm[p.param] = p.value;
  }
  return params.length === 0 ? undefined : utm;
}

export function flowToFile(flow: RemoteFlow, ctx: FlowImportContext): FlowFileResult {
  const definition = flow.definition;
  if (!definition) return { ok: false, reason: 'its definition could not be read' };
  try {
    const converter = new FlowConverter(definition.actions, ctx);
    const file: Record<string, unknown> = { name: flow.name, status: flowStatus(flow.status) };
    file.trigger = converter.trigger(definition.triggers);
    if (isRecord(definition.profile_filter) && Array.isArray(definition.profile_filter.condition_groups)) {
      const filters = conditionList(definition.profile_filter, converter.names);
      if (filters.length > 0) file.entry_filters = filters;
    }
    const reentry = reentryToFile(definition.reentry_criteria);
    if (reentry !== undefined) file.reentry = reentry;
    file.steps = converter.chain(definition.entry_action_id);
    return { ok: true, file, rawSteps: converter.rawSteps };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A flow's re-entry rule in the format's words; undefined when the flow has none. */
export function reentryToFile(reentry: unknown): unknown {
  if (!isRecord(reentry)) return undefined;
  return reentry.unit === 'alltime' && reentry.duration === 1
    ? 'never'
    : { every: reentry.duration, unit: reentry.unit };
}

/** A flow's trigger in the format's words; undefined when the format cannot say it. */
export function triggerToFile(
  triggers: unknown,
  ctx: FlowImportContext,
): Record<string, unknown> | undefined {
  try {
    return new FlowConverter([], ctx).trigger(Array.isArray(triggers) ? triggers : []);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * One flow action as the body of a step in the format (`{ kind: 'wait', body: { hours: 4 } }`); a split's
 * branches are steps of their own and left out. Undefined when the format has no spelling for the action.
 * `triggerMetricId`: the flow's trigger metric, which a trigger split must split on.
 */
export function actionToStep(
  action: RemoteFlowAction,
  ctx: FlowImportContext,
  triggerMetricId?: string,
): { kind: string; body: Record<string, unknown> } | undefined {
  return new FlowConverter([], ctx).stepBody(action, triggerMetricId);
}

function flowStatus(status: string): string {
  return status === 'live' || status === 'manual' ? status : 'draft';
}

class FlowConverter {
  readonly rawSteps: string[] = [];
  private readonly actions: Map<string, RemoteFlowAction>;
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly seen = new Set<string>();
  private triggerMetricId: string | undefined;
  readonly names: ConditionNames;

  constructor(
    actions: readonly RemoteFlowAction[],
    private readonly ctx: FlowImportContext,
  ) {
    this.actions = new Map(actions.map((a) => [a.id, a]));
    this.names = {
      listKey: ctx.listKey,
      segmentKey: ctx.segmentKey,
      metricName: ctx.metricName,
      inFlow: true,
    };
  }

  private key(prefix: string): string {
    let n = (this.counters.get(prefix) ?? 0) + 1;
    while (this.used.has(`${prefix}-${n}`)) n += 1;
    this.counters.set(prefix, n);
    const key = `${prefix}-${n}`;
    this.used.add(key);
    return key;
  }

  trigger(triggers: unknown[]): Record<string, unknown> {
    if (triggers.length !== 1 || !isRecord(triggers[0])) throw new Unsupported('it has no single trigger');
    const t = triggers[0];
    const id = str(t.id);
    switch (t.type) {
      case 'list': {
        const key = id && this.ctx.listKey(id);
        if (!key) throw new Unsupported(`its trigger list ${id ?? '?'} is not imported`);
        return { list: key };
      }
      case 'segment': {
        const key = id && this.ctx.segmentKey(id);
        if (!key) throw new Unsupported(`its trigger segment ${id ?? '?'} is not imported`);
        return { segment: key };
      }
      case 'metric': {
        const name = id && this.ctx.metricName(id);
        if (!name) throw new Unsupported(`its trigger metric ${id ?? '?'} is unknown`);
        this.triggerMetricId = id;
        const trigger: Record<string, unknown> = { metric: name };
        if (t.trigger_filter !== null && t.trigger_filter !== undefined) {
          const where = triggerWhere(t.trigger_filter, id!);
          if (!where) throw new Unsupported('its trigger filter has a shape the flow format cannot express');
          if (where.length > 0) trigger.where = where;
        }
        return trigger;
      }
      case 'date': {
        const time = str(t.trigger_time);
        const ok =
          t.date_field_type === 'profile-property' &&
          typeof t.date_profile_property === 'string' &&
          (t.timedelta_unit_before_date === 'days' || t.timedelta_value_before_date === 0) &&
          time !== undefined &&
          /^\d{2}:\d{2}:00$/.test(time) &&
          extraKeys(t, [
            'type',
            'date_field_type',
            'date_profile_property',
            'timedelta_value_before_date',
            'timedelta_unit_before_date',
            'recurrence_frequency',
            'timezone',
            'trigger_time',
          ]).length === 0;
        if (!ok) throw new Unsupported('its date trigger has options the flow format cannot express');
        const date: Record<string, unknown> = {
          property: t.date_profile_property,
          days_before: t.timedelta_value_before_date ?? 0,
          time: time!.slice(0, 5),
          recurrence: t.recurrence_frequency ?? 'annually',
        };
        if (t.timezone && t.timezone !== 'profile') date.timezone = t.timezone;
        return { date };
      }
      default:
        throw new Unsupported(`its ${String(t.type)} trigger has no spelling in the flow format`);
    }
  }

  /** The steps from `start` to the end of its branch. */
  chain(start: unknown): Step[] {
    const steps: Step[] = [];
    let id = str(start);
    while (id !== undefined) {
      if (this.seen.has(id))
        throw new Unsupported('two paths join into one step, which the flow format cannot express');
      const action = this.actions.get(id);
      if (!action) break;
      this.seen.add(id);
      const links = isRecord(action.links) ? action.links : {};
      if (action.type === 'conditional-split' || action.type === 'trigger-split') {
        steps.push(this.split(action, links));
        break;
      }
      if (
        'next_if_true' in links ||
        'next_if_false' in links ||
        (isRecord(action.data) && 'branches' in action.data)
      ) {
        throw new Unsupported(`its ${action.type} step has no spelling in the flow format`);
      }
      steps.push(this.linear(action));
      id = str(links.next);
    }
    return steps;
  }

  private split(action: RemoteFlowAction, links: Record<string, unknown>): Step {
    const data = isRecord(action.data) ? action.data : {};
    if (action.type === 'conditional-split') {
      const key = this.key('split');
      return {
        id: key,
        split: {
          if: conditionList(data.profile_filter, this.names),
          then: this.chain(links.next_if_true),
          else: this.chain(links.next_if_false),
        },
      };
    }
    const metric = this.triggerMetricId;
    const where =
      metric && data.trigger_id === metric && data.trigger_type === 'metric'
        ? triggerWhere(data.trigger_filter, metric)
        : undefined;
    if (!where)
      throw new Unsupported(
        'its trigger split is not on the trigger metric in a shape the format can express',
      );
    const key = this.key('trigger-split');
    return {
      id: key,
      trigger_split: { where, then: this.chain(links.next_if_true), else: this.chain(links.next_if_false) },
    };
  }

  /** The step body of one action, its branches left out (see `actionToStep`). */
  stepBody(
    action: RemoteFlowAction,
    triggerMetricId: string | undefined,
  ): { kind: string; body: Record<string, unknown> } | undefined {
    const data = isRecord(action.data) ? action.data : {};
    if (action.type === 'conditional-split')
      return { kind: 'split', body: { if: conditionList(data.profile_filter, this.names) } };
    if (action.type === 'trigger-split') {
      const where =
        triggerMetricId !== undefined && data.trigger_id === triggerMetricId && data.trigger_type === 'metric'
          ? triggerWhere(data.trigger_filter, triggerMetricId)
          : undefined;
      return where ? { kind: 'trigger_split', body: { where } } : undefined;
    }
    const dsl = this.dsl(action.type, data);
    return dsl && isRecord(dsl.body) ? { kind: dsl.kind, body: dsl.body } : undefined;
  }

  private linear(action: RemoteFlowAction): Step {
    const data = isRecord(action.data) ? action.data : {};
    const dsl = this.dsl(action.type, data);
    if (dsl) {
      const key = this.key(dsl.prefix);
      return { id: key, [dsl.kind]: dsl.body };
    }
    const key = this.key('step');
    this.rawSteps.push(key);
    return { id: key, raw: { type: action.type, data: rawData(data, key) } };
  }

  private dsl(
    type: string,
    data: Record<string, unknown>,
  ): { prefix: string; kind: string; body: unknown } | undefined {
    switch (type) {
      case 'time-delay':
        return this.wait(data);
      case 'send-email':
        return this.email(data);
      case 'send-sms':
        return this.sms(data);
      case 'update-profile':
        return this.updateProfile(data);
      case 'send-webhook':
        return this.webhook(data);
      case 'list-update':
        return this.listUpdate(data);
      default:
        return undefined;
    }
  }

  private wait(data: Record<string, unknown>) {
    if (
      extraKeys(data, ['unit', 'value', 'timezone', 'delay_until_time', 'delay_until_weekdays', 'status'])
        .length > 0
    )
      return undefined;
    const unit = str(data.unit) ?? 'days';
    if (!['minutes', 'hours', 'days'].includes(unit) || typeof data.value !== 'number') return undefined;
    const wait: Record<string, unknown> = { [unit]: data.value };
    const time = str(data.delay_until_time);
    const weekdays =
      Array.isArray(data.delay_until_weekdays) && data.delay_until_weekdays.length > 0
        ? data.delay_until_weekdays
        : undefined;
    if (time !== undefined || weekdays) {
      if (unit !== 'days' || (time !== undefined && !/^\d{2}:\d{2}:00$/.test(time))) return undefined;
      wait.until = { ...(time ? { time: time.slice(0, 5) } : {}), ...(weekdays ? { weekdays } : {}) };
    }
    if (data.timezone !== undefined && data.timezone !== null && data.timezone !== 'profile')
      wait.timezone = data.timezone;
    return { prefix: 'wait', kind: 'wait', body: wait };
  }

  private email(data: Record<string, unknown>) {
    if (extraKeys(data, ['message', 'status']).length > 0 || !isRecord(data.message)) return undefined;
    const m = data.message;
    const sender = this.ctx.sender;
    const allowed = [
      'id',
      'name',
      'from_email',
      'from_label',
      'reply_to_email',
      'subject_line',
      'preview_text',
      'template_id',
      'smart_sending_enabled',
      'transactional',
      'add_tracking_params',
      'custom_tracking_params',
    ];
    if (extraKeys(m, allowed).length > 0) return undefined;
    if (m.from_email !== sender.from_email || m.from_label !== sender.from_label) return undefined;
    if ((m.reply_to_email ?? null) !== (sender.reply_to_email ?? null)) return undefined;
    const template =
      typeof m.template_id === 'string' ? this.ctx.templateKeyOfCopy(m.template_id) : undefined;
    if (!template) return undefined;
    const utm = utmOf(m.custom_tracking_params);
    if (utm === false) return undefined;
    const email: Record<string, unknown> = { template };
    if (typeof m.name === 'string') email.name = m.name;
    email.subject = str(m.subject_line) ?? '';
    email.preview_text = str(m.preview_text) ?? '';
    if (m.smart_sending_enabled === false) email.smart_sending = false;
    if (m.transactional === true) email.transactional = true;
    if (utm) email.utm = utm;
    const tracking = m.add_tracking_params === true;
    if (tracking !== (utm !== undefined)) email.add_tracking_params = tracking;
    return { prefix: 'email', kind: 'email', body: email };
  }

  private sms(data: Record<string, unknown>) {
    if (extraKeys(data, ['message', 'status']).length > 0 || !isRecord(data.message)) return undefined;
    const m = data.message;
    const defaults: Record<string, unknown> = {
      transactional: false,
      add_org_prefix: true,
      add_info_link: true,
      add_opt_out_language: false,
      include_contact_card: false,
    };
    for (const [key, value] of Object.entries(defaults))
      if (m[key] !== undefined && m[key] !== null && m[key] !== value) return undefined;
    const allowed = [
      'id',
      'name',
      'body',
      'smart_sending_enabled',
      'sms_quiet_hours_enabled',
      'shorten_links',
      'add_tracking_params',
      'custom_tracking_params',
      ...Object.keys(defaults),
    ];
    if (extraKeys(m, allowed).length > 0 || typeof m.body !== 'string') return undefined;
    const utm = utmOf(m.custom_tracking_params);
    if (utm === false || (m.add_tracking_params === true) !== (utm !== undefined)) return undefined;
    const sms: Record<string, unknown> = { body: m.body };
    if (typeof m.name === 'string') sms.name = m.name;
    if (m.smart_sending_enabled === false) sms.smart_sending = false;
    if (m.sms_quiet_hours_enabled === false) sms.quiet_hours = false;
    if (m.shorten_links === false) sms.shorten_links = false;
    if (utm) sms.utm = utm;
    return { prefix: 'sms', kind: 'sms', body: sms };
  }

  private updateProfile(data: Record<string, unknown>) {
    if (
      extraKeys(data, ['profile_operations', 'status']).length > 0 ||
      !Array.isArray(data.profile_operations)
    )
      return undefined;
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    for (const op of data.profile_operations) {
      if (!isRecord(op) || typeof op.property_key !== 'string') return undefined;
      if (op.operator === 'delete' && Object.keys(op).length === 2) {
        unset.push(op.property_key);
        continue;
      }
      if (unset.length > 0 || op.operator !== 'update') return undefined;
      const value = op.property_value;
      const type =
        typeof value === 'number'
          ? 'numeric'
          : typeof value === 'boolean'
            ? 'boolean'
            : typeof value === 'string'
              ? 'string'
              : undefined;
      if (
        !type ||
        op.property_type !== type ||
        extraKeys(op, ['operator', 'property_type', 'property_key', 'property_value']).length > 0
      )
        return undefined;
      set[op.property_key] = value;
    }
    return {
      prefix: 'update-profile',
      kind: 'update_profile',
      body: { ...(Object.keys(set).length > 0 ? { set } : {}), ...(unset.length > 0 ? { unset } : {}) },
    };
  }

  private webhook(data: Record<string, unknown>) {
    if (extraKeys(data, ['message', 'status']).length > 0 || !isRecord(data.message)) return undefined;
    const m = data.message;
    if (extraKeys(m, ['id', 'name', 'url', 'headers', 'body']).length > 0 || typeof m.url !== 'string')
      return undefined;
    if (m.headers !== null && m.headers !== undefined && !isRecord(m.headers)) return undefined;
    const hook: Record<string, unknown> = { url: m.url };
    if (typeof m.name === 'string') hook.name = m.name;
    if (isRecord(m.headers) && Object.keys(m.headers).length > 0) hook.headers = m.headers;
    if (typeof m.body === 'string') hook.body = m.body;
    return { prefix: 'webhook', kind: 'webhook', body: hook };
  }

  private listUpdate(data: Record<string, unknown>) {
    if (extraKeys(data, ['name', 'list_id', 'on_execution', 'status']).length > 0) return undefined;
    const key = typeof data.list_id === 'string' ? this.ctx.listKey(data.list_id) : undefined;
    if (!key) return undefined;
    const add = data.on_execution !== false;
    const listName = this.ctx.listName(key) ?? key;
    if (data.name !== (add ? `Add to ${listName}` : `Remove from ${listName}`)) return undefined;
    return { prefix: 'list-update', kind: 'list_update', body: add ? { add_to: key } : { remove_from: key } };
  }
}

/** Klaviyo's data for a `raw:` step: without send status and assigned ids (A/B arms get temporary ids). */
function rawData(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const drop of RAW_DROP) delete copy[drop];
  const clean = (node: unknown, armKey?: string): void => {
    if (!isRecord(node)) return;
    if (armKey !== undefined) {
      delete node.id;
      node.temporary_id = armKey;
    }
    const d = node.data;
    if (isRecord(d)) {
      for (const drop of RAW_DROP) delete d[drop];
      if (isRecord(d.message)) delete d.message.id;
    }
  };
  if (isRecord(copy.message)) delete copy.message.id;
  if (isRecord(copy.main_action)) clean(copy.main_action, `${key}-a`);
  const experiment = copy.current_experiment;
  if (isRecord(experiment) && Array.isArray(experiment.variations)) {
    experiment.variations.forEach((v, i) => clean(v, `${key}-${String.fromCharCode(98 + i)}`));
  }
  return copy;
}

export { propertyTest };
