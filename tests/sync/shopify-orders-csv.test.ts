import { afterEach, describe, expect, it } from 'vitest';
import { readShopifyOrders } from '../../src/sync/shopify-orders-csv.js';
import { SourceFileError } from '../../src/sync/model.js';
import { ORDER_HEADER, collect, exportDir, orderRow, type ExportDir } from './export-files.js';

let files: ExportDir;
afterEach(() => files?.cleanup());

const first = {
  Name: '#1001',
  Email: 'Ada@Example.com',
  'Financial Status': 'partially_refunded',
  'Fulfillment Status': 'fulfilled',
  'Fulfilled at': '2024-03-06 09:00:00 -0500',
  Currency: 'USD',
  Subtotal: '62.00',
  Shipping: '5.00',
  Taxes: '4.96',
  Total: '66.96',
  'Discount Code': 'WELCOME10',
  'Discount Amount': '5.00',
  'Created at': '2024-03-05 14:22:10 -0500',
  'Billing Name': 'Ada Lovelace King',
  'Refunded Amount': '12.00',
  Id: '5550001',
  Tags: 'vip, gift',
};

async function read(content: string) {
  files = exportDir();
  const path = files.write('orders.csv', content);
  return collect(readShopifyOrders({ source: 'shop', path, displayPath: 'exports/orders.csv' }));
}

