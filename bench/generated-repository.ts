/**
 * A generated marketing repository of any size, made from the example content: shared by the render benchmark
 * and the tests that need a repository big enough for a command to take a while.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

/**
 * A marketing repository with one brand and `count` templates: the example's root config, samples, layouts
 * and partials, and templates made from the example Trailhead templates with a numbered subject and a body
 * that grows a different paragraph and product pick per template.
 */
export async function generateRepository(dir: string, count: number): Promise<void> {
  const source = join(repo, 'marketing');
  await cp(join(source, 'klaviyo-gitops.yaml'), join(dir, 'klaviyo-gitops.yaml'));
  await cp(join(source, 'shared'), join(dir, 'shared'), { recursive: true });
  await cp(join(source, 'samples'), join(dir, 'samples'), { recursive: true });
  const brandDir = join(dir, 'brands', 'bench');
  await mkdir(join(brandDir, 'templates'), { recursive: true });
  const brandYaml = await readFile(join(source, 'brands', 'trailhead', 'brand.yaml'), 'utf8');
  await writeFile(
    join(brandDir, 'brand.yaml'),
    brandYaml
      .replace(/^name: .*$/m, 'name: Bench Outfitters')
      .replace(/^account_id: .*$/m, 'account_id: BENCH1'),
  );
  await cp(join(source, 'brands', 'trailhead', 'partials'), join(brandDir, 'partials'), { recursive: true });

  const templatesDir = join(source, 'brands', 'trailhead', 'templates');
  const names = (await readdir(templatesDir)).filter((f) => f.endsWith('.html')).sort();
  const originals = await Promise.all(
    names.map(async (name) => {
      const key = name.slice(0, -'.html'.length);
      const html = await readFile(join(templatesDir, name), 'utf8');
      const txtPath = join(templatesDir, `${key}.txt`);
      const text = existsSync(txtPath) ? await readFile(txtPath, 'utf8') : undefined;
      return { key, html, text };
    }),
  );
  const products = ['Ridge 2 Tent', 'Cascade 45 Pack', 'Summit Mid Boot', 'Switchback Poles', 'Alpine Quilt'];
  for (let i = 0; i < count; i += 1) {
    const original = originals[i % originals.length]!;
    const key = `${original.key}-${String(i).padStart(4, '0')}`;
    const product = products[i % products.length]!;
    const extra = Array.from(
      { length: 1 + (i % 4) },
      (_, k) =>
        `<p style="margin:0 0 16px;">Note ${i}.${k}: the ${product} is back in stock in ${3 + ((i + k) % 7)} colours, ` +
        `{{ first_name|default:'friend' }}.</p>`,
    ).join('\n');
    const html = original.html
      .replace(/^name: (.*)$/m, (_m, name: string) => `name: ${name.replace(/^"|"$/g, '')} #${i}`)
      .replace(
        /^subject: (.*)$/m,
        (_m, subject: string) => `subject: "${subject.replace(/^"(.*)"$/, '$1')} #${i}"`,
      )
      .replace(/\[\[> signoff\]\]/, `${extra}\n[[> signoff]]`);
    await writeFile(join(brandDir, 'templates', `${key}.html`), html);
    if (original.text) await writeFile(join(brandDir, 'templates', `${key}.txt`), original.text);
  }
}
