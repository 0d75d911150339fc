/**
 * A TikTok Shop source end to end: sync.yaml names the credentials' variables, `TIKTOK_SHOP_BASE_URL` points the
 * CLI at a fake TikTok Shop that checks every signature, and the brand's Klaviyo account is a sandbox.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { startFakeTikTokShop, type FakeTikTokShop } from '../fake-tiktok-shop.js';
import { CREDENTIALS, tiktokOrder } from '../tiktok/tiktok-fixtures.js';
import {
  accountsSandbox,
  contextFor,
  envFor,
  eventCounts,
  exampleProject,
  KEYS,
  syncJson,
  type ExampleProject,
} from './sync-helpers.js';

const EXAMPLE_SYNC_YAML = new URL('../../../marketing/brands/emberwick/sync.yaml', import.meta.url);
const ORDERS = 7;
const PAGE_SIZE = 3;

const TIKTOK_SOURCE = `
  tiktok:
    type: tiktok-shop
    app_key_env: TIKTOK_SHOP_APP_KEY
    app_secret_env: TIKTOK_SHOP_APP_SECRET
    access_token_env: TIKTOK_SHOP_ACCESS_TOKEN
    shop_cipher_env: TIKTOK_SHOP_CIPHER
    days_back: 1
    page_size: ${PAGE_SIZE}
`;

const credentialEnv = (secret = CREDENTIALS.appSecret) => ({
  TIKTOK_SHOP_APP_KEY: CREDENTIALS.appKey,
  TIKTOK_SHOP_APP_SECRET: secret,
  TIKTOK_SHOP_ACCESS_TOKEN: CREDENTIALS.accessToken,
  TIKTOK_SHOP_CIPHER: CREDENTIALS.shopCipher,
});

describe('sync with a TikTok Shop source', () => {
  let project: ExampleProject;
  let sandbox: RunningSandbox;
  let shop: FakeTikTokShop;
  const nowSeconds = Math.floor(Date.now() / 1000);
  // Orders updated over the last hours (one day's window, so pages are what splits them), masked as TikTok serves them.
  const orders = Array.from({ length: ORDERS }, (_, i) =>
    tiktokOrder(`57700${i}`, nowSeconds - (i + 1) * 3_600),
  );
  const env = (secret?: string) => ({
    ...envFor(sandbox),
    ...credentialEnv(secret),
    TIKTOK_SHOP_BASE_URL: shop.url,
  });
  const tiktokEvents = () => {
    const state = sandbox.account(KEYS.emberwick).state;
    return Object.values(state.events).filter((e) => e.dedupeKey.includes('tiktok:'));
  };

  beforeAll(async () => {
    project = exampleProject();
    project.write(
      'marketing/brands/emberwick/sync.yaml',
      // TikTok Shop first, so a failure of it shows the sources after it going on.
      readFileSync(EXAMPLE_SYNC_YAML, 'utf8').replace('sources:\n', `sources:${TIKTOK_SOURCE}`),
    );
    sandbox = await accountsSandbox();
    shop = await startFakeTikTokShop({ ...CREDENTIALS, now: () => Date.now(), orders });
  });
  afterAll(async () => {
    await shop.close();
    await sandbox.close();
    project.cleanup();
  });

  it('reads every page once and sends the orders as events; masked and relay values reach no profile', async () => {
    const { exitCode, json } = await syncJson(contextFor(project.cwd, env()), ['--brand', 'emberwick']);
    expect(exitCode).toBe(0);
    const brand = json.brands[0]!;
    expect(brand.status).toBe('succeeded');
    const tiktokRuns = brand.runs.filter((r) => (r as { source?: string }).source === 'tiktok');
    expect(tiktokRuns.map((r) => `${r.stream}:${r.status}`)).toEqual([
      'profiles:succeeded',
      'events:succeeded',
      'consent:succeeded',
    ]);

    // Three streams, each reading the day's three pages: the later ones by the token of the page before.
    const searches = shop.requests.filter((r) => r.code === 0);
    expect(searches).toHaveLength(3 * Math.ceil(ORDERS / PAGE_SIZE));
    expect(searches.filter((r) => r.query.page_token).length).toBe(3 * (Math.ceil(ORDERS / PAGE_SIZE) - 1));

    // Each order once: Placed Order, two Ordered Product, Fulfilled Order (completed).
    const events = tiktokEvents();
    expect(events).toHaveLength(ORDERS * 4);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(ORDERS * 4);
    const placed = events.filter((e) => e.dedupeKey.includes(':placed-order:'));
    expect(new Set(placed.map((e) => e.properties.OrderId))).toEqual(new Set(orders.map((o) => o.id)));

    // Buyers are profiles by TikTok's user id (tiktok:<user_id>); no relay email, no masked name, phone or street.
    const profiles = Object.values(sandbox.account(KEYS.emberwick).state.profiles);
    const buyers = profiles.filter((p) => String(p.attributes.external_id ?? '').startsWith('tiktok:7494'));
    expect(buyers).toHaveLength(ORDERS);
    for (const profile of profiles) {
      expect(String(profile.attributes.email ?? '')).not.toMatch(/tiktokw|tiktok\.com/);
      expect(JSON.stringify(profile.attributes)).not.toContain('*');
    }
    expect(brand.stats.skipped['email:relay-email']).toBe(ORDERS);
  });

  it('a re-run adds no event', async () => {
    const before = eventCounts(sandbox, KEYS.emberwick);
    const { exitCode } = await syncJson(contextFor(project.cwd, env()), ['--brand', 'emberwick']);
    expect(exitCode).toBe(0);
    expect(eventCounts(sandbox, KEYS.emberwick)).toEqual(before);
    expect(tiktokEvents()).toHaveLength(ORDERS * 4);
  });

  it('a wrong secret fails the TikTok source with an error naming the variable, never the secret; the rest syncs', async () => {
    const wrong = 'not-the-app-secret-d41d8cd9';
    const fresh = await accountsSandbox();
    try {
      const outcome = await runCli(
        ['sync', '--brand', 'emberwick', '--json'],
        contextFor(project.cwd, { ...env(wrong), ...envFor(fresh) }),
      );
      expect(outcome.exitCode).toBe(1);
      const brand = (JSON.parse(outcome.stdout) as { brands: SyncBrandJson[] }).brands[0]!;
      expect(brand.status).toBe('failed');
      const note = brand.notes.find((n) => n.startsWith('tiktok:'));
      expect(note).toMatch(/TIKTOK_SHOP_APP_SECRET/);
      expect(note).toMatch(/signature/);
      expect(outcome.stdout + (outcome.stderr ?? '')).not.toContain(wrong);
      // The Shopify sources after it went through whole.
      expect(brand.runs.map((r) => `${r.source} ${r.stream} ${r.status}`)).toEqual([
        'tiktok profiles failed',
        'shopify-orders profiles succeeded',
        'shopify-orders events succeeded',
        'shopify-customers profiles succeeded',
        'shopify-customers consent succeeded',
      ]);
      expect(brand.stats.eventsAccepted).toBeGreaterThan(0);
      expect(eventCounts(fresh, KEYS.emberwick).count).toBe(brand.stats.eventsAccepted);

      const text = await runCli(
        ['sync', '--brand', 'emberwick'],
        contextFor(project.cwd, { ...env(wrong), ...envFor(fresh) }),
      );
      expect(text.exitCode).toBe(1);
      expect(text.stdout + (text.stderr ?? '')).toMatch(/TIKTOK_SHOP_APP_SECRET/);
      expect(text.stdout + (text.stderr ?? '')).not.toContain(wrong);

      // The history keeps why the source failed, beside its run.
      const history = await runCli(
        ['sync', 'history', '--brand', 'emberwick', '--type', 'profiles', '--json'],
        contextFor(project.cwd, {}),
      );
      const run = (JSON.parse(history.stdout) as { runs: HistoryRunJson[] }).runs.find(
        (r) => r.source === 'tiktok',
      );
      expect(run).toMatchObject({ source: 'tiktok', status: 'failed' });
      expect(run!.firstFailures[0]).toMatchObject({
        item: 'tiktok',
        code: 'source-failed',
        detail: expect.stringContaining('TIKTOK_SHOP_APP_SECRET'),
      });
    } finally {
      await fresh.close();
    }
  });
});

interface SyncBrandJson {
  status: string;
  notes: string[];
  runs: { source: string; stream: string; status: string }[];
  stats: { eventsAccepted: number };
}

interface HistoryRunJson {
  source: string;
  status: string;
  firstFailures: { item: string; code: string; detail: string }[];
}