describe('Shopify orders export', () => {
  it('groups consecutive rows of one order into its lines, order columns from the first row', async () => {
    const { records, problems } = await read(
      [
        ORDER_HEADER,
        orderRow({
          ...first,
          'Lineitem quantity': '2',
          'Lineitem name': 'Cedar Candle, Large',
          'Lineitem price': '25.00',
          'Lineitem sku': 'CED-L',
          Vendor: 'Emberwick',
        }),
        orderRow({
          Name: '#1001',
          Email: 'ada@example.com',
          'Lineitem quantity': '1',
          'Lineitem name': 'Wick Trimmer',
          'Lineitem price': '12.00',
          'Lineitem sku': 'TRIM',
        }),
        orderRow({
          Name: '#1002',
          Email: 'bo@example.com',
          Currency: 'EUR',
          Total: '10',
          'Created at': '2024-03-07T10:00:00Z',
          'Lineitem quantity': '1',
          'Lineitem name': 'Match',
          'Lineitem price': '10',
        }),
      ].join('\n') + '\n',
    );
    expect(problems).toEqual([]);
    expect(records).toHaveLength(2);
    const [a, b] = records;
    expect(a).toMatchObject({
      id: '5550001',
      number: '#1001',
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace King' },
      createdAt: '2024-03-05T19:22:10Z',
      fulfilledAt: '2024-03-06T14:00:00Z',
      currency: 'USD',
      total: 66.96,
      discountCodes: ['WELCOME10'],
      refunds: [{ id: 'total', amount: 12 }],
      tags: ['vip', 'gift'],
      from: { file: 'exports/orders.csv', line: 2 },
    });
    expect(a!.lines).toEqual([
      {
        name: 'Cedar Candle, Large',
        quantity: 2,
        price: 25,
        sku: 'CED-L',
        vendor: 'Emberwick',
        categories: [],
      },
      { name: 'Wick Trimmer', quantity: 1, price: 12, sku: 'TRIM', categories: [] },
    ]);
    expect(b).toMatchObject({ id: '#1002', currency: 'EUR', lines: [{ name: 'Match' }] });
  });

  it('reads CRLF files, quoted commas and newlines, a BOM, and rows without a line item', async () => {
    const rows = [
      '\uFEFF' + ORDER_HEADER,
      orderRow({
        ...first,
        'Lineitem quantity': '1',
        'Lineitem name': 'Gift "Box", with\nnote',
        'Lineitem price': '5',
      }),
      orderRow({ Name: '#1001' }), // Shopify writes rows that carry no line item
      orderRow({
        Name: '#1003',
        Email: 'x',
        'Created at': '2024-03-05 14:22:10 -0500',
        Currency: 'USD',
        'Lineitem quantity': '1',
        'Lineitem name': 'A',
        'Lineitem price': '1',
      }),
    ];
    const { records, problems } = await read(rows.join('\r\n') + '\r\n');
    expect(records.map((r) => r.lines.map((l) => l.name))).toEqual([['Gift "Box", with\nnote']]);
    // The quoted newline makes the first order two lines long: #1003 starts on line 5.
    expect(problems).toEqual([
      {
        file: 'exports/orders.csv',
        line: 5,
        reason: "order #1003 skipped: 'Email' 'x' is not an email address",
      },
    ]);
  });

  it('reports bad rows with file:line and reason and goes on with the next order', async () => {
    const { records, problems } = await read(
      [
        ORDER_HEADER,
        orderRow({ ...first, 'Lineitem quantity': 'two', 'Lineitem name': 'A', 'Lineitem price': '1' }),
        orderRow({ Name: '', Email: 'a@b.co' }),
        orderRow({
          ...first,
          Name: '#1004',
          Id: '',
          'Created at': 'yesterday',
          'Lineitem quantity': '1',
          'Lineitem name': 'A',
          'Lineitem price': '1',
        }),
        orderRow({
          ...first,
          Name: '#1005',
          Id: '',
          Total: '1,5',
          'Lineitem quantity': '1',
          'Lineitem name': 'A',
          'Lineitem price': '1',
        }),
        orderRow({
          ...first,
          Name: '#1006',
          Id: '',
          'Lineitem quantity': '1',
          'Lineitem name': 'A',
          'Lineitem price': '1',
        }),
        orderRow({
          Name: '#1006',
          Email: 'other@example.com',
          'Lineitem quantity': '1',
          'Lineitem name': 'B',
          'Lineitem price': '1',
        }),
        orderRow({
          ...first,
          Name: '#1007',
          Id: '',
          'Lineitem quantity': '1',
          'Lineitem name': 'A',
          'Lineitem price': '1',
        }),
        'too,many,' + orderRow({ Name: '#1008' }),
      ].join('\n'),
    );
    expect(records.map((r) => r.number)).toEqual(['#1007']);
    expect(problems.map((p) => `${p.line}: ${p.reason}`)).toEqual([
      // The nameless row is reported as read; order #1001 when its group ends.
      "3: the row has no order 'Name'",
      "2: order #1001 skipped: 'Lineitem quantity' 'two' is not a quantity (a whole number from 1)",
      "4: order #1004 skipped: 'Created at' 'yesterday' is not a timestamp with a time zone (2024-03-05 14:22:10 -0500)",
      "5: order #1005 skipped: 'Total' '1,5' is not an amount (digits with a '.' decimal point)",
      "7: order #1006 skipped: order #1006 has 'Email' Ada@Example.com on line 6 but other@example.com here",
      '9: the row has 29 fields but the header has 27',
    ]);
  });

  it('reports a quote never closed at the row where it starts', async () => {
    const { records, problems } = await read(
      [
        ORDER_HEADER,
        orderRow({ ...first, 'Lineitem quantity': '1', 'Lineitem name': 'A', 'Lineitem price': '1' }),
        '#1009,"open',
      ].join('\n'),
    );
    expect(records).toHaveLength(1);
    expect(problems).toEqual([
      {
        file: 'exports/orders.csv',
        line: 3,
        reason: 'a quoted field is never closed: the rest of the file cannot be read',
      },
    ]);
  });

  it('refuses a file that is not an orders export, or is missing, with a clear error', async () => {
    await expect(read('First Name,Last Name,Email\nA,B,a@b.co\n')).rejects.toThrow(
      new SourceFileError(
        'exports/orders.csv',
        1,
        "the header lacks 'Name', 'Created at', 'Currency', 'Total', 'Lineitem name': is this the right export?",
      ),
    );
    await expect(read('')).rejects.toThrow('exports/orders.csv:1: the file is empty: expected a header row');
    await expect(
      collect(readShopifyOrders({ source: 's', path: `${files.dir}/nope.csv`, displayPath: 'nope.csv' })),
    ).rejects.toThrow('nope.csv:0: the file does not exist');
  });
});
