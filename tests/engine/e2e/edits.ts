/** Edits of the fixture content (tests/fixtures/e2e), as a marketer would make them in a pull request. */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const FIXTURE = join(import.meta.dirname, '../../fixtures/e2e');
export const SPARE_TEMPLATE = 'spare-coupon';

async function edit(path: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit: '${String(from)}' not found in ${path}`);
  await writeFile(path, next);
}

async function addSpare(brand: string): Promise<void> {
  for (const ext of ['html', 'txt']) {
    const source = await readFile(join(brand, `templates/cart-1.${ext}`), 'utf8');
    await writeFile(
      join(brand, `templates/${SPARE_TEMPLATE}.${ext}`),
      source.replace(/^name: .*$/m, 'name: Spare coupon'),
    );
  }
}

/** Before the first apply: an extra template (deleted later) and a delete policy for templates. */
export async function prepareNorth(dir: string): Promise<void> {
  const brand = join(dir, 'brands/north');
  await addSpare(brand);
  await writeFile(
    join(brand, 'brand.yaml'),
    `${await readFile(join(brand, 'brand.yaml'), 'utf8')}deletion: { template: delete }\n`,
  );
}

/** Undoes `editNorth`: the fixture's own templates, segments and flows again, and the spare template back. */
export async function restoreNorth(dir: string): Promise<void> {
  const brand = join(dir, 'brands/north');
  for (const folder of ['templates', 'segments', 'flows'])
    await cp(join(FIXTURE, 'marketing/brands/north', folder), join(brand, folder), {
      recursive: true,
      force: true,
    });
  await addSpare(brand);
}

/** The five edits: a template subject, a delay, a segment condition, a new flow step, a template deleted
 * (the spare one, when `prepareNorth` added it). */
export async function editNorth(
  dir: string,
  options: { deleteSpare: boolean } = { deleteSpare: true },
): Promise<void> {
  const brand = join(dir, 'brands/north');
  await edit(join(brand, 'templates/welcome-2.html'), /^subject: .*$/m, 'subject: "The gear we keep buying"');
  await edit(join(brand, 'flows/cart.yaml'), 'wait: { hours: 4 }', 'wait: { hours: 6 }');
  await edit(join(brand, 'segments/vip.yaml'), 'count: { at_least: 3 }', 'count: { at_least: 4 }');
  await edit(
    join(brand, 'flows/vip.yaml'),
    '  - id: vip-thanks\n',
    '  - id: wait-1-day\n    wait: { days: 1 }\n  - id: vip-thanks\n',
  );
  if (options.deleteSpare) {
    await rm(join(brand, `templates/${SPARE_TEMPLATE}.html`));
    await rm(join(brand, `templates/${SPARE_TEMPLATE}.txt`));
  }
}
