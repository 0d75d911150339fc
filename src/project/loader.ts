/**
 * Loads the marketing repository: every file parsed with source positions and checked against its JSON
 * Schema, blueprints applied to the flows that extend them. Never throws for bad content: problems come back
 * as diagnostics, and a file that breaks its schema is marked `valid: false` so later checks skip it.
 */
import { basename, extname, join } from 'node:path';
import { fileDiagnostic, type Diagnostic } from './diagnostics.js';
import { expandBlueprints } from './blueprints.js';
import { locatorOf } from './locator.js';
import {
  KEY_PATTERN,
  type BlueprintFile,
  type BrandConfig,
  type BrandProject,
  type ListFile,
  type Loaded,
  type MetricsFile,
  type LoadedFlow,
  type LoadedTemplate,
  type Project,
  type RootConfig,
  type SegmentFile,
  type TemplateFrontMatter,
  type TextFile,
} from './model.js';
import { RepositoryFiles, ROOT_CONFIG_FILE, type Entry } from './repository-files.js';
import { checkSchema, type SchemaName } from './schema-check.js';
import { checkSyncConfig, SYNC_CONFIG_FILE, type SyncConfig } from './sync-config.js';
import { parseYamlMapping } from './yaml-source.js';

export { ProjectNotFoundError } from './repository-files.js';

export { ROOT_CONFIG_FILE } from './repository-files.js';
export const METRICS_FILE = 'metrics.yaml';

export interface LoadOptions {
  /** Working directory; diagnostics name files relative to it. */
  cwd: string;
  /** The marketing directory, relative to `cwd` or absolute. */
  dir: string;
}

export interface LoadResult {
  project: Project;
  diagnostics: Diagnostic[];
}

/** Throws ProjectNotFoundError when `dir` is no directory (or a link to one). */
export async function loadProject(options: LoadOptions): Promise<LoadResult> {
  const files = await RepositoryFiles.openMarketingDirectory(options.cwd, options.dir);
  const loader = new Loader(files);
  const project = await loader.load();
  return { project, diagnostics: [...files.diagnostics, ...loader.diagnostics] };
}

class Loader {
  readonly diagnostics: Diagnostic[] = [];
  private fileCount = 0;

  constructor(private readonly files: RepositoryFiles) {}

  async load(): Promise<Project> {
    const { root } = this.files;
    // The root config itself is read under the default limit; it may then change the limit for the rest.
    const rootConfig = await this.loadRoot(join(root, ROOT_CONFIG_FILE));
    const maxFileBytes = rootConfig.valid ? rootConfig.value.limits?.max_file_bytes : undefined;
    if (maxFileBytes !== undefined) this.files.limitFileSize(maxFileBytes);
    const layouts = await this.loadTextFiles(join(root, 'shared', 'layouts'), '.html');
    const partials = await this.loadTextFiles(join(root, 'shared', 'partials'), '.html');
    const blueprints = await this.loadYamlObjects<BlueprintFile>(
      join(root, 'shared', 'blueprints'),
      'blueprint',
    );
    const samples = await this.loadYamlObjects<Record<string, unknown>>(join(root, 'samples'), 'sample');
    const brands = new Map<string, BrandProject>();
    const brandsDir = join(root, 'brands');
    for (const entry of await this.files.list(brandsDir)) {
      // A linked brand folder is loaded like any other, so that reading it reports the link.
      if (entry.kind !== 'directory' && entry.kind !== 'link') {
        this.unexpected(entry.path, 'only brand folders belong in brands/');
        continue;
      }
      if (!KEY_PATTERN.test(entry.name)) {
        this.diagnostics.push(
          fileDiagnostic(
            this.files.displayPath(entry.path),
            'invalid-key-name',
            `'${entry.name}' is not a valid brand key: use lowercase letters, digits and dashes`,
          ),
        );
        continue;
      }
      brands.set(entry.name, await this.loadBrand(entry.name, entry.path));
    }
    if (brands.size === 0) {
      this.diagnostics.push(
        fileDiagnostic(
          this.files.displayPath(brandsDir),
          'missing-file',
          'no brands: add brands/<brand>/brand.yaml',
        ),
      );
    }
    const project: Project = {
      dir: this.files.displayPath(root),
      root: rootConfig,
      brands,
      blueprints,
      samples,
      layouts,
      partials,
      fileCount: this.fileCount,
    };
    this.diagnostics.push(...expandBlueprints(project));
    return project;
  }

  private async loadRoot(path: string): Promise<Loaded<RootConfig>> {
    const file = this.files.displayPath(path);
    const fallback: Loaded<RootConfig> = {
      key: 'root',
      file,
      value: { version: 1 },
      at: () => ({ file, line: 1, col: 1 }),
      valid: false,
    };
    if (!(await this.files.has(path))) {
      this.diagnostics.push(
        fileDiagnostic(
          file,
          'missing-file',
          `missing the root config ${ROOT_CONFIG_FILE}`,
          "create it with 'version: 1'",
        ),
      );
      return fallback;
    }
    return (await this.loadYamlObject<RootConfig>(path, 'root', 'root')) ?? fallback;
  }

