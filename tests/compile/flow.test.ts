import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { flowCreateBody } from '../../src/compile/spec-check.js';
import type { DesiredFlow } from '../../src/compile/desired-state.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { klaviyoSchemaValidator } from '../../src/klaviyo/spec/index.js';
import { tempProject, type TempProject } from '../project/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const FLOW = 'marketing/brands/acme/flows/test.yaml';

async function compile(yaml: string): Promise<{ flow: DesiredFlow | undefined; diagnostics: string[] }> {
  // Without the fixture's own Started Checkout flow, which would overlap with the flows tested here.
  project = tempProject({ [FLOW]: yaml, 'marketing/brands/acme/flows/reminder.yaml': null });
  const result = await buildDesiredState({ cwd: project.cwd, dir: project.dir });
  return {
    flow: result.states[0]?.flows.find((f) => f.key === 'test'),
    diagnostics: result.diagnostics.filter((d) => d.file === FLOW).map(formatDiagnostic),
  };
}

const KITCHEN_SINK = `name: Everything
status: manual
trigger:
  metric: Started Checkout
  where: [ { property: $value, more_than: 20 } ]
entry_filters:
  - consent: { channel: email, double_opt_in: true }
  - { metric: Placed Order, count: { equals: 0 }, since: flow_start }
  - not_in_flow: { within: { last: 30, unit: day } }
  - any:
      - profile: { property: Loyalty Tier, in: [Gold, Silver] }
      - predictive: { dimension: predicted_clv, at_least: 100 }
reentry: { every: 7, unit: day }
steps:
  - wait: { days: 1, until: { time: "10:30", weekdays: [monday, friday] } }
  - email:
      template: hello
      subject: Custom subject
      utm: { utm_campaign: cart }
  - id: value
    trigger_split:
      where: [ { property: $value, between: [100, 500] } ]
      then:
        - ab_test:
            name: Subject test
            winner_metric: unique-opens
            variants:
              - email: { template: hello }
              - email: { template: hello, subject: B }
      else:
        - split:
            if:
              - consent: { channel: sms }
              - region: { in: united_states }
            then:
              - sms: { body: "Your cart is waiting" }
              - update_profile: { set: { cart_nudged: true, nudges: 1, last_nudge: sms }, unset: [legacy] }
              - list_update: { add_to: newsletter }
              - webhook: { url: "https://hooks.acme.example/x", headers: { X-Key: a }, body: '{"e": "{{ person.email }}"}' }
              - raw: { type: time-delay, data: { unit: hours, value: 2 } }
            else: []
`;

