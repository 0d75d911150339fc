import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { readJsonlOrders } from '../../src/sync/jsonl-source.js';
import { SourceFileError } from '../../src/sync/model.js';
import { readShopifyCustomers } from '../../src/sync/shopify-customers-csv.js';
import { readShopifyOrders } from '../../src/sync/shopify-orders-csv.js';
import { ORDER_HEADER, collect, exportDir } from './export-files.js';

const files = exportDir();
afterAll(() => files.cleanup());

/** Cells made of the characters that break CSV and JSON readers. */
const cell = fc.stringMatching(/^[a-z0-9 ,."\r\n@#+\-:{}[\]]{0,12}$/);
const rows = fc.array(
  fc.array(cell, { maxLength: 30 }).map((cells) => cells.join(',')),
  { maxLength: 12 },
);

async function settles(read: () => AsyncIterable<unknown>): Promise<void> {
  try {
    await collect(read() as never);
  } catch (error) {
    // The only throw allowed: the whole file is unusable, said with file:line.
    expect(error).toBeInstanceOf(SourceFileError);
  }
}

it('any CSV text gives records, problems or a file error, never an uncaught exception', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(rows, fc.boolean(), fc.constantFrom('\n', '\r\n'), async (body, withHeader, eol) => {
      const text = [...(withHeader ? [ORDER_HEADER] : []), ...body].join(eol);
      const path = files.write(`fuzz-${n++}.csv`, text);
      await settles(() => readShopifyOrders({ source: 's', path }));
      await settles(() => readShopifyCustomers({ source: 's', path }));
    }),
    { numRuns: 150 },
  );
});

it('any JSONL text gives records or problems, never an uncaught exception', async () => {
  let n = 0;
  const mapping = {
    id: 'id',
    email: 'e',
    created_at: 't',
    currency: 'c',
    total: 'x.y',
    lines: 'l',
    line: { name: 'n', quantity: 'q', price: 'p' },
  };
  const json = fc.oneof(
    fc.json(),
    cell,
    fc.constant(
      '{"id":1,"e":"a@b.co","t":"2026-01-01T00:00:00Z","c":"USD","x":{"y":"1"},"l":[{"n":"a","q":1,"p":2}]}',
    ),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(json, { maxLength: 10 }), async (lines) => {
      const path = files.write(`fuzz-${n++}.jsonl`, lines.join('\n'));
      await settles(() => readJsonlOrders({ source: 's', path, mapping }));
    }),
    { numRuns: 150 },
  );
});