  private async loadBrand(key: string, dir: string): Promise<BrandProject> {
    const configPath = join(dir, 'brand.yaml');
    const file = this.files.displayPath(configPath);
    const present = await this.files.has(configPath);
    let config = present ? await this.loadYamlObject<BrandConfig>(configPath, key, 'brand') : undefined;
    if (!config) {
      if (!present)
        this.diagnostics.push(fileDiagnostic(file, 'missing-file', `brand '${key}' has no brand.yaml`));
      config = { key, file, value: {} as BrandConfig, at: () => ({ file, line: 1, col: 1 }), valid: false };
    }
    // exports/ holds the store's export files sync.yaml reads: data, not content, so not loaded here.
    const known = new Set([
      'brand.yaml',
      SYNC_CONFIG_FILE,
      METRICS_FILE,
      'exports',
      'lists',
      'segments',
      'templates',
      'flows',
      'partials',
    ]);
    for (const entry of await this.files.list(dir)) {
      if (!known.has(entry.name) && !entry.name.endsWith('.md'))
        this.unexpected(
          entry.path,
          'a brand folder holds brand.yaml, metrics.yaml, sync.yaml, exports/, lists/, segments/, templates/, partials/ and flows/',
        );
    }
    const syncPath = join(dir, SYNC_CONFIG_FILE);
    const sync = (await this.files.has(syncPath))
      ? ((await this.loadYamlObject<SyncConfig>(syncPath, key, 'sync')) ??
        this.brokenObject<SyncConfig>(syncPath, key))
      : undefined;
    const metricsPath = join(dir, METRICS_FILE);
    const metrics = (await this.files.has(metricsPath))
      ? ((await this.loadYamlObject<MetricsFile>(metricsPath, key, 'metrics')) ??
        this.brokenObject<MetricsFile>(metricsPath, key))
      : undefined;
    const brand: BrandProject = {
      key,
      dir: this.files.displayPath(dir),
      config,
      lists: await this.loadYamlObjects<ListFile>(join(dir, 'lists'), 'list'),
      // Segments, like flows, are schema-checked once the blueprint they extend is applied.
      segments: await this.loadYamlObjects<SegmentFile>(join(dir, 'segments'), 'segment', false),
      templates: await this.loadTemplates(join(dir, 'templates')),
      flows: (await this.loadYamlObjects(join(dir, 'flows'), 'flow', false)) as Map<string, LoadedFlow>,
      partials: await this.loadTextFiles(join(dir, 'partials'), '.html'),
    };
    if (sync) brand.sync = sync;
    if (metrics) brand.metrics = metrics;
    this.diagnostics.push(...checkSyncConfig(brand));
    return brand;
  }

  /**
   * `<key>.yaml` files of a folder. Flows are schema-checked later, after their blueprint is applied
   * (`checkNow` false), because `extends:` fills in what the file leaves out.
   */
  private async loadYamlObjects<T>(
    dir: string,
    schema: SchemaName,
    checkNow = true,
  ): Promise<Map<string, Loaded<T>>> {
    const out = new Map<string, Loaded<T>>();
    for (const entry of await this.files.list(dir)) {
      const key = this.objectKey(entry, '.yaml');
      if (key === undefined) continue;
      const loaded = await this.loadYamlObject<T>(entry.path, key, schema, checkNow);
      // A file that does not parse still names an object: references to it are not "unknown".
      out.set(key, loaded ?? this.brokenObject<T>(entry.path, key));
    }
    return out;
  }

  private brokenObject<T>(path: string, key: string): Loaded<T> {
    const file = this.files.displayPath(path);
    return { key, file, value: {} as T, at: () => ({ file, line: 1, col: 1 }), valid: false };
  }

  private async loadYamlObject<T>(
    path: string,
    key: string,
    schema: SchemaName,
    checkNow = true,
  ): Promise<Loaded<T> | undefined> {
    this.fileCount += 1;
    const text = await this.files.readText(path);
    if (text === undefined) return undefined;
    const read = parseYamlMapping(this.files.displayPath(path), text);
    if (!read.ok) {
      this.diagnostics.push(...read.diagnostics);
      return undefined;
    }
    const at = locatorOf(read.source);
    const problems = checkNow ? checkSchema(schema, read.source.value, at) : [];
    this.diagnostics.push(...problems);
    return { key, file: read.source.file, value: read.source.value as T, at, valid: problems.length === 0 };
  }

