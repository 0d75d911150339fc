/** Real temporary export files for the sync readers. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceItem } from '../../src/sync/model.js';

export interface ExportDir {
  dir: string;
  write(name: string, content: string): string;
  cleanup(): void;
}

export function exportDir(): ExportDir {
  const dir = mkdtempSync(join(tmpdir(), 'kg-sync-'));
  return {
    dir,
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function collect<T>(items: AsyncIterable<SourceItem<T>>) {
  const records: T[] = [];
  const problems: { line: number; reason: string; file: string }[] = [];
  for await (const item of items) {
    if (item.kind === 'record') records.push(item.record);
    else problems.push(item.problem);
  }
  return { records, problems };
}

export const ORDER_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Phone,Cancelled at,Refunded Amount,Vendor,Id,Tags,Phone';

/** One orders-export row; `order` columns empty on continuation rows as Shopify writes them. */
export function orderRow(cells: Partial<Record<string, string>>): string {
  return ORDER_HEADER.split(',')
    .map((column) => {
      const value = cells[column] ?? '';
      return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(',');
}
