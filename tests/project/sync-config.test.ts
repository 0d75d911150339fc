import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import type { ValidateReport } from '../../src/commands/validate.js';
import { loadProject } from '../../src/project/loader.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const ctx = (cwd: string) => ({ cwd, env: {}, progress: () => {} });
const SYNC = 'marketing/brands/acme/sync.yaml';

const VALID = `# Where acme's customer data comes from.
live_window: { last: 3, unit: day }
consent:
  email_list: newsletter
  accept_undated_consent: false
sources:
  shopify-orders:
    type: shopify-orders-csv
    file: exports/orders.csv
  shopify-customers:
    type: shopify-customers-csv
    file: exports/customers.csv
  storefront:
    type: jsonl
    file: exports/storefront.jsonl
    record: order
    mapping:
      id: id
      email: customer.email
      created_at: placed_at
      currency: currency
      total: totals.grand
      lines: items
      line: { name: title, quantity: qty, price: unit_price }
  tiktok:
    type: tiktok-shop
    app_key_env: TIKTOK_SHOP_APP_KEY_ACME
    app_secret_env: TIKTOK_SHOP_APP_SECRET_ACME
    access_token_env: TIKTOK_SHOP_ACCESS_TOKEN_ACME
    shop_cipher_env: TIKTOK_SHOP_CIPHER_ACME
`;

async function diagnostics(files: Record<string, string>) {
  project = tempProject(files);
  const outcome = await runCli(['validate', '--json'], ctx(project.cwd));
  return (JSON.parse(outcome.stdout) as ValidateReport).diagnostics.map(
    (d) => `${d.file}:${d.line}:${d.col} ${d.rule}: ${d.message}${d.fix ? ` (${d.fix})` : ''}`,
  );
}

describe('brands/<brand>/sync.yaml', () => {
  it('is part of the format: a valid file and its exports folder validate clean and load typed', async () => {
    expect(
      await diagnostics({ [SYNC]: VALID, 'marketing/brands/acme/exports/orders.csv': 'Name,Email\n' }),
    ).toEqual([]);
    const { project: loaded } = await loadProject({ cwd: project!.cwd, dir: 'marketing' });
    const sync = loaded.brands.get('acme')!.sync!;
    expect(sync.valid).toBe(true);
    expect(sync.value.sources['shopify-orders']).toEqual({
      type: 'shopify-orders-csv',
      file: 'exports/orders.csv',
    });
    expect(sync.value.live_window).toEqual({ last: 3, unit: 'day' });
  });

  it('reports schema errors at file:line:col with the rule and a fix', async () => {
    const broken = VALID.replace('accept_undated_consent: false', 'accept_undated_consnt: false')
      .replace('type: shopify-customers-csv', 'type: shopify-customer-csv')
      .replace('file: exports/orders.csv', 'file: ../../secrets.csv')
      .replace('TIKTOK_SHOP_APP_SECRET_ACME', 'KLAVIYO_API_KEY_ACME')
      .replace('    record: order\n', '');
    expect(await diagnostics({ [SYNC]: broken })).toEqual([
      `${SYNC}:5:3 unknown-key: unknown key 'accept_undated_consnt' at consent (did you mean 'accept_undated_consent'?)`,
      `${SYNC}:9:11 schema: '../../secrets.csv' is not a path inside the brand folder at sources.shopify-orders.file (write it relative to the brand folder, e.g. exports/orders.csv)`,
      `${SYNC}:11:11 schema: 'shopify-customer-csv' is not allowed at sources.shopify-customers.type: use one of shopify-orders-csv, shopify-customers-csv, jsonl, tiktok-shop (did you mean 'shopify-customers-csv'?)`,
      `${SYNC}:14:5 missing-key: missing required key 'record' at sources.storefront (add 'record:')`,
      `${SYNC}:27:21 tiktok-shop-env: 'KLAVIYO_API_KEY_ACME' is not a TikTok Shop credential variable at sources.tiktok.app_secret_env (name one of the form TIKTOK_SHOP_<NAME>, e.g. TIKTOK_SHOP_APP_KEY_<BRAND>)`,
    ]);
  });

  it('checks what the schema cannot: consent lists exist, source names, complete JSONL mappings', async () => {
    const broken = VALID.replace('email_list: newsletter', 'email_list: newsleter')
      .replace('  storefront:', '  Storefront:')
      .replace('      total: totals.grand\n', '')
      .replace('quantity: qty, ', '');
    expect(await diagnostics({ [SYNC]: broken })).toEqual([
      `${SYNC}:4:15 unknown-list: unknown list 'newsleter' (did you mean 'newsletter'?)`,
      `${SYNC}:13:3 invalid-key-name: 'Storefront' is not a valid source name: use lowercase letters, digits and dashes (it becomes part of every event id, so pick it once)`,
      `${SYNC}:18:7 missing-key: the order mapping lacks total, line.quantity (map each to the path of that value in a record, e.g. total: total)`,
    ]);
  });
});
