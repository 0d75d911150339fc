/**
 * The nightly sync as klaviyo-sync.yml runs it: the built Action in its own process with `command: sync` for one
 * brand, the sandbox as the brand's Klaviyo account, the history database left in the workspace between runs (as
 * the workflow's cache restores it), and the figures read back from the job summary and outputs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORDER_SEARCH_PATH, startFakeTikTokShop } from '../sync/fake-tiktok-shop.js';
import { expectedOrderFigures } from '../sync/run/sync-helpers.js';
import { tiktokOrder } from '../sync/tiktok/tiktok-fixtures.js';
import { actionWorkspace, assertNoSecrets, type ActionWorkspace } from './workspace.js';

const BRAND = 'emberwick';
const HISTORY = '.klaviyo-gitops/sync.db';

let ws: ActionWorkspace;
beforeEach(async () => {
  ws = await actionWorkspace();
});
afterEach(async () => {
  await ws.close();
});

const sync = (options: { inputs?: Record<string, string>; apiKey?: string } = {}) =>
  ws.run({
    command: 'sync',
    brand: BRAND,
    eventName: 'schedule',
    event: { schedule: '43 2 * * *' },
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    inputs: options.inputs ?? {},
  });

/** The events the brand's account holds: all of them, and distinct by profile + metric + unique_id. */
function accountEvents() {
  const events = Object.values(ws.sandbox.account(ws.keys[BRAND]!).state.events);
  return { count: events.length, distinct: new Set(events.map((e) => e.dedupeKey)).size };
}

/** Order #1001 again as #9001, placed in 1985: Klaviyo refuses events dated before 1990, each by its pointer. */
async function addAncientOrder(): Promise<void> {
  const path = `marketing/brands/${BRAND}/exports/orders.csv`;
  const rows = (await ws.read(path)).trimEnd().split('\n');
  const copy = rows
    .filter((row) => row.startsWith('#1001,'))
    .map((row) =>
      row
        .replace('#1001', '#9001')
        .replace('5210000001', '5219999999')
        .replaceAll('2025-11-30', '1985-11-30'),
    );
  await ws.write(path, [...rows, ...copy].join('\n') + '\n');
}

