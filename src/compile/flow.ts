/**
 * The flow DSL -> Klaviyo's `FlowDefinition` (revision 2026-07-15). Steps become actions whose `temporary_id`
 * is the step's key; nested `then`/`else` lists become `next_if_true`/`next_if_false` links; every action and
 * condition is recorded in a source map so a spec violation can be reported at the YAML line it came from.
 */
import type { Diagnostic } from '../project/diagnostics.js';
import type { Locator } from '../project/locator.js';
import type {
  BrandConfig,
  EmailStep,
  ListFile,
  Loaded,
  LoadedFlow,
  LoadedTemplate,
  SmsStep,
  Step,
} from '../project/model.js';
import { STEP_KINDS } from '../project/model.js';
import { assignStepKeys, walkSteps } from '../project/steps.js';
import type { YamlPath } from '../project/yaml-source.js';
import { compileConditionGroups, compileTriggerFilter } from './conditions.js';
import { CompileContext, pointer, type ReferenceScope } from './context.js';
import type { DesiredFlow, SourceLocation } from './desired-state.js';

export interface FlowCompileInput {
  flow: LoadedFlow;
  brand: BrandConfig;
  templates: ReadonlyMap<string, LoadedTemplate>;
  lists: ReadonlyMap<string, Loaded<ListFile>>;
  scope: ReferenceScope;
}

export interface CompiledFlow {
  desired: DesiredFlow;
  /** JSON pointer relative to `definition` -> YAML path (resolve with `at`). */
  sourceMap: Map<string, YamlPath>;
  at: Locator;
  diagnostics: Diagnostic[];
}

type Action = DesiredFlow['definition']['actions'][number];

export function compileFlow(input: FlowCompileInput): CompiledFlow {
  const { flow } = input;
  const file = flow.value;
  const ctx = new CompileContext(flow.at, input.scope);
  const keys = assignStepKeys(file.steps);
  const steps: Record<string, SourceLocation> = {};
  const firstPath = new Map<string, YamlPath>();
  walkSteps(file.steps, ['steps'], (step, path) => {
    const key = keys.get(step)!;
    const previous = firstPath.get(key);
    if (previous) {
      ctx.report(
        step.id !== undefined ? [...path, 'id'] : path,
        'duplicate-step-id',
        `two steps have the key '${key}' (the other is at line ${ctx.location(previous).line})`,
        step.id !== undefined ? 'give each step its own id' : 'give this step an explicit id',
      );
      return;
    }
    firstPath.set(key, path);
    steps[key] = ctx.location(path);
  });

  const compiler = new StepCompiler(input, ctx, keys);
  const triggers = [compiler.trigger()];
  const definition: DesiredFlow['definition'] = {
    triggers,
    entry_action_id: '',
    actions: compiler.actions,
  };
  if (file.entry_filters && file.entry_filters.length > 0) {
    ctx.map('/profile_filter', ['entry_filters']);
    definition.profile_filter = {
      condition_groups: compileConditionGroups(
        file.entry_filters,
        ['entry_filters'],
        '/profile_filter/condition_groups',
        'entry-filter',
        ctx,
      ),
    };
  }
  if (file.reentry !== undefined) {
    ctx.map('/reentry_criteria', ['reentry']);
    definition.reentry_criteria =
      file.reentry === 'never'
        ? { duration: 1, unit: 'alltime' }
        : { duration: file.reentry.every, unit: file.reentry.unit };
  }
  if (file.steps.length === 0)
    ctx.report(['steps'], 'flow-empty', 'the flow has no steps', 'add at least one step');
  definition.entry_action_id = compiler.emit(file.steps, ['steps']) ?? '';

  const desired: DesiredFlow = {
    kind: 'flow',
    key: flow.key,
    name: file.name,
    source: ctx.location([]),
    preventDestroy: file.prevent_destroy ?? false,
    status: file.status ?? 'draft',
    definition,
    refs: ctx.refs,
    steps,
  };
  return { desired, sourceMap: ctx.sourceMap, at: flow.at, diagnostics: ctx.diagnostics };
}

