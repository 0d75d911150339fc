import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import {
  accountsSandbox,
  contextFor,
  createConsentLists,
  envFor,
  eventCounts,
  exampleProject,
  expectedOrderFigures,
  KEYS,
  syncJson,
  type ExampleProject,
} from './sync-helpers.js';

const EXAMPLE_SYNC_YAML = new URL('../../../marketing/brands/emberwick/sync.yaml', import.meta.url);
const ORDER_METRICS = [
  'Placed Order',
  'Ordered Product',
  'Fulfilled Order',
  'Cancelled Order',
  'Refunded Order',
];

describe('klaviyo-gitops sync --brand emberwick on the example content', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    project = exampleProject();
    sandbox = await accountsSandbox();
    await createConsentLists(sandbox, KEYS.emberwick);
  });
  afterAll(async () => {
    await sandbox.close();
    project.cleanup();
  });

  it('sends every order as events, every customer as a profile, consent through the gate, with the right figures', async () => {
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    const lines: string[] = [];
    const { exitCode, json } = await syncJson(contextFor(project.cwd, envFor(sandbox), lines), [
      '--brand',
      'emberwick',
    ]);
    expect(exitCode).toBe(0);
    const [brand] = json.brands;
    expect(brand!.status).toBe('succeeded');
    expect(brand!.stats.ordersFetched).toBe(expected.orders);
    expect(brand!.stats.eventsAccepted).toBe(expected.events);
    expect(brand!.stats.totalValue).toEqual(expected.value);
    expect(brand!.stats.failed).toBe(0);
    expect(brand!.stats.customersFound).toBeGreaterThanOrEqual(100);
    expect(brand!.stats.customersSynced).toBeGreaterThanOrEqual(brand!.stats.customersFound);
    expect(brand!.stats.subscribed.email).toBeGreaterThan(0);
    // Shopify's customers CSV has declines and numbers that are not E.164: counted by reason, never sent.
    expect(brand!.stats.skipped['email:declined']).toBeGreaterThan(0);
    expect(brand!.stats.skipped['sms:phone-not-e164']).toBeGreaterThan(0);
    expect(brand!.runs.map((r) => `${r.stream}:${r.status}`)).toEqual([
      'profiles:succeeded',
      'events:succeeded',
      'profiles:succeeded',
      'consent:succeeded',
    ]);
    const inKlaviyo = eventCounts(sandbox, KEYS.emberwick, ORDER_METRICS);
    expect(inKlaviyo.count).toBe(expected.events);
    expect(inKlaviyo.distinct).toBe(expected.events);
  });

  it('a re-run sends nothing new: Klaviyo keeps one event per id, and the figures are the same', async () => {
    const expected = await expectedOrderFigures(project.cwd, 'emberwick');
    const { exitCode, json } = await syncJson(contextFor(project.cwd, envFor(sandbox)), [
      '--brand',
      'emberwick',
    ]);
    expect(exitCode).toBe(0);
    expect(json.brands[0]!.stats.eventsAccepted).toBe(expected.events);
    expect(json.brands[0]!.stats.totalValue).toEqual(expected.value);
    // Subscribed the first time: Klaviyo now holds them subscribed, so the gate skips them.
    expect(json.brands[0]!.stats.subscribed.email).toBe(0);
    expect(json.brands[0]!.stats.skipped['email:already-subscribed']).toBeGreaterThan(0);
    expect(eventCounts(sandbox, KEYS.emberwick, ORDER_METRICS).count).toBe(expected.events);
  });

  it('prints the figures as text and skips a brand without sync.yaml with a line saying so', async () => {
    project.write('marketing/brands/trailhead/sync.yaml', '');
    const { rmSync } = await import('node:fs');
    rmSync(`${project.cwd}/marketing/brands/trailhead/sync.yaml`);
    const outcome = await runCli(['sync'], contextFor(project.cwd, envFor(sandbox)));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('trailhead: no sync.yaml, skipped');
    expect(outcome.stdout).toMatch(/emberwick: succeeded/);
    expect(outcome.stdout).toMatch(/events accepted +\d+/);
    // Import jobs' completions add up per stream (buyers, then the customers export): not read as people.
    expect(outcome.stdout).toMatch(/customers found +\d+\n +profile imports completed +\d+/);
    expect(outcome.stdout).not.toContain('customers synced');
  });

  it('an invalid sync.yaml refuses the run at file:line:col before anything is sent', async () => {
    project.write(
      'marketing/brands/emberwick/sync.yaml',
      'live_window: { last: 3, unit: fortnight }\nsources: {}\n',
    );
    const before = sandbox.requestLog.length;
    const outcome = await runCli(['sync', '--brand', 'emberwick'], contextFor(project.cwd, envFor(sandbox)));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/marketing\/brands\/emberwick\/sync\.yaml:\d+:\d+/);
    expect(sandbox.requestLog.length).toBe(before);
  });

  it('a brand without its key is refused like every other verb, never sent to the sandbox', async () => {
    project.write('marketing/brands/emberwick/sync.yaml', readFileSync(EXAMPLE_SYNC_YAML, 'utf8'));
    const refused = await runCli(
      ['sync', '--brand', 'emberwick', '--target', 'klaviyo'],
      contextFor(project.cwd, {}),
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/KLAVIYO_API_KEY/);
  });
});
