import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/commands/import.js';
import { runPlan } from '../../src/commands/plan.js';
import type { KlaviyoClient } from '../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { ACME_FILES, writeProject } from './project.js';
import { clientFor, instantClock, SANDBOX_KEY } from './sandbox-helpers.js';
import { runAsCli } from '../../src/commands/cli-outcome.js';
import type { CommandResult } from '../../src/commands/results.js';

/** The command's result as the CLI shows it. */
const cli = (run: Promise<CommandResult>) => runAsCli(run, {}, { env: {} });

const deps = { targets: { client: { clock: instantClock(), timeoutMs: 3_600_000 } } };
const sender = { from_email: 'hello@acme.example', from_label: 'Acme', reply_to_email: null };

/** An account built by hand in Klaviyo: nothing carries our markers. */
async function handMadeAccount(client: KlaviyoClient): Promise<void> {
  await client.events.create({
    data: {
      type: 'event',
      attributes: {
        properties: {},
        metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
        profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } },
      },
    },
  });
  let placedOrder = '';
  for await (const metric of client.metrics.list())
    if (metric.attributes.name === 'Placed Order') placedOrder = metric.id;
  const list = await client.lists.create({ data: { type: 'list', attributes: { name: 'Newsletter' } } });
  await client.segments.create({
    data: {
      type: 'segment',
      attributes: {
        name: 'Big spenders',
        is_starred: true,
        definition: {
          condition_groups: [
            { conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: [list.id] }] },
            {
              conditions: [
                {
                  type: 'profile-metric',
                  metric_id: placedOrder,
                  measurement: 'sum',
                  measurement_filter: { type: 'numeric', operator: 'greater-than', value: 500 },
                  timeframe_filter: { type: 'date', operator: 'alltime' },
                },
              ],
            },
          ],
        } as never,
      },
    },
  });
  const footer = '<p>{% unsubscribe %} {{ organization.full_address }}</p>';
  const text = 'Unsubscribe: {% unsubscribe_link %}\n{{ organization.full_address }}';
  const html = `<html><body><p>Hi {{ first_name }}</p>${footer}</body></html>`;
  const welcome = await client.templates.create({
    data: {
      type: 'template',
      attributes: { name: 'Welcome', editor_type: 'CODE', html, text: `Hi there\n${text}` },
    },
  });
  const oneOff = await client.templates.create({
    data: {
      type: 'template',
      attributes: { name: 'One-off', editor_type: 'CODE', html: `<p>Thanks</p>${footer}`, text },
    },
  });
  const email = (template: string, subject: string) => ({
    message: {
      name: subject,
      ...sender,
      subject_line: subject,
      preview_text: 'Preview',
      template_id: template,
    },
  });
  const welcomeFlow = await client.flows.create({
    data: {
      type: 'flow',
      attributes: {
        name: 'Welcome series',
        definition: {
          triggers: [{ type: 'list', id: list.id }],
          profile_filter: {
            condition_groups: [
              {
                conditions: [
                  {
                    type: 'profile-marketing-consent',
                    consent: {
                      channel: 'email',
                      can_receive_marketing: true,
                      consent_status: { subscription: 'subscribed' },
                    },
                  },
                ],
              },
            ],
          },
          entry_action_id: 'w',
          actions: [
            { temporary_id: 'w', type: 'time-delay', links: { next: 'e' }, data: { unit: 'days', value: 1 } },
            {
              temporary_id: 'e',
              type: 'send-email',
              links: { next: 's' },
              data: email(welcome.id, 'Welcome!'),
            },
            {
              temporary_id: 's',
              type: 'conditional-split',
              links: { next_if_true: 'p', next_if_false: 'h' },
              data: {
                profile_filter: {
                  condition_groups: [
                    {
                      conditions: [
                        {
                          type: 'profile-metric',
                          metric_id: placedOrder,
                          measurement: 'count',
                          measurement_filter: { type: 'numeric', operator: 'greater-than', value: 0 },
                          timeframe_filter: { type: 'date', operator: 'flow-start' },
                        },
                      ],
                    },
                  ],
                },
              },
            },
            {
              temporary_id: 'p',
              type: 'update-profile',
              links: { next: null },
              data: {
                profile_operations: [
                  {
                    operator: 'update',
                    property_type: 'boolean',
                    property_key: 'welcomed',
                    property_value: true,
                  },
                ],
              },
            },
            {
              temporary_id: 'h',
              type: 'send-webhook',
              links: { next: 'c' },
              data: {
                message: {
                  name: 'Tell the CRM',
                  url: 'https://crm.example/hook',
                  headers: { 'X-Source': 'klaviyo' },
                  body: '{}',
                },
              },
            },
            {
              temporary_id: 'c',
              type: 'send-email',
              links: { next: null },
              data: email(oneOff.id, 'A one-off'),
            },
          ],
        } as never,
      },
    },
  });
  await client.flows.updateStatus(welcomeFlow.id, 'live');
  // The standalone template is gone; only the flow email's copy of it remains.
  await client.templates.delete(oneOff.id);
}