describe('the nightly sync', () => {
  it(
    'syncs the brand, shows its figures in the job summary and outputs, and a second night adds no events',
    { timeout: 180_000 },
    async () => {
      const expected = await expectedOrderFigures(ws.cwd, BRAND);
      const before = accountEvents().count;
      const first = await sync({ inputs: { history: HISTORY } });
      expect(first.code, first.summary + first.stderr).toBe(0);
      expect(first.outputs).toMatchObject({
        status: 'succeeded',
        'events-accepted': String(expected.events),
        failed: '0',
        stopped: 'false',
        'exit-code': '0',
        'failure-reason': '',
      });
      expect(accountEvents().count - before).toBe(expected.events);
      expect(first.summary).toContain('## klaviyo-gitops sync');
      expect(first.summary).toContain(`### ${BRAND}: :white_check_mark: synced`);
      expect(first.summary).toMatch(
        new RegExp(`\\| Events accepted \\| ${expected.events.toLocaleString('en-US')} \\|`),
      );
      expect(first.summary).toMatch(/\| Orders fetched \| [\d,]+ \|/);
      // No apply ran, so the consent lists are not in Klaviyo: a note, and the skips by reason.
      expect(first.summary).toContain("list 'newsletter' is not in Klaviyo yet");
      expect(first.summary).toContain('<code>email:list-not-in-klaviyo</code>');
      expect(first.summary).toContain(`History: <code>${HISTORY}</code>`);
      expect(first.summary).toContain('klaviyo-gitops sync history');
      expect(existsSync(join(ws.cwd, HISTORY))).toBe(true);

      // The next night, with the history restored: nothing to continue, and Klaviyo keeps the same events.
      const afterFirst = accountEvents();
      const second = await sync({ inputs: { history: HISTORY } });
      expect(second.code, second.summary).toBe(0);
      expect(second.outputs.status).toBe('succeeded');
      expect(second.summary).not.toContain('continued an earlier run');
      expect(accountEvents()).toEqual(afterFirst);
      expect(afterFirst.distinct).toBe(afterFirst.count);
    },
  );

  it(
    'a run stopped at max-duration succeeds and says the next run continues',
    { timeout: 180_000 },
    async () => {
      const stopped = await sync({ inputs: { 'max-duration': '1ms' } });
      expect(stopped.code, stopped.summary + stopped.stderr).toBe(0);
      expect(stopped.outputs).toMatchObject({ status: 'stopped', stopped: 'true', 'exit-code': '0' });
      expect(stopped.summary).toContain('continues at the next run');

      const expected = await expectedOrderFigures(ws.cwd, BRAND);
      const next = await sync();
      expect(next.code, next.summary).toBe(0);
      expect(next.outputs).toMatchObject({ status: 'succeeded', stopped: 'false' });
      expect(next.outputs['events-accepted']).toBe(String(expected.events));
    },
  );

  it(
    'items Klaviyo refuses fail the step with sync-items-refused and are listed in the summary',
    {
      timeout: 180_000,
    },
    async () => {
      await addAncientOrder();
      const run = await sync();
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        'failure-reason': 'sync-items-refused',
        'exit-code': '1',
        status: 'partial',
        failed: '4',
      });
      expect(run.summary).toContain('<code>shopify-orders:5219999999:placed-order:order</code>');
      expect(run.summary).toContain('The event time must be after 1990');
      expect(run.stdout).toContain('::error::the sync did not send everything');
    },
  );

  it(
    'a missing key fails with auth-failed and never falls back to the sandbox',
    { timeout: 120_000 },
    async () => {
      const before = accountEvents().count;
      const run = await sync({ apiKey: '' });
      expect(run.code).toBe(1);
      expect(run.outputs['failure-reason']).toBe('auth-failed');
      expect(run.outputs['exit-code']).toBe('1');
      expect(run.summary).toContain('Failed: <code>auth-failed</code>');
      expect(run.summary).not.toContain('target: local sandbox');
      expect(existsSync(join(ws.cwd, '.klaviyo-sandbox'))).toBe(false);
      expect(existsSync(join(ws.cwd, HISTORY))).toBe(false);
      expect(accountEvents().count).toBe(before);
    },
  );

  it('a max-duration that is not a duration is refused, naming the input', { timeout: 60_000 }, async () => {
    const run = await sync({ inputs: { 'max-duration': 'tonight' } });
    expect(run.code).toBe(1);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.stdout).toContain("input 'max-duration' takes a duration such as 30m");
  });

  it(
    "TikTok Shop's credentials reach the sync from the step's environment and never show",
    { timeout: 180_000 },
    async () => {
      // trailhead's sync.yaml names these variables; the values are canaries that must never be shown.
      const credentials = {
        appKey: 'canaryAppKey5c1d',
        appSecret: 'canary-app-secret-9e2b7f41',
        accessToken: 'TTP_canary_access_token_3a8d',
        shopCipher: 'ROW_canaryCipher',
      };
      const now = Date.now();
      const shop = await startFakeTikTokShop({
        ...credentials,
        now: () => Date.now(),
        orders: [tiktokOrder('577001', Math.floor(now / 1000) - 86_400)],
      });
      try {
        const run = await ws.run({
          command: 'sync',
          brand: 'trailhead',
          eventName: 'schedule',
          event: { schedule: '43 2 * * *' },
          env: {
            TIKTOK_SHOP_BASE_URL: shop.url,
            TIKTOK_SHOP_APP_KEY_TRAILHEAD: credentials.appKey,
            TIKTOK_SHOP_APP_SECRET_TRAILHEAD: credentials.appSecret,
            TIKTOK_SHOP_ACCESS_TOKEN_TRAILHEAD: credentials.accessToken,
            TIKTOK_SHOP_CIPHER_TRAILHEAD: credentials.shopCipher,
          },
        });
        expect(run.code, run.summary + run.stderr).toBe(0);
        expect(run.outputs.status).toBe('succeeded');
        const searches = shop.requests.filter((r) => r.path === ORDER_SEARCH_PATH);
        expect(searches.length).toBeGreaterThan(0);
        // Signed with the secret from the environment: the fake shop checks every signature.
        expect(searches.every((r) => r.code === 0)).toBe(true);
        assertNoSecrets([run], ws.github, [
          credentials.appSecret,
          credentials.accessToken,
          credentials.appKey,
        ]);
      } finally {
        await shop.close();
      }
    },
  );
});
