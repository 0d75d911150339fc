import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { afterAll, expect, it } from 'vitest';
import { readShopifyOrders } from '../../src/sync/shopify-orders-csv.js';
import { ORDER_HEADER, exportDir, orderRow } from './export-files.js';

const files = exportDir();
afterAll(() => files.cleanup());

const ROWS = 200_000;

async function writeLargeExport(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(ORDER_HEADER + '\n');
  for (let i = 0; i < ROWS; i += 2) {
    const order = {
      Name: `#${100000 + i}`,
      Email: `shopper${i}@example.com`,
      Currency: 'USD',
      Total: '42.00',
      'Created at': '2024-03-05 14:22:10 -0500',
      'Billing Name': 'Someone With A Fairly Long Name',
      Tags: 'loyal, candles, spring-sale, newsletter',
    };
    const line = {
      'Lineitem quantity': '1',
      'Lineitem name': 'Cedar & Smoke Candle, 12 oz',
      'Lineitem price': '21.00',
    };
    if (!out.write(orderRow({ ...order, ...line, 'Lineitem sku': `SKU-${i}` }) + '\n'))
      await once(out, 'drain');
    if (!out.write(orderRow({ Name: order.Name, ...line, 'Lineitem sku': `SKU-${i + 1}` }) + '\n'))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

it('streams a 200,000-row orders export with flat memory', async () => {
  const path = files.dir + '/large-orders.csv';
  await writeLargeExport(path);
  let orders = 0;
  let baseline = 0;
  let peak = 0;
  for await (const item of readShopifyOrders({ source: 'shop', path })) {
    if (item.kind !== 'record') continue;
    orders += 1;
    // Baseline once the parser and the JIT are warm; then sample the peak as the file streams by.
    if (orders === 5_000) baseline = process.memoryUsage().rss;
    if (orders % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  expect(orders).toBe(ROWS / 2);
  // Holding the records or the file (~40 MB of text, ~100,000 orders) would grow far beyond this.
  expect((peak - baseline) / 2 ** 20).toBeLessThan(60);
}, 120_000);