class StepCompiler {
  readonly actions: Action[] = [];

  constructor(
    private readonly input: FlowCompileInput,
    private readonly ctx: CompileContext,
    private readonly keys: Map<Step, string>,
  ) {}

  private get file() {
    return this.input.flow.value;
  }

  trigger(): unknown {
    const { trigger } = this.file;
    const ctx = this.ctx;
    ctx.map('/triggers/0', ['trigger']);
    const kinds = (['metric', 'list', 'segment', 'date'] as const).filter((k) => trigger[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.report(
        ['trigger'],
        'flow-trigger',
        kinds.length === 0
          ? 'the trigger needs one of metric, list, segment, date'
          : `one trigger per flow: found ${kinds.join(' and ')}`,
      );
      return { type: 'metric', id: null };
    }
    if (trigger.where && !trigger.metric)
      ctx.report(
        ['trigger', 'where'],
        'flow-trigger',
        "'where' filters the triggering event: it needs a metric trigger",
      );
    if (trigger.metric !== undefined) {
      return {
        type: 'metric',
        id: ctx.ref('metric', trigger.metric, '/triggers/0/id', ['trigger', 'metric']),
        trigger_filter: trigger.where
          ? compileTriggerFilter(
              trigger.where,
              trigger.metric,
              ['trigger', 'where'],
              '/triggers/0/trigger_filter',
              ctx,
            )
          : null,
      };
    }
    if (trigger.list !== undefined)
      return { type: 'list', id: ctx.ref('list', trigger.list, '/triggers/0/id', ['trigger', 'list']) };
    if (trigger.segment !== undefined)
      return {
        type: 'segment',
        id: ctx.ref('segment', trigger.segment, '/triggers/0/id', ['trigger', 'segment']),
      };
    const date = trigger.date!;
    return {
      type: 'date',
      date_field_type: 'profile-property',
      date_profile_property: date.property,
      timedelta_value_before_date: date.days_before ?? 0,
      timedelta_unit_before_date: 'days',
      recurrence_frequency: date.recurrence ?? 'annually',
      timezone: date.timezone ?? 'profile',
      trigger_time: `${date.time}:00`,
    };
  }

  /** Emits a list of steps; returns the key of its first step (null for an empty list). */
  emit(steps: Step[], path: YamlPath): string | null {
    const keys = steps.map((s) => this.keys.get(s)!);
    steps.forEach((step, i) => {
      const next = keys[i + 1] ?? null;
      this.emitStep(step, [...path, i], next);
    });
    return keys[0] ?? null;
  }

  private emitStep(step: Step, path: YamlPath, next: string | null): void {
    const ctx = this.ctx;
    const key = this.keys.get(step)!;
    const index = this.actions.length;
    const at = `/actions/${index}`;
    ctx.map(at, path);
    const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.report(
        path,
        'flow-step',
        kinds.length === 0
          ? `a step needs one of: ${STEP_KINDS.join(', ')}`
          : `one action per step: found ${kinds.join(' and ')}`,
        kinds.length === 0 ? undefined : 'split it into separate steps',
      );
      return;
    }
    const kind = kinds[0]!;
    const here = [...path, kind];
    switch (kind) {
      case 'wait':
        this.actions.push({
          temporary_id: key,
          type: 'time-delay',
          links: { next },
          data: this.wait(step.wait!, here),
        });
        return;
      case 'email':
        this.actions.push({
          temporary_id: key,
          type: 'send-email',
          links: { next },
          data: { message: this.email(step.email!, here, pointer(at, 'data', 'message')) },
        });
        return;
      case 'sms':
        this.actions.push({
          temporary_id: key,
          type: 'send-sms',
          links: { next },
          data: { message: this.sms(step.sms!) },
        });
        return;
      case 'split': {
        const split = step.split!;
        const action: Action = { temporary_id: key, type: 'conditional-split', links: {}, data: {} };
        this.actions.push(action);
        ctx.map(pointer(at, 'data', 'profile_filter'), [...here, 'if']);
        action.data = {
          profile_filter: {
            condition_groups: compileConditionGroups(
              split.if,
              [...here, 'if'],
              pointer(at, 'data', 'profile_filter', 'condition_groups'),
              'split',
              ctx,
            ),
          },
        };
        action.links = {
          next_if_true: this.emit(split.then ?? [], [...here, 'then']),
          next_if_false: this.emit(split.else ?? [], [...here, 'else']),
        };
        return;
      }
      case 'trigger_split': {
        const split = step.trigger_split!;
        const action: Action = { temporary_id: key, type: 'trigger-split', links: {}, data: {} };
        this.actions.push(action);
        const metric = this.file.trigger.metric;
        if (metric === undefined) {
          ctx.report(
            here,
            'flow-step',
            'a trigger_split splits on the triggering event: the flow needs a metric trigger',
            "use 'split:' on profile conditions instead",
          );
        }
        ctx.map(pointer(at, 'data', 'trigger_filter'), [...here, 'where']);
        action.data = {
          trigger_id:
            metric === undefined
              ? ''
              : ctx.ref('metric', metric, pointer(at, 'data', 'trigger_id'), ['trigger', 'metric'], false),
          trigger_type: 'metric',
          trigger_filter:
            metric === undefined
              ? { condition_groups: [] }
              : compileTriggerFilter(
                  split.where,
                  metric,
                  [...here, 'where'],
                  pointer(at, 'data', 'trigger_filter'),
                  ctx,
                ),
        };
        action.links = {
          next_if_true: this.emit(split.then ?? [], [...here, 'then']),
          next_if_false: this.emit(split.else ?? [], [...here, 'else']),
        };
        return;
      }
      case 'ab_test': {
        const test = step.ab_test!;
        const variants = test.variants.map((variant, i) => {
          const id = `${key}-${String.fromCharCode(97 + i)}`;
          const variantPath = [...here, 'variants', i];
          const variantPointer =
            i === 0
              ? pointer(at, 'data', 'main_action')
              : pointer(at, 'data', 'current_experiment', 'variations', i - 1);
          ctx.map(variantPointer, variantPath);
          if (variant.email)
            return {
              temporary_id: id,
              type: 'send-email',
              data: {
                message: this.email(
                  variant.email,
                  [...variantPath, 'email'],
                  pointer(variantPointer, 'data', 'message'),
                ),
              },
            };
          return { temporary_id: id, type: 'send-sms', data: { message: this.sms(variant.sms!) } };
        });
        if (new Set(variants.map((v) => v.type)).size > 1)
          ctx.report([...here, 'variants'], 'flow-step', 'A/B variants must all be emails or all be SMS');
        this.actions.push({
          temporary_id: key,
          type: 'ab-test',
          links: { next },
          data: {
            main_action: variants[0],
            current_experiment: {
              name: test.name ?? `${this.file.name}: ${key}`,
              variations: variants.slice(1),
              allocations: null,
              winner_metric: test.winner_metric ?? 'unique-clicks',
              automatic_winner_selection_settings: {
                enabled: test.auto_winner ?? true,
                automatic_end_date: null,
                automatic_end_statistical_certainty: true,
              },
            },
          },
        });
        return;
      }
      case 'update_profile': {
        const update = step.update_profile!;
        const operations: unknown[] = [];
        for (const [property, value] of Object.entries(update.set ?? {})) {
          const type =
            typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'string';
          operations.push({
            operator: 'update',
            property_type: type,
            property_key: property,
            property_value: value,
          });
        }
        for (const property of update.unset ?? [])
          operations.push({ operator: 'delete', property_key: property });
        this.actions.push({
          temporary_id: key,
          type: 'update-profile',
          links: { next },
          data: { profile_operations: operations },
        });
        return;
      }
      case 'webhook': {
        const hook = step.webhook!;
        this.actions.push({
          temporary_id: key,
          type: 'send-webhook',
          links: { next },
          data: {
            message: {
              name: hook.name ?? key,
              url: hook.url,
              headers: hook.headers ?? null,
              body: hook.body ?? null,
            },
          },
        });
        return;
      }
      case 'list_update': {
        const update = step.list_update!;
        const listKey = update.add_to ?? update.remove_from ?? '';
        const listName = this.input.lists.get(listKey)?.value.name ?? listKey;
        const listId = ctx.ref('list', listKey, pointer(at, 'data', 'list_id'), [
          ...here,
          update.add_to !== undefined ? 'add_to' : 'remove_from',
        ]);
        this.actions.push({
          temporary_id: key,
          type: 'list-update',
          links: { next },
          data: {
            name: update.add_to !== undefined ? `Add to ${listName}` : `Remove from ${listName}`,
            list_id: listId,
            on_execution: update.add_to !== undefined,
          },
        });
        return;
      }
      case 'raw': {
        const { type, data } = step.raw!;
        this.actions.push({ temporary_id: key, type, links: { next }, data });
        return;
      }
    }
  }

