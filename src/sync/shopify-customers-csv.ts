/**
 * Shopify's customers export, one row per customer. Column names changed over the years (`Accepts Marketing`
 * became `Accepts Email Marketing`, address columns gained a `Default Address` prefix); both are read.
 * Consent columns are yes/no without a date: the consent carries its provenance but no `at`.
 */
import { readCsvRows, type CsvRow } from './csv-rows.js';
import type { ChannelConsent, PostalLocation, SourceCustomer, SourceItem } from './model.js';
import { parseEmail, parseMoney, parseYesNo, present, splitList } from './text-values.js';

export const SHOPIFY_CUSTOMER_COLUMNS = ['First Name', 'Last Name', 'Email'] as const;

export interface ShopifyCustomersOptions {
  source: string;
  path: string;
  displayPath?: string;
}

export async function* readShopifyCustomers(
  options: ShopifyCustomersOptions,
): AsyncGenerator<SourceItem<SourceCustomer>> {
  const file = options.displayPath ?? options.path;
  for await (const item of readCsvRows({ ...options, requiredColumns: SHOPIFY_CUSTOMER_COLUMNS })) {
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    const customer = customerOf(item.row, options.source, file);
    yield typeof customer === 'string'
      ? { kind: 'problem', problem: { file, line: item.row.line, reason: `customer skipped: ${customer}` } }
      : { kind: 'record', record: customer };
  }
}

function customerOf(row: CsvRow, source: string, file: string): SourceCustomer | string {
  const email = parseEmail(row.get('Email'));
  if (!email.ok) return `'Email' ${email.reason}`;
  const phone = present(row.get('Phone')) ?? present(row.get('Default Address Phone'));
  if (email.value === undefined && phone === undefined)
    return "'Email' and 'Phone' are empty: nobody to sync";
  const consent: SourceCustomer['consent'] = { email: { state: 'unknown' }, sms: { state: 'unknown' } };
  for (const [channel, columns] of [
    ['email', ['Accepts Email Marketing', 'Accepts Marketing']],
    ['sms', ['Accepts SMS Marketing']],
  ] as const) {
    const column = columns.find((c) => present(row.get(c)) !== undefined);
    if (column === undefined) continue;
    const answer = parseYesNo(row.get(column));
    if (!answer.ok) return `'${column}' ${answer.reason}`;
    consent[channel] = consentOf(answer.value, `${file}:${row.line} '${column}'`);
  }
  const customer: SourceCustomer = {
    source,
    from: { file, line: row.line },
    identity: {
      ...(email.value !== undefined && { email: email.value }),
      ...(phone !== undefined && { phone }),
    },
    consent,
    properties: {},
  };
  const firstName = present(row.get('First Name'));
  const lastName = present(row.get('Last Name'));
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  const location = locationOf(row);
  if (location) customer.location = location;
  const id = present(row.get('Customer ID'));
  if (id !== undefined) customer.properties['Shopify Customer ID'] = id;
  const tags = splitList(row.get('Tags'));
  if (tags.length > 0) customer.properties['Tags'] = tags;
  for (const column of ['Total Spent', 'Total Orders'] as const) {
    const value = present(row.get(column));
    if (value === undefined) continue;
    const parsed = parseMoney(value);
    if (!parsed.ok) return `'${column}' ${parsed.reason}`;
    customer.properties[column] = parsed.value;
  }
  return customer;
}

function consentOf(answer: boolean | undefined, provenance: string): ChannelConsent {
  if (answer === undefined) return { state: 'unknown' };
  return { state: answer ? 'granted' : 'declined', provenance };
}

function locationOf(row: CsvRow): PostalLocation | undefined {
  const pick = (...columns: string[]) => columns.map((c) => present(row.get(c))).find((v) => v !== undefined);
  const location: PostalLocation = {};
  const fields: [keyof PostalLocation, string[]][] = [
    ['address1', ['Default Address Address1', 'Address1']],
    ['address2', ['Default Address Address2', 'Address2']],
    ['city', ['Default Address City', 'City']],
    ['region', ['Default Address Province Code', 'Province Code', 'Province']],
    ['zip', ['Default Address Zip', 'Zip']],
    ['country', ['Default Address Country Code', 'Country Code', 'Country']],
  ];
  for (const [key, columns] of fields) {
    const value = pick(...columns);
    if (value !== undefined) location[key] = value;
  }
  return Object.keys(location).length > 0 ? location : undefined;
}