describe('import command', () => {
  let cwd: string;
  let sandbox: RunningSandbox;
  beforeEach(async () => {
    cwd = await writeProject({
      'marketing/klaviyo-gitops.yaml': ACME_FILES['marketing/klaviyo-gitops.yaml']!,
      'marketing/brands/acme/brand.yaml': ACME_FILES['marketing/brands/acme/brand.yaml']!,
    });
    sandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'ACME01' },
      enforceRateLimits: false,
    });
    await handMadeAccount(clientFor(sandbox));
  });
  afterEach(async () => {
    await sandbox.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const ctx = () => ({
    cwd,
    env: { KLAVIYO_API_KEY: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url },
    progress: () => undefined,
  });

  it('writes the account as files, marks the objects, and the next plan shows no changes', async () => {
    const outcome = await cli(runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('plan after import: no changes');
    const brandDir = join(cwd, 'marketing/brands/acme');
    expect((await readdir(join(brandDir, 'flows'))).sort()).toEqual(['welcome-series.yaml']);
    expect((await readdir(join(brandDir, 'templates'))).sort()).toEqual([
      'welcome-series-email.html',
      'welcome-series-email.txt',
      'welcome.html',
      'welcome.txt',
    ]);
    const flowFile = await readFile(join(brandDir, 'flows/welcome-series.yaml'), 'utf8');
    expect(flowFile).toContain('trigger:\n  list: newsletter\n');
    expect(flowFile).toContain('wait:\n      days: 1');
    expect(flowFile).toContain('template: welcome\n');
    expect(flowFile).toContain('entry_filters:\n  - consent:\n      channel: email\n');
    expect(flowFile).toContain(
      '- metric: Placed Order\n          count:\n            more_than: 0\n          since: flow_start',
    );
    expect(flowFile).not.toContain('raw:');
    expect(await readFile(join(brandDir, 'segments/big-spenders.yaml'), 'utf8')).toBe(
      'name: Big spenders\nstarred: true\nall:\n  - member_of:\n      list: newsletter\n  - metric: Placed Order\n    sum:\n      more_than: 500\n',
    );
    expect(await readFile(join(brandDir, 'lists/newsletter.yaml'), 'utf8')).toBe('name: Newsletter\n');

    const plan = await cli(runPlan({ dir: 'marketing', detailedExitcode: true }, ctx(), deps));
    expect(plan.stdout).toContain('No changes: Klaviyo matches the repository.');
    expect(plan.exitCode).toBe(0);

    const names = sandbox.account(SANDBOX_KEY).state;
    expect(Object.values(names.lists).map((l) => l.name)).toEqual(['Newsletter [kg:newsletter]']);
    expect(Object.values(names.flows).map((f) => f.name)).toEqual(['Welcome series']);
  });

  it('imports nothing twice and never overwrites a file', async () => {
    await runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps);
    const again = await cli(runImport({ dir: 'marketing', brand: 'acme' }, ctx(), deps));
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('wrote 0 file(s)');
    expect(again.stdout).not.toContain('marked');
    expect(again.stdout).toContain('plan after import: no changes');
  });

  it('keeps an existing file and says so', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(join(cwd, 'elsewhere/lists'), { recursive: true });
    await writeFile(join(cwd, 'elsewhere/lists/newsletter.yaml'), 'name: Mine\n');
    const outcome = await cli(runImport({ dir: 'marketing', brand: 'acme', out: 'elsewhere' }, ctx(), deps));
    expect(outcome.stdout).toContain('= elsewhere/lists/newsletter.yaml (exists, not overwritten)');
    expect(await readFile(join(cwd, 'elsewhere/lists/newsletter.yaml'), 'utf8')).toBe('name: Mine\n');
  });
});
