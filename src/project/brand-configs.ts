/**
 * Only the brands' brand.yaml files, parsed and schema-checked with source positions: what `brands` lists for
 * CI matrices. It reads nothing else (no templates, no email QA), so it stays fast on a large repository.
 */
import { join } from 'node:path';
import { fileDiagnostic, type Diagnostic } from './diagnostics.js';
import { locatorOf } from './locator.js';
import { KEY_PATTERN, type BrandConfig } from './model.js';
import { RepositoryFiles } from './repository-files.js';
import { checkSchema } from './schema-check.js';
import { parseYamlMapping } from './yaml-source.js';

export interface BrandConfigFile {
  brand: string;
  /** Display path of its brand.yaml. */
  file: string;
  config: BrandConfig;
}

export interface BrandConfigs {
  /** The brands whose brand.yaml is valid, by folder name. */
  brands: BrandConfigFile[];
  /** Why the others are not: `path:line:col` findings. */
  diagnostics: Diagnostic[];
}

/** Throws ProjectNotFoundError when `dir` is no directory. */
export async function loadBrandConfigs(cwd: string, dir: string): Promise<BrandConfigs> {
  const files = await RepositoryFiles.openMarketingDirectory(cwd, dir);
  const brands: BrandConfigFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of await files.list(join(files.root, 'brands'))) {
    if ((entry.kind !== 'directory' && entry.kind !== 'link') || !KEY_PATTERN.test(entry.name)) continue;
    const path = join(entry.path, 'brand.yaml');
    const file = files.displayPath(path);
    if (!(await files.has(path))) {
      diagnostics.push(fileDiagnostic(file, 'missing-file', `brand '${entry.name}' has no brand.yaml`));
      continue;
    }
    const text = await files.readText(path);
    if (text === undefined) continue;
    const read = parseYamlMapping(file, text);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const problems = checkSchema('brand', read.source.value, locatorOf(read.source));
    diagnostics.push(...problems);
    if (problems.length === 0)
      brands.push({ brand: entry.name, file, config: read.source.value as BrandConfig });
  }
  diagnostics.push(...files.diagnostics);
  return { brands: brands.sort((a, b) => a.brand.localeCompare(b.brand)), diagnostics };
}
