/**
 * Shopify-style store exports, generated: an orders export (one row per line item, the order's columns on its
 * first row) and a customers export, with mixed consent, refunds, cancellations and the quirks real exports
 * have (quoted commas, rows without a line item, national phone numbers, CRLF). Seeded: the same rows for the
 * same catalogue and sizes. Streaming: rows are yielded one at a time, so a million orders cost no memory.
 *
 * Used by `npm run examples:exports` (the example brands' small exports) and `npm run bench:sync`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export interface Catalogue {
  brand: string;
  domain: string;
  vendor: string;
  currency: string;
  country: string;
  firstOrderId: number;
  products: { name: string; sku: string; price: number }[];
  discounts: string[];
  seed: number;
}

/** The example brands' stores: their products, discounts and the seed of their exports. */
export const EXAMPLE_CATALOGUES: readonly Catalogue[] = [
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

export interface ExportSizes {
  customers: number;
  orders: number;
  /** Orders are spread evenly from `start` to `end`. */
  start: Date;
  end: Date;
}

const FIRST = [
  'Ada',
  'Bo',
  'Cyrus',
  'Dana',
  'Eli',
  'Fern',
  'Gus',
  'Hana',
  'Ivo',
  'June',
  'Kai',
  'Lena',
  'Milo',
  'Nora',
  'Otto',
  'Pia',
  'Quinn',
  'Rosa',
  'Sami',
  'Tess',
];
const LAST = [
  'Alder',
  'Birch',
  'Cove',
  'Dale',
  'Ewing',
  'Frost',
  'Glen',
  'Hart',
  'Isle',
  'Juniper',
  'Knoll',
  'Lark',
  'Marsh',
];
const CITIES: [string, string, string][] = [
  ['Asheville', 'NC', '28801'],
  ['Boulder', 'CO', '80302'],
  ['Portland', 'OR', '97205'],
  ['Burlington', 'VT', '05401'],
  ['Austin', 'TX', '78701'],
];

/** mulberry32: small, seeded, good enough for example data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function shopifyTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  // Shopify writes the shop's zone; these shops sit in US Eastern standard time.
  const local = new Date(date.getTime() - 5 * 3_600_000);
  return `${local.getUTCFullYear()}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} -0500`;
}

const money = (n: number) => n.toFixed(2);

const ORDER_COLUMNS =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Phone,Receipt Number'.split(
    ',',
  );
const CUSTOMER_COLUMNS =
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags'.split(
    ',',
  );

interface Person {
  id: number;
  first: string;
  last: string;
  email: string;
  phone: string;
  emailConsent: 'yes' | 'no' | '';
  smsConsent: 'yes' | 'no' | '';
  city: [string, string, string];
  spent: number;
  orders: number;
}

function row(columns: string[], cells: Record<string, string | number>): string {
  return columns.map((c) => csvCell(cells[c] ?? '')).join(',');
}

/** What the generated orders amount to: the events a sync must record, counted independently of it. */
export interface ExportTally {
  orders: number;
  lines: number;
  fulfilled: number;
  cancelled: number;
  refunded: number;
  /** Sum of every order's total, in the catalogue's currency. */
  orderValue: number;
}

export const emptyTally = (): ExportTally => ({
  orders: 0,
  lines: 0,
  fulfilled: 0,
  cancelled: 0,
  refunded: 0,
  orderValue: 0,
});

/** The rows of both exports: orders first (they add up each customer's totals), then customers. */
export function* shopifyExportRows(
  c: Catalogue,
  sizes: ExportSizes,
  tally: ExportTally = emptyTally(),
): Generator<{ file: 'orders' | 'customers'; line: string }> {
  const rnd = random(c.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const people: Person[] = [];
  for (let i = 0; i < sizes.customers; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const digits = String(5_550_100 + i).padStart(7, '0');
    // Mostly E.164 as Shopify stores it; some typed the national way; some none.
    const phoneStyle = rnd();
    const phone =
      phoneStyle < 0.6
        ? `+1828${digits}`
        : phoneStyle < 0.75
          ? `(828) ${digits.slice(0, 3)}-${digits.slice(3)}`
          : '';
    const e = rnd();
    people.push({
      id: 6_100_000_000 + i * 37,
      first,
      last,
      email: `${first}.${last}${i}@${c.domain}`.toLowerCase(),
      phone,
      emailConsent: e < 0.55 ? 'yes' : e < 0.9 ? 'no' : '',
      smsConsent: phone && rnd() < 0.35 ? 'yes' : phone ? 'no' : '',
      city: pick(CITIES),
      spent: 0,
      orders: 0,
    });
  }
  // Shopify's exports end lines with CRLF.
  yield { file: 'orders', line: ORDER_COLUMNS.join(',') + '\r\n' };
  const start = sizes.start.getTime();
  const end = sizes.end.getTime();
  const count = sizes.orders;
  for (let n = 0; n < count; n++) {
    const person = pick(people);
    const created = new Date(start + Math.floor(((end - start) * n) / count + rnd() * 3_600_000 * 20));
    const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
      ...pick(c.products),
      qty: 1 + Math.floor(rnd() * 2),
    }));
    const subtotal = items.reduce((s, i) => s + i.price * i.qty, 0);
    const discountCode = rnd() < 0.2 ? pick(c.discounts) : '';
    const discount = discountCode ? Math.round(subtotal * 0.1 * 100) / 100 : 0;
    const shipping = subtotal >= 75 ? 0 : 6.95;
    const taxes = Math.round((subtotal - discount) * 0.07 * 100) / 100;
    const total = Math.round((subtotal - discount + shipping + taxes) * 100) / 100;
    const fate = rnd();
    const cancelled = fate < 0.05;
    const refunded = !cancelled && fate < 0.12 ? (fate < 0.08 ? total : items[0]!.price) : 0;
    const fulfilled = !cancelled && created.getTime() < end - 2 * 86_400_000;
    const financial = cancelled
      ? 'voided'
      : refunded === total
        ? 'refunded'
        : refunded > 0
          ? 'partially_refunded'
          : 'paid';
    const billing = `${person.first} ${person.last}`;
    const order = {
      Name: `#${1001 + n}`,
      Email: person.email,
      'Financial Status': financial,
      'Paid at': cancelled ? '' : shopifyTime(created),
      'Fulfillment Status': fulfilled ? 'fulfilled' : 'unfulfilled',
      'Fulfilled at': fulfilled ? shopifyTime(new Date(created.getTime() + 2 * 86_400_000)) : '',
      'Accepts Marketing': person.emailConsent === 'yes' ? 'yes' : 'no',
      Currency: c.currency,
      Subtotal: money(subtotal - discount),
      Shipping: money(shipping),
      Taxes: money(taxes),
      Total: money(total),
      'Discount Code': discountCode,
      'Discount Amount': money(discount),
      'Shipping Method': shipping === 0 ? 'Free Shipping' : 'Standard',
      'Created at': shopifyTime(created),
      'Billing Name': billing,
      'Billing Address1': `${10 + (person.id % 90)} Main St`,
      'Billing City': person.city[0],
      'Billing Zip': person.city[2],
      'Billing Province': person.city[1],
      'Billing Country': c.country,
      'Billing Phone': person.phone,
      'Shipping Name': billing,
      'Shipping Address1': `${10 + (person.id % 90)} Main St`,
      'Shipping City': person.city[0],
      'Shipping Zip': person.city[2],
      'Shipping Province': person.city[1],
      'Shipping Country': c.country,
      'Cancelled at': cancelled ? shopifyTime(new Date(created.getTime() + 3_600_000)) : '',
      'Payment Method': 'Shopify Payments',
      'Refunded Amount': refunded ? money(refunded) : '0.00',
      'Outstanding Balance': '0.00',
      Id: c.firstOrderId + n,
      Tags: rnd() < 0.1 ? 'gift, holiday' : '',
      'Risk Level': 'Low',
      Source: 'web',
      'Tax 1 Name': 'State Tax 7%',
      'Tax 1 Value': money(taxes),
      Phone: '',
    };
    for (const [i, item] of items.entries()) {
      const lineCells = {
        'Lineitem quantity': item.qty,
        'Lineitem name': item.name,
        'Lineitem price': money(item.price),
        'Lineitem sku': item.sku,
        'Lineitem requires shipping': 'true',
        'Lineitem taxable': 'true',
        'Lineitem fulfillment status': fulfilled ? 'fulfilled' : 'pending',
        'Lineitem discount': '0.00',
        Vendor: c.vendor,
      };
      // Shopify repeats only Name and Email (and line columns) on the rows after an order's first.
      const cells =
        i === 0 ? { ...order, ...lineCells } : { Name: order.Name, Email: order.Email, ...lineCells };
      yield { file: 'orders', line: row(ORDER_COLUMNS, cells) + '\r\n' };
    }
    // Now and then an extra row with no line item, as exports with several tax or shipping lines have.
    if (rnd() < 0.05)
      yield { file: 'orders', line: row(ORDER_COLUMNS, { Name: order.Name, Email: order.Email }) + '\r\n' };
    tally.orders += 1;
    tally.lines += items.length;
    tally.fulfilled += fulfilled ? 1 : 0;
    tally.cancelled += cancelled ? 1 : 0;
    tally.refunded += refunded > 0 ? 1 : 0;
    tally.orderValue += total;
    if (!cancelled) {
      person.spent += total - refunded;
      person.orders += 1;
    }
  }
  yield { file: 'customers', line: CUSTOMER_COLUMNS.join(',') + '\r\n' };
  for (const p of people)
    yield {
      file: 'customers',
      line:
        row(CUSTOMER_COLUMNS, {
          'Customer ID': p.id,
          'First Name': p.first,
          'Last Name': p.last,
          Email: p.email,
          'Accepts Email Marketing': p.emailConsent,
          'Default Address Address1': `${10 + (p.id % 90)} Main St`,
          'Default Address City': p.city[0],
          'Default Address Province Code': p.city[1],
          'Default Address Country Code': c.country,
          'Default Address Zip': p.city[2],
          'Default Address Phone': p.phone,
          Phone: p.phone,
          'Accepts SMS Marketing': p.smsConsent,
          'Total Spent': money(p.spent),
          'Total Orders': p.orders,
          'Tax Exempt': 'no',
          Tags: p.orders >= 5 ? 'vip, repeat' : p.orders >= 2 ? 'repeat' : '',
        }) + '\r\n',
    };
}

/** Writes `orders.csv` and `customers.csv` into `dir`, streaming, honouring back-pressure. */
export async function writeShopifyExports(
  c: Catalogue,
  sizes: ExportSizes,
  paths: { orders: string; customers: string },
): Promise<{ orderRows: number; customerRows: number; tally: ExportTally }> {
  const tally = emptyTally();
  const streams = { orders: createWriteStream(paths.orders), customers: createWriteStream(paths.customers) };
  const rows = { orders: 0, customers: 0 };
  for (const { file, line } of shopifyExportRows(c, sizes, tally)) {
    rows[file] += 1;
    if (!streams[file].write(line)) await once(streams[file], 'drain');
  }
  for (const stream of Object.values(streams)) {
    stream.end();
    await once(stream, 'finish');
  }
  // The header rows are not data.
  return { orderRows: rows.orders - 1, customerRows: rows.customers - 1, tally };
}
