import { afterEach, describe, expect, it } from 'vitest';
import { readJsonlCustomers, readJsonlOrders } from '../../src/sync/jsonl-source.js';
import { collect, exportDir, type ExportDir } from './export-files.js';

let files: ExportDir;
afterEach(() => files?.cleanup());

const orderMapping = {
  id: 'id',
  email: 'customer.email',
  created_at: 'placed_at',
  currency: 'currency',
  total: 'totals.grand',
  discount_codes: 'discounts',
  lines: 'items',
  line: { sku: 'sku', name: 'title', quantity: 'qty', price: 'unit_price', categories: 'collections' },
  refunds: 'refunds',
  refund: { id: 'id', amount: 'amount', at: 'created' },
};

describe('JSONL with a mapping', () => {
  it('maps orders through dotted paths, with lines and dated refunds, and reports bad lines at file:line', async () => {
    files = exportDir();
    const good = {
      id: 'A-1',
      customer: { email: 'Bo@Example.com' },
      placed_at: '2026-11-02T08:00:00+01:00',
      currency: 'eur',
      totals: { grand: 40.5 },
      discounts: ['FALL'],
      items: [{ sku: 'S1', title: 'Pine', qty: 2, unit_price: '20.25', collections: ['Candles'] }],
      refunds: [{ id: 'r9', amount: 5, created: 1_793_000_000 }],
    };
    const path = files.write(
      'orders.jsonl',
      [
        JSON.stringify(good),
        '{"id": "A-2",',
        '',
        JSON.stringify({ ...good, id: 'A-3', items: [{ title: 'Pine', qty: 0, unit_price: 1 }] }),
        JSON.stringify({ ...good, id: 'A-4', totals: {} }),
      ].join('\r\n'),
    );
    const { records, problems } = await collect(
      readJsonlOrders({ source: 'web', path, displayPath: 'exports/orders.jsonl', mapping: orderMapping }),
    );
    expect(records).toEqual([
      expect.objectContaining({
        id: 'A-1',
        number: 'A-1',
        customer: { email: 'bo@example.com' },
        createdAt: '2026-11-02T07:00:00Z',
        currency: 'EUR',
        total: 40.5,
        discountCodes: ['FALL'],
        lines: [{ sku: 'S1', name: 'Pine', quantity: 2, price: 20.25, categories: ['Candles'] }],
        refunds: [{ id: 'r9', amount: 5, at: '2026-10-26T07:33:20Z' }],
        from: { file: 'exports/orders.jsonl', line: 1 },
      }),
    ]);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.reason}`)).toEqual([
      expect.stringMatching(/^exports\/orders\.jsonl:2: not JSON: /),
      "exports/orders.jsonl:4: 'line 1 quantity' (qty) '0' is not a quantity (a whole number from 1)",
      "exports/orders.jsonl:5: 'total' (totals.grand) is missing",
    ]);
  });

  it('maps customers; consent carries the source provenance only when sync.yaml names one', async () => {
    files = exportDir();
    const path = files.write(
      'customers.jsonl',
      JSON.stringify({ e: 'cy@example.com', opt: 'yes', opt_at: '2026-01-05T10:00:00Z', sms: false }) + '\n',
    );
    const mapping = { email: 'e', email_consent: 'opt', email_consent_at: 'opt_at', sms_consent: 'sms' };
    const withProvenance = await collect(
      readJsonlCustomers({ source: 'web', path, mapping, provenance: 'signup form' }),
    );
    expect(withProvenance.records[0]!.consent).toEqual({
      email: { state: 'granted', at: '2026-01-05T10:00:00Z', provenance: 'signup form' },
      sms: { state: 'declined', provenance: 'signup form' },
    });
    const without = await collect(readJsonlCustomers({ source: 'web', path, mapping }));
    expect(without.records[0]!.consent.email).toEqual({ state: 'granted', at: '2026-01-05T10:00:00Z' });
  });
});
