import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { formatDiagnostic, type Diagnostic } from '../../src/project/diagnostics.js';
import { MINIMAL_FIXTURE, tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const FLOWS = 'marketing/brands/acme/flows';

async function findings(files: Record<string, string | null>, rule: string): Promise<Diagnostic[]> {
  project = tempProject(files);
  const result = await buildDesiredState({ cwd: project.cwd, dir: project.dir });
  return result.diagnostics.filter((d) => d.rule === rule);
}

const cartFlow = (entryFilters: string): string => `name: Cart
status: live
trigger: { metric: Started Checkout }
entry_filters:
${entryFilters}
steps:
  - id: wait-1
    wait: { hours: 4 }
  - id: remind
    email: { template: hello }
`;

describe('flow-consent-required', () => {
  const metricFlow = (filters: string, steps = '  - id: remind\n    email: { template: hello }\n') =>
    `name: Viewed\nstatus: live\ntrigger: { metric: Placed Order }\n${filters}steps:\n${steps}`;

  it('flags a marketing email in a metric-triggered flow without a consent filter', async () => {
    const found = await findings({ [`${FLOWS}/thanks.yaml`]: metricFlow('') }, 'flow-consent-required');
    expect(found.map(formatDiagnostic)).toEqual([
      `${FLOWS}/thanks.yaml:6:12: error flow-consent-required: marketing email is sent without an email consent check (add '- consent: { channel: email }' to entry_filters, or trigger the flow from a list)`,
    ]);
  });

  it('accepts a consent entry filter, a list trigger, or a consenting segment trigger', async () => {
    expect(
      await findings(
        { [`${FLOWS}/thanks.yaml`]: metricFlow('entry_filters:\n  - consent: { channel: email }\n') },
        'flow-consent-required',
      ),
    ).toEqual([]);
    // The minimal project's welcome flow is list-triggered.
    expect(
      await findings(
        {
          [`${FLOWS}/engaged.yaml`]:
            'name: E\ntrigger: { segment: engaged }\nsteps:\n  - email: { template: hello }\n',
        },
        'flow-consent-required',
      ),
    ).toEqual([]);
  });

  it('exempts transactional templates', async () => {
    expect(
      await findings(
        { [`${FLOWS}/thanks.yaml`]: metricFlow('', '  - email: { template: receipt }\n') },
        'flow-consent-required',
      ),
    ).toEqual([]);
  });

  it('needs SMS consent for SMS even when email consent is given, unless a split on it encloses the SMS', async () => {
    const withSms = metricFlow(
      'entry_filters:\n  - consent: { channel: email }\n',
      '  - sms: { body: "Hi" }\n',
    );
    expect(await findings({ [`${FLOWS}/thanks.yaml`]: withSms }, 'flow-consent-required')).toHaveLength(1);
    const inSplit = metricFlow(
      '',
      '  - split:\n      if: [ { consent: { channel: sms } } ]\n      then:\n        - sms: { body: "Hi" }\n',
    );
    expect(await findings({ [`${FLOWS}/thanks.yaml`]: inSplit }, 'flow-consent-required')).toEqual([]);
  });
});

describe('flow-exit-on-order', () => {
  it('flags a checkout flow without a "no order since flow start" filter', async () => {
    const found = await findings(
      { [`${FLOWS}/cart.yaml`]: cartFlow('  - consent: { channel: email }') },
      'flow-exit-on-order',
    );
    expect(found.map(formatDiagnostic)).toEqual([
      `${FLOWS}/cart.yaml:3:20: error flow-exit-on-order: a 'Started Checkout' flow keeps sending after the person has ordered (add to entry_filters: '- { metric: Placed Order, count: { equals: 0 }, since: flow_start }')`,
    ]);
  });

  it('accepts the filter', async () => {
    const flow = cartFlow(
      '  - consent: { channel: email }\n  - { metric: Placed Order, count: { equals: 0 }, since: flow_start }',
    );
    expect(await findings({ [`${FLOWS}/cart.yaml`]: flow }, 'flow-exit-on-order')).toEqual([]);
  });

  it('does not accept an order filter over a fixed window instead of since flow start', async () => {
    const flow = cartFlow(
      '  - consent: { channel: email }\n  - { metric: Placed Order, count: { equals: 0 }, within: { last: 1, unit: day } }',
    );
    expect(await findings({ [`${FLOWS}/cart.yaml`]: flow }, 'flow-exit-on-order')).toHaveLength(1);
  });
});

describe('flow-duplicate-trigger', () => {
  const ordered = (name: string, filter: string) =>
    `name: ${name}\nstatus: live\ntrigger: { metric: Placed Order }\nentry_filters:\n  - consent: { channel: email }\n${filter}steps:\n  - email: { template: hello }\n`;

  it('warns when two live flows start on the same trigger with overlapping filters', async () => {
    const found = await findings(
      {
        [`${FLOWS}/a-thanks.yaml`]: ordered('Thanks', ''),
        [`${FLOWS}/b-upsell.yaml`]: ordered('Upsell', ''),
      },
      'flow-duplicate-trigger',
    );
    expect(found.map(formatDiagnostic)).toEqual([
      `${FLOWS}/b-upsell.yaml:3:10: warning flow-duplicate-trigger: flows 'a-thanks' and 'b-upsell' both start on metric 'Placed Order' with overlapping filters: a profile can get both (${FLOWS}/a-thanks.yaml) (add an entry filter that excludes the other flow's audience, or merge the two flows with a split)`,
    ]);
  });

  it('accepts flows whose audiences cannot overlap, and ignores drafts', async () => {
    const found = await findings(
      {
        [`${FLOWS}/a-gold.yaml`]: ordered('Gold', '  - profile: { property: Loyalty Tier, equals: Gold }\n'),
        [`${FLOWS}/b-silver.yaml`]: ordered(
          'Silver',
          '  - profile: { property: Loyalty Tier, equals: Silver }\n',
        ),
        [`${FLOWS}/c-first.yaml`]: ordered(
          'First',
          '  - { metric: Placed Order, count: { equals: 1 }, within: alltime }\n',
        ),
        [`${FLOWS}/d-repeat.yaml`]: ordered(
          'Repeat',
          '  - { metric: Placed Order, count: { at_least: 2 }, within: alltime }\n',
        ).replace('status: live', 'status: draft'),
      },
      'flow-duplicate-trigger',
    );
    // Gold and Silver cannot overlap; First overlaps both (reported once); the draft Repeat sends nothing.
    expect(found.map((d) => d.file)).toEqual([`${FLOWS}/c-first.yaml`]);
    expect(found[0]!.message).toContain("flows 'a-gold' and 'c-first'");
  });

  it('follows the configured severity', async () => {
    const files = {
      [`${FLOWS}/a-thanks.yaml`]: ordered('Thanks', ''),
      [`${FLOWS}/b-upsell.yaml`]: ordered('Upsell', ''),
      'marketing/klaviyo-gitops.yaml': 'version: 1\ndefaults:\n  rules: { flow-duplicate-trigger: error }\n',
    };
    expect((await findings(files, 'flow-duplicate-trigger'))[0]?.severity).toBe('error');
    files['marketing/klaviyo-gitops.yaml'] =
      'version: 1\ndefaults:\n  rules: { flow-duplicate-trigger: off }\n';
    expect(await findings(files, 'flow-duplicate-trigger')).toEqual([]);
  });

  it('lets brand.yaml override the root severity, and flags a misspelt rule id', async () => {
    const brand = 'marketing/brands/acme/brand.yaml';
    const brandYaml = readFileSync(join(MINIMAL_FIXTURE, brand), 'utf8');
    const files = {
      [`${FLOWS}/a-thanks.yaml`]: ordered('Thanks', ''),
      [`${FLOWS}/b-upsell.yaml`]: ordered('Upsell', ''),
      'marketing/klaviyo-gitops.yaml': 'version: 1\ndefaults:\n  rules: { flow-duplicate-trigger: error }\n',
      [brand]: `${brandYaml}rules:\n  flow-duplicate-trigger: off\n  flow-duplicate-triger: error\n`,
    };
    expect(await findings(files, 'flow-duplicate-trigger')).toEqual([]);
    expect((await findings(files, 'unknown-rule')).map(formatDiagnostic)).toEqual([
      `${brand}:22:3: warning unknown-rule: 'flow-duplicate-triger' is not a flow rule (did you mean 'flow-duplicate-trigger'?)`,
    ]);
  });
});

describe('sms-quiet-hours', () => {
  const smsFlow = (quiet: string) =>
    `name: Texts\ntrigger: { list: newsletter }\nentry_filters:\n  - consent: { channel: sms }\nsteps:\n  - sms: { body: "Restock!"${quiet} }\n`;

  it('flags an SMS with quiet hours turned off', async () => {
    const found = await findings(
      { [`${FLOWS}/texts.yaml`]: smsFlow(', quiet_hours: false') },
      'sms-quiet-hours',
    );
    expect(found.map(formatDiagnostic)).toEqual([
      `${FLOWS}/texts.yaml:6:43: error sms-quiet-hours: this SMS turns quiet hours off: it could reach people in the middle of the night (remove quiet_hours: false (quiet hours are on by default))`,
    ]);
  });

  it('accepts the default and an explicit true', async () => {
    expect(await findings({ [`${FLOWS}/texts.yaml`]: smsFlow('') }, 'sms-quiet-hours')).toEqual([]);
    expect(
      await findings({ [`${FLOWS}/texts.yaml`]: smsFlow(', quiet_hours: true') }, 'sms-quiet-hours'),
    ).toEqual([]);
  });
});

describe('flow-transactional', () => {
  const flow = (template: string) =>
    `name: Order\ntrigger: { metric: Placed Order }\nentry_filters: [ { consent: { channel: email } } ]\nsteps:\n  - email: { template: ${template}, transactional: true }\n`;

  it('flags transactional sends of templates not listed as transactional', async () => {
    const found = await findings({ [`${FLOWS}/order.yaml`]: flow('hello') }, 'flow-transactional');
    expect(found).toEqual([
      expect.objectContaining({
        file: `${FLOWS}/order.yaml`,
        line: 5,
        severity: 'error',
        message: expect.stringContaining("'hello' is sent as transactional"),
      }),
    ]);
  });

  it('flags a template marked transactional in its front matter but not listed', async () => {
    const found = await findings(
      {
        'marketing/brands/acme/templates/promo.html':
          '---\nsubject: Sale\ntransactional: true\n---\n<p>Sale</p>\n',
      },
      'flow-transactional',
    );
    expect(found.map(formatDiagnostic)).toEqual([
      "marketing/brands/acme/templates/promo.html:3:16: error flow-transactional: template 'promo' is marked transactional but is not listed in transactional_templates (remove transactional: true, or add 'promo' to defaults.transactional_templates)",
    ]);
  });

  it('accepts listed templates', async () => {
    expect(await findings({ [`${FLOWS}/order.yaml`]: flow('receipt') }, 'flow-transactional')).toEqual([]);
  });
});

describe('split-not-last and flow-unreachable-step', () => {
  const flow = (after: string) => `name: Split
trigger: { list: newsletter }
steps:
  - id: check
    split:
      if: [ { profile: { property: Loyalty Tier, equals: Gold } } ]
      then:
        - email: { template: hello }
${after}`;

  it('flags steps after a split and each step it cuts off', async () => {
    const files = { [`${FLOWS}/split.yaml`]: flow('  - id: orphan\n    email: { template: hello }\n') };
    expect((await findings(files, 'split-not-last')).map(formatDiagnostic)).toEqual([
      `${FLOWS}/split.yaml:4:5: error split-not-last: 1 step after this split would never run (move them into the split's 'then:' and/or 'else:' lists)`,
    ]);
    expect((await findings(files, 'flow-unreachable-step')).map((d) => [d.line, d.severity])).toEqual([
      [9, 'warning'],
    ]);
  });

  it('accepts a split that ends its list', async () => {
    expect(await findings({ [`${FLOWS}/split.yaml`]: flow('') }, 'split-not-last')).toEqual([]);
    expect(await findings({ [`${FLOWS}/split.yaml`]: flow('') }, 'flow-unreachable-step')).toEqual([]);
  });
});