  private async loadTemplates(dir: string): Promise<Map<string, LoadedTemplate>> {
    const out = new Map<string, LoadedTemplate>();
    const entries = await this.files.list(dir);
    const texts = new Map<string, string>();
    for (const entry of entries)
      if (entry.kind !== 'directory' && entry.name.endsWith('.txt'))
        texts.set(basename(entry.name, '.txt'), entry.path);
    for (const entry of entries) {
      if (entry.kind !== 'directory' && entry.name.endsWith('.txt')) {
        const key = basename(entry.name, '.txt');
        if (!entries.some((e) => e.name === `${key}.html`))
          this.unexpected(entry.path, `a plain-text part needs its ${key}.html beside it`);
        continue;
      }
      const key = this.objectKey(entry, '.html');
      if (key === undefined) continue;
      this.fileCount += 1;
      const file = this.files.displayPath(entry.path);
      const read = await this.files.readText(entry.path);
      const template: LoadedTemplate = (read === undefined
        ? undefined
        : this.parseTemplate(key, file, read)) ?? {
        key,
        file,
        frontMatter: {} as TemplateFrontMatter,
        at: () => ({ file, line: 1, col: 1 }),
        valid: false,
        body: '',
        bodyLine: 1,
      };
      const textPath = texts.get(key);
      if (textPath) {
        this.fileCount += 1;
        const text = await this.files.readText(textPath);
        if (text !== undefined) template.text = { key, file: this.files.displayPath(textPath), text };
      }
      out.set(key, template);
    }
    return out;
  }

  private parseTemplate(key: string, file: string, text: string): LoadedTemplate | undefined {
    const split = splitFrontMatter(text);
    if (split.kind === 'none') {
      this.diagnostics.push(
        fileDiagnostic(
          file,
          'template-front-matter',
          'the template has no front matter',
          "start it with '---', a 'subject:' line and '---'",
        ),
      );
      return undefined;
    }
    if (split.kind === 'unclosed') {
      this.diagnostics.push(
        fileDiagnostic(
          file,
          'template-front-matter',
          'the front matter is not closed',
          "end it with a line '---'",
        ),
      );
      return undefined;
    }
    const parsed = parseYamlMapping(file, split.yaml, 1);
    if (!parsed.ok) {
      this.diagnostics.push(
        ...parsed.diagnostics.map((d) =>
          d.rule === 'empty-file'
            ? { ...d, rule: 'template-front-matter', message: 'the front matter is empty' }
            : d,
        ),
      );
      return undefined;
    }
    const at = locatorOf(parsed.source);
    const problems = checkSchema('template-front-matter', parsed.source.value, at);
    this.diagnostics.push(...problems);
    return {
      key,
      file,
      frontMatter: parsed.source.value as TemplateFrontMatter,
      at,
      valid: problems.length === 0,
      body: split.body,
      bodyLine: split.bodyLine,
    };
  }

  private async loadTextFiles(dir: string, extension: string): Promise<Map<string, TextFile>> {
    const out = new Map<string, TextFile>();
    for (const entry of await this.files.list(dir)) {
      const key = this.objectKey(entry, extension);
      if (key === undefined) continue;
      this.fileCount += 1;
      const text = await this.files.readText(entry.path, { allowEmpty: true });
      if (text !== undefined) out.set(key, { key, file: this.files.displayPath(entry.path), text });
    }
    return out;
  }

  /** The key of `<key><extension>`, or undefined (with a diagnostic) for anything else. */
  private objectKey(entry: Entry, extension: string): string | undefined {
    if (entry.name.endsWith('.md')) return undefined;
    if (entry.kind === 'directory') {
      this.unexpected(entry.path, `expected only ${extension} files here`);
      return undefined;
    }
    const ext = extname(entry.name);
    if (ext !== extension) {
      const fix =
        ext === '.yml' && extension === '.yaml'
          ? `rename it to ${basename(entry.name, ext)}.yaml`
          : undefined;
      this.unexpected(entry.path, `expected only ${extension} files here`, fix);
      return undefined;
    }
    const key = basename(entry.name, extension);
    if (!KEY_PATTERN.test(key)) {
      this.diagnostics.push(
        fileDiagnostic(
          this.files.displayPath(entry.path),
          'invalid-key-name',
          `'${key}' is not a valid key: use lowercase letters, digits and dashes`,
          `rename the file to ${suggestKey(key)}${extension}`,
        ),
      );
      return undefined;
    }
    return key;
  }

  private unexpected(path: string, message: string, fix?: string): void {
    const d = fileDiagnostic(
      this.files.displayPath(path),
      'unexpected-file',
      `not part of the format: ${message}`,
      fix,
    );
    this.diagnostics.push({ ...d, severity: 'warning' });
  }
}

export function suggestKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return key || 'my-key';
}

type FrontMatterSplit =
  { kind: 'none' } | { kind: 'unclosed' } | { kind: 'ok'; yaml: string; body: string; bodyLine: number };

/** `---\n<yaml>\n---\n<body>` (line endings already LF): the YAML starts on line 2. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split('\n');
  if (lines[0] !== '---') return { kind: 'none' };
  const end = lines.findIndex((line, i) => i > 0 && line === '---');
  if (end < 0) return { kind: 'unclosed' };
  return {
    kind: 'ok',
    yaml: lines.slice(1, end).join('\n'),
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}
