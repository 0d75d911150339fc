/** Brands as a table: one row per brand with its name, account and the variable (secret) holding its key. */
import type { BrandsResult } from '../../commands/results.js';

export function brandsText(result: BrandsResult): string {
  if (result.brands.length === 0) return 'No brands: add one under brands/<brand>/brand.yaml.';
  const rows = [
    ['BRAND', 'NAME', 'ACCOUNT', 'SECRET'],
    ...result.brands.map((b) => [b.brand, b.name, b.accountId, b.secret]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