describe('compileFlow', () => {
  it('compiles every step type into a FlowDefinition the spec accepts', async () => {
    const { flow, diagnostics } = await compile(KITCHEN_SINK);
    expect(diagnostics).toEqual([]);
    expect(flow).toBeDefined();
    expect(klaviyoSchemaValidator().validate('FlowCreateQuery', flowCreateBody(flow!))).toEqual({ ok: true });
    const def = flow!.definition;
    expect(flow!.status).toBe('manual');
    expect(def.entry_action_id).toBe('wait-1');
    expect(def.actions.map((a) => `${a.temporary_id}:${a.type}`)).toEqual([
      'wait-1:time-delay',
      'email-1:send-email',
      'value:trigger-split',
      'ab-test-1:ab-test',
      'split-1:conditional-split',
      'sms-1:send-sms',
      'update-profile-1:update-profile',
      'list-update-1:list-update',
      'webhook-1:send-webhook',
      'raw-1:time-delay',
    ]);
    expect(def.triggers[0]).toEqual({
      type: 'metric',
      id: '@metric:Started Checkout',
      trigger_filter: {
        condition_groups: [
          {
            conditions: [
              {
                type: 'metric-property',
                metric_id: '@metric:Started Checkout',
                field: '$value',
                filter: { type: 'numeric', operator: 'greater-than', value: 20 },
              },
            ],
          },
        ],
      },
    });
    expect(def.reentry_criteria).toEqual({ duration: 7, unit: 'day' });
    const [consent, order, notInFlow, any] = (
      def.profile_filter as { condition_groups: Array<{ conditions: unknown[] }> }
    ).condition_groups;
    expect(consent!.conditions[0]).toMatchObject({
      type: 'profile-marketing-consent',
      consent: {
        channel: 'email',
        consent_status: { subscription: 'subscribed', filters: [{ field: 'is_double_opt_in' }] },
      },
    });
    expect(order!.conditions[0]).toMatchObject({
      type: 'profile-metric',
      metric_id: '@metric:Placed Order',
      measurement: 'count',
      measurement_filter: { type: 'numeric', operator: 'equals', value: 0 },
      timeframe_filter: { type: 'date', operator: 'flow-start' },
    });
    expect(notInFlow!.conditions[0]).toEqual({
      type: 'profile-not-in-flow',
      timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
    });
    expect(any!.conditions).toEqual([
      {
        type: 'profile-property',
        property: "properties['Loyalty Tier']",
        filter: { type: 'string', operator: 'in', value: ['Gold', 'Silver'] },
      },
      {
        type: 'profile-predictive-analytics',
        dimension: 'predicted_clv',
        filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 100 },
      },
    ]);

    const byId = new Map(def.actions.map((a) => [a.temporary_id, a]));
    expect(byId.get('wait-1')).toMatchObject({
      links: { next: 'email-1' },
      data: {
        unit: 'days',
        value: 1,
        delay_until_time: '10:30:00',
        delay_until_weekdays: ['monday', 'friday'],
      },
    });
    expect(byId.get('email-1')!.data).toMatchObject({
      message: {
        from_email: 'hello@acme.example',
        from_label: 'Acme Goods',
        subject_line: 'Custom subject',
        preview_text: 'A short hello',
        template_id: '@template:hello',
        add_tracking_params: true,
        custom_tracking_params: [{ param: 'utm_campaign', value: 'cart' }],
      },
    });
    expect(byId.get('value')).toMatchObject({
      links: { next_if_true: 'ab-test-1', next_if_false: 'split-1' },
      data: { trigger_id: '@metric:Started Checkout', trigger_type: 'metric' },
    });
    expect(byId.get('ab-test-1')!.data).toMatchObject({
      main_action: { temporary_id: 'ab-test-1-a', type: 'send-email' },
      current_experiment: {
        name: 'Subject test',
        winner_metric: 'unique-opens',
        variations: [{ temporary_id: 'ab-test-1-b' }],
      },
    });
    expect(byId.get('split-1')!.links).toEqual({ next_if_true: 'sms-1', next_if_false: null });
    expect(byId.get('sms-1')!.data).toMatchObject({
      message: { body: 'Your cart is waiting', sms_quiet_hours_enabled: true },
    });
    expect(byId.get('update-profile-1')!.data).toEqual({
      profile_operations: [
        { operator: 'update', property_type: 'boolean', property_key: 'cart_nudged', property_value: true },
        { operator: 'update', property_type: 'numeric', property_key: 'nudges', property_value: 1 },
        { operator: 'update', property_type: 'string', property_key: 'last_nudge', property_value: 'sms' },
        { operator: 'delete', property_key: 'legacy' },
      ],
    });
    expect(byId.get('list-update-1')!.data).toEqual({
      name: 'Add to Newsletter',
      list_id: '@list:newsletter',
      on_execution: true,
    });
    expect(byId.get('raw-1')).toMatchObject({ links: { next: null }, data: { unit: 'hours', value: 2 } });

    // Every placeholder in the body is listed in refs, at a pointer that really holds it.
    for (const ref of flow!.refs) {
      const value = ref.pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], def);
      expect(value).toBe(`@${ref.kind}:${ref.key}`);
    }
    expect(flow!.steps['sms-1']).toMatchObject({ file: FLOW, line: 36 });
  });

  it('compiles list, segment and date triggers', async () => {
    const base =
      'name: T\nsteps:\n  - email: { template: hello }\nentry_filters: [ { consent: { channel: email } } ]\n';
    expect((await compile(`${base}trigger: { segment: engaged }\n`)).flow!.definition.triggers).toEqual([
      { type: 'segment', id: '@segment:engaged' },
    ]);
    expect((await compile(`${base}trigger: { list: newsletter }\n`)).flow!.definition.triggers).toEqual([
      { type: 'list', id: '@list:newsletter' },
    ]);
    const date = await compile(
      `${base}trigger: { date: { property: Birthday, days_before: 2, time: "09:15" } }\n`,
    );
    expect(date.flow!.definition.triggers).toEqual([
      {
        type: 'date',
        date_field_type: 'profile-property',
        date_profile_property: 'Birthday',
        timedelta_value_before_date: 2,
        timedelta_unit_before_date: 'days',
        recurrence_frequency: 'annually',
        timezone: 'profile',
        trigger_time: '09:15:00',
      },
    ]);
    expect(klaviyoSchemaValidator().validate('FlowCreateQuery', flowCreateBody(date.flow!))).toEqual({
      ok: true,
    });
  });

  it('maps reentry never to Klaviyo alltime', async () => {
    const { flow } = await compile(
      'name: T\ntrigger: { list: newsletter }\nreentry: never\nsteps:\n  - email: { template: hello }\n',
    );
    expect(flow!.definition.reentry_criteria).toEqual({ duration: 1, unit: 'alltime' });
  });

  it('refuses until on a wait that is not in days', async () => {
    const { diagnostics } = await compile(
      'name: T\ntrigger: { list: newsletter }\nsteps:\n  - wait: { hours: 2, until: { time: "10:00" } }\n  - email: { template: hello }\n',
    );
    expect(diagnostics).toEqual([
      `${FLOW}:4:30: error flow-step: 'until' only works with a wait in days (Klaviyo's rule) (express the wait in days, or remove until)`,
    ]);
  });

  it('reports unknown references with did-you-mean, at their lines', async () => {
    const { diagnostics } = await compile(
      'name: T\ntrigger: { metric: Placed Ordr }\nentry_filters: [ { member_of: { segment: engagd } } ]\nsteps:\n  - email: { template: helo }\n  - list_update: { add_to: newsleter }\n',
    );
    expect(diagnostics.filter((d) => d.includes(' unknown-'))).toEqual([
      `${FLOW}:2:20: error unknown-metric: unknown metric 'Placed Ordr' (did you mean 'Placed Order'?)`,
      `${FLOW}:3:42: error unknown-segment: unknown segment 'engagd' (did you mean 'engaged'?)`,
      `${FLOW}:5:24: error unknown-template: unknown template 'helo' (did you mean 'hello'?)`,
      `${FLOW}:6:28: error unknown-list: unknown list 'newsleter' (did you mean 'newsletter'?)`,
    ]);
  });

  it('reports two steps with the same key', async () => {
    const { diagnostics } = await compile(
      'name: T\ntrigger: { list: newsletter }\nsteps:\n  - id: hi\n    email: { template: hello }\n  - id: hi\n    email: { template: hello }\n',
    );
    expect(diagnostics).toEqual([
      `${FLOW}:6:9: error duplicate-step-id: two steps have the key 'hi' (the other is at line 4) (give each step its own id)`,
    ]);
  });

  it('reports a Klaviyo spec violation of a raw step at its YAML line', async () => {
    const { diagnostics } = await compile(
      'name: T\ntrigger: { list: newsletter }\nsteps:\n  - email: { template: hello }\n  - raw: { type: time-delay, data: { unit: fortnights, value: 1 } }\n',
    );
    expect(diagnostics).toEqual([
      `${FLOW}:5:5: error klaviyo-spec: Klaviyo would reject this: must be one of: "days", "hours", "minutes" (at /data/attributes/definition/actions/1/data/unit) (fix the YAML here, or check a raw: block against the Klaviyo API reference)`,
    ]);
  });
});
