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
import { writeShopifyExports, type Catalogue, type ExportSizes } from './shopify-exports.js';

const repo = resolve(import.meta.dirname, '..');

const BRANDS: Catalogue[] = [
  {
    brand: 'emberwick',
    domain: 'emberwick-shoppers.example',
    vendor: 'Emberwick Candle Co.',
    currency: 'USD',
    country: 'US',
    firstOrderId: 5_210_000_001,
    seed: 7,
    discounts: ['WELCOME10', 'HEARTH15', 'GIFTSET'],
    products: [
      { name: 'Cedar & Smoke Candle, 12 oz', sku: 'EW-CED-12', price: 34 },
      { name: 'Fig Leaf Candle, 8 oz', sku: 'EW-FIG-08', price: 26 },
      { name: 'Winter Pine Candle, 12 oz', sku: 'EW-PIN-12', price: 34 },
      { name: 'Brass Wick Trimmer', sku: 'EW-TRIM', price: 18 },
      { name: 'Matchbox, "Long Stem"', sku: 'EW-MATCH', price: 8 },
      { name: 'Refill Wax, 3-pack', sku: 'EW-WAX-3', price: 22 },
    ],
  },
  {
    brand: 'trailhead',
    domain: 'trailhead-hikers.example',
    vendor: 'Trailhead Outfitters',
    currency: 'USD',
    country: 'US',
    firstOrderId: 7_340_000_001,
    seed: 11,
    discounts: ['SUMMIT10', 'TRAIL20'],
    products: [
      { name: 'Ridge 30L Daypack', sku: 'TH-PACK-30', price: 129 },
      { name: 'Merino Hiking Socks, 2-pair', sku: 'TH-SOCK-2', price: 28 },
      { name: 'Trekking Poles, Carbon', sku: 'TH-POLE-C', price: 149 },
      { name: 'Headlamp 400', sku: 'TH-LAMP-400', price: 45 },
      { name: 'Water Filter, Squeeze', sku: 'TH-FILTER', price: 39 },
    ],
  },
];

const SIZES: ExportSizes = {
  customers: 100,
  orders: 320,
  start: new Date(Date.UTC(2025, 11, 1)),
  end: new Date(Date.UTC(2026, 10, 28)),
};

async function main(): Promise<void> {
  for (const catalogue of BRANDS) {
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