  private wait(wait: NonNullable<Step['wait']>, path: YamlPath): unknown {
    const units = (['minutes', 'hours', 'days'] as const).filter((u) => wait[u] !== undefined);
    if (units.length !== 1) {
      this.ctx.report(
        path,
        'flow-step',
        units.length === 0
          ? 'a wait needs minutes, hours or days'
          : `use one unit per wait: found ${units.join(' and ')}`,
        units.length === 0 ? undefined : 'convert to one unit, e.g. days: 2',
      );
    }
    const unit = units[0] ?? 'days';
    const data: Record<string, unknown> = {
      unit,
      value: wait[unit] ?? 1,
      timezone: wait.timezone ?? 'profile',
    };
    if (wait.until) {
      if (unit !== 'days') {
        this.ctx.report(
          [...path, 'until'],
          'flow-step',
          "'until' only works with a wait in days (Klaviyo's rule)",
          'express the wait in days, or remove until',
        );
      } else {
        if (wait.until.time) data.delay_until_time = `${wait.until.time}:00`;
        if (wait.until.weekdays) data.delay_until_weekdays = wait.until.weekdays;
      }
    }
    return data;
  }

  private email(email: EmailStep, path: YamlPath, messagePointer: string): Record<string, unknown> {
    const template = this.input.templates.get(email.template);
    const front = template?.frontMatter;
    const sender = this.input.brand.sender;
    const templateId = this.ctx.ref('template', email.template, pointer(messagePointer, 'template_id'), [
      ...path,
      'template',
    ]);
    const message: Record<string, unknown> = {
      name: email.name ?? front?.name ?? email.template,
      from_email: sender.from_email,
      from_label: sender.from_label,
      reply_to_email: sender.reply_to_email ?? null,
      subject_line: email.subject ?? front?.subject ?? '',
      preview_text: email.preview_text ?? front?.preview_text ?? '',
      template_id: templateId,
      smart_sending_enabled: email.smart_sending ?? true,
      transactional: email.transactional ?? front?.transactional ?? false,
      add_tracking_params: email.add_tracking_params ?? email.utm !== undefined,
      custom_tracking_params: utmParams(email.utm),
    };
    return message;
  }

  private sms(sms: SmsStep): Record<string, unknown> {
    return {
      name: sms.name ?? null,
      body: sms.body,
      smart_sending_enabled: sms.smart_sending ?? true,
      sms_quiet_hours_enabled: sms.quiet_hours ?? true,
      shorten_links: sms.shorten_links ?? true,
      add_tracking_params: sms.utm !== undefined,
      custom_tracking_params: utmParams(sms.utm),
    };
  }
}

function utmParams(utm: Record<string, string> | undefined): Array<{ param: string; value: string }> | null {
  if (!utm) return null;
  return Object.entries(utm).map(([param, value]) => ({ param, value }));
}
