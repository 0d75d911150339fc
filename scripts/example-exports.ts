/**
 * Regenerates the example store exports of both example brands (marketing/brands/<brand>/exports/): a
 * Shopify orders export and customers export with mixed consent, refunds, cancellations and the quirks real
 * exports have (quoted commas, rows without a line item, national phone numbers). Seeded: the same files
 * every run.
 *
 *   npm run examples:exports
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXAMPLE_CATALOGUES, writeShopifyExports, type ExportSizes } from './shopify-exports.js';

const repo = resolve(import.meta.dirname, '..');

const SIZES: ExportSizes = {
  customers: 100,
  orders: 320,
  start: new Date(Date.UTC(2025, 11, 1)),
  end: new Date(Date.UTC(2026, 10, 28)),
};

async function main(): Promise<void> {
  for (const catalogue of EXAMPLE_CATALOGUES) {
    const dir = join(repo, 'marketing', 'brands', catalogue.brand, 'exports');
    await mkdir(dir, { recursive: true });
    await writeShopifyExports(catalogue, SIZES, {
      orders: join(dir, 'orders.csv'),
      customers: join(dir, 'customers.csv'),
    });
    process.stdout.write(`wrote ${dir}/orders.csv and customers.csv\n`);
  }
}

await main();
