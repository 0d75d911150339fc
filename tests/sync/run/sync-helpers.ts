/**
 * Helpers for the sync command's tests: the example content in a temp directory, a sandbox standing in for each
 * brand's Klaviyo account (reached through KLAVIYO_BASE_URL, as a real account would be), and the figures a
 * sync must report, computed from the exports by the library directly.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../../../src/commands/index.js';
import type { CommandContext } from '../../../src/commands/command.js';
import { KlaviyoClient } from '../../../src/klaviyo/index.js';
import { loadProject } from '../../../src/project/loader.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { SourceOrder } from '../../../src/sync/model.js';
import { bulkEventEntry, eventsFromOrder } from '../../../src/sync/order-events.js';
import { openSyncConfig } from '../../../src/sync/sources.js';

const REPO = resolve(import.meta.dirname, '../../..');

export const KEYS = { emberwick: 'pk_test_emberwick', trailhead: 'pk_test_trailhead' } as const;
export const ACCOUNTS = { emberwick: 'EMBRWK', trailhead: 'TRLHD1' } as const;

export interface ExampleProject {
  cwd: string;
  write(path: string, content: string): void;
  cleanup(): void;
}

/** The repository's marketing/ (both example brands, their exports and sync.yaml) in a temp directory. */
export function exampleProject(): ExampleProject {
  const cwd = mkdtempSync(join(tmpdir(), 'kg-sync-'));
  cpSync(join(REPO, 'marketing'), join(cwd, 'marketing'), { recursive: true });
  return {
    cwd,
    write(path, content) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      writeFileSync(join(cwd, path), content);
    },
    cleanup: () => rmSync(cwd, { recursive: true, force: true }),
  };
}

export async function accountsSandbox(
  options: { enforceRateLimits?: boolean } = {},
): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    accounts: { [KEYS.emberwick]: ACCOUNTS.emberwick, [KEYS.trailhead]: ACCOUNTS.trailhead },
    enforceRateLimits: options.enforceRateLimits ?? false,
  });
}

export function envFor(sandbox: RunningSandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KLAVIYO_BASE_URL: sandbox.url,
    KLAVIYO_API_KEY_EMBERWICK: KEYS.emberwick,
    KLAVIYO_API_KEY_TRAILHEAD: KEYS.trailhead,
    ...extra,
  };
}

export function contextFor(cwd: string, env: Record<string, string>, lines: string[] = []): CommandContext {
  return { cwd, env, progress: (line) => lines.push(line) };
}

/** The brand's consent lists, as apply names them (`<name> [kg:<key>]`). */
export async function createConsentLists(sandbox: RunningSandbox, key: string): Promise<void> {
  const client = new KlaviyoClient({ apiKey: key, baseUrl: sandbox.url });
  await client.lists.create({ data: { type: 'list', attributes: { name: 'Letters [kg:newsletter]' } } });
  await client.lists.create({ data: { type: 'list', attributes: { name: 'Texts [kg:sms-subscribers]' } } });
}

/** The metrics the example flows and segments use: a connected store has sent each at least once. */
export const STORE_METRICS = [
  'Placed Order',
  'Active on Site',
  'Viewed Product',
  'Added to Cart',
  'Started Checkout',
  'Left a Review',
];

/** One event of each store metric, as from the store integration: Klaviyo creates a metric only then. */
export async function sendStoreMetrics(client: KlaviyoClient): Promise<void> {
  for (const name of STORE_METRICS)
    await client.events.create({
      data: {
        type: 'event',
        attributes: {
          properties: {},
          metric: { data: { type: 'metric', attributes: { name } } },
          profile: { data: { type: 'profile', attributes: { external_id: 'store-integration-check' } } },
        },
      },
    });
}

/**
 * The brand's marketing files applied to its account (lists included), as a team does before its first sync.
 * Klaviyo creates metrics only when a store sends them, so the account first gets one event of each, as from
 * the store integration.
 */
export async function applyBrand(
  sandbox: RunningSandbox,
  cwd: string,
  brand: keyof typeof KEYS,
): Promise<void> {
  await sendStoreMetrics(new KlaviyoClient({ apiKey: KEYS[brand], baseUrl: sandbox.url }));
  const applied = await runCli(
    ['apply', '--brand', brand, '--auto-approve'],
    contextFor(cwd, envFor(sandbox)),
  );
  if (applied.exitCode !== 0) throw new Error(`apply failed:\n${applied.stdout}\n${applied.stderr ?? ''}`);
}

/** `sync --json` through the CLI adapter: exit code and the parsed JSON. */
export async function syncJson(
  ctx: CommandContext,
  args: string[],
): Promise<{ exitCode: number; json: SyncJson; stderr?: string | undefined }> {
  const outcome = await runCli(['sync', ...args, '--json'], ctx);
  if (!outcome.stdout.startsWith('{')) throw new Error(`no JSON: ${outcome.stdout}\n${outcome.stderr ?? ''}`);
  return { exitCode: outcome.exitCode, json: JSON.parse(outcome.stdout) as SyncJson, stderr: outcome.stderr };
}

export interface SyncJson {
  brands: Array<{
    brand: string;
    status: string;
    resumed: boolean;
    stats: {
      ordersFetched: number;
      customersFound: number;
      customersSynced: number;
      eventsAccepted: number;
      totalValue: Record<string, number>;
      subscribed: { email: number; sms: number };
      failed: number;
      badRows: number;
      skipped: Record<string, number>;
    };
    runs: Array<{ stream: string; status: string; resumedFrom?: string; firstFailures: unknown[] }>;
    notes: string[];
  }>;
  withoutSync: string[];
  stopped: boolean;
}

/** What the brand's order exports must give, from the library alone: orders, sendable events, order value. */
export async function expectedOrderFigures(cwd: string, brand: string, now = new Date()) {
  const { project } = await loadProject({ cwd, dir: 'marketing' });
  const inputs = openSyncConfig(project.brands.get(brand)!.sync!.value, {
    brandDir: join(cwd, 'marketing/brands', brand),
    displayBrandDir: `marketing/brands/${brand}`,
  });
  let orders = 0;
  let events = 0;
  const value: Record<string, number> = {};
  for (const source of inputs.sources) {
    if (source.kind !== 'orders') continue;
    for await (const item of source.read()) {
      if (item.kind !== 'record') continue;
      const order = item.record as SourceOrder;
      orders += 1;
      const made = eventsFromOrder(order, { now, liveWindowHours: inputs.liveWindowHours });
      if (!bulkEventEntry(order, made)) continue;
      events += made.length;
      value[order.currency] = Math.round(((value[order.currency] ?? 0) + order.total) * 100) / 100;
    }
  }
  return { orders, events, value };
}

/** The account's events as Klaviyo keeps them: how many, and how many distinct profile+metric+unique_id. */
export function eventCounts(sandbox: RunningSandbox, key: string, metricNames?: string[]) {
  const state = sandbox.account(key).state;
  const metricIds = new Set(
    Object.entries(state.metrics)
      .filter(([, m]) => metricNames === undefined || metricNames.includes(m.name))
      .map(([id]) => id),
  );
  const events = Object.values(state.events).filter((e) => metricIds.has(e.metricId));
  return { count: events.length, distinct: new Set(events.map((e) => e.dedupeKey)).size };
}
