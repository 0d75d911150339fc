/**
 * The marketing directory as the engine may see it: the only way anything reads repository files. The content
 * comes from whoever opens a pull request, so nothing here follows a symbolic link: every path component below
 * the root is checked with lstat before use and files are opened with O_NOFOLLOW, so a link cannot pull
 * `/etc/passwd` or a runner's key into previews, the plan or Klaviyo. A file over the size limit is refused
 * before it is opened, and no read goes past the limit even if the file grows meanwhile. Each problem becomes
 * one diagnostic at `path:1:1`, however often the loader asks about the same path.
 */
import { constants, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import { decodeText } from './yaml-source.js';

/**
 * Ten times Gmail's 102 KB clipping point: no sensible template or YAML file comes near it. At this size a YAML
 * file parses in about a second, and a template's email checks take seconds and a few hundred MB.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/**
 * The most `limits.max_file_bytes` may ask for. The root config travels with the content, so a pull request can
 * change it: this bound, not the setting, keeps one file from exhausting the runner. It stays close to the
 * default because a template's checks grow faster than its size (a 2 MiB template takes minutes and 1 GB).
 */
export const MAX_FILE_BYTES_CEILING = 2 * 1024 * 1024;

/** The marketing directory's root config: where it is found is the marketing directory. */
export const ROOT_CONFIG_FILE = 'klaviyo-gitops.yaml';

/** No usable marketing directory at `--dir` (absent, not a directory, or a link): a usage error. */
export class ProjectNotFoundError extends Error {
  constructor(
    readonly dir: string,
    message = `no marketing directory at ${dir} (pass --dir to point at it)`,
  ) {
    super(message);
    this.name = 'ProjectNotFoundError';
  }
}

export type EntryKind = 'file' | 'directory' | 'link' | 'other';

export interface Entry {
  name: string;
  /** Absolute path. */
  path: string;
  /** As the directory lists it, links not followed. */
  kind: EntryKind;
}

/** What is at a path. `refused`: a link on the way, already reported. */
type Inspection =
  { kind: 'absent' } | { kind: 'refused' } | { kind: 'file' | 'directory' | 'other'; size: number };

// Not defined on Windows; there lstat's link check stands alone.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const READ_CHUNK = 64 * 1024;

export class RepositoryFiles {
  /** Problems met while reading, each reported once. */
  readonly diagnostics: Diagnostic[] = [];
  private maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  private readonly inspected = new Map<string, Promise<Inspection>>();
  private readonly reported = new Set<string>();

  private constructor(
    /** Diagnostics name files relative to it. */
    readonly cwd: string,
    /** Absolute path of the marketing directory. */
    readonly root: string,
  ) {}

  /** The view of `dir` (relative to `cwd`); throws ProjectNotFoundError when it is no directory or a link. */
  static async open(cwd: string, dir: string): Promise<RepositoryFiles> {
    const root = resolve(cwd, dir);
    let stats: Stats;
    try {
      stats = await lstat(root);
    } catch {
      throw new ProjectNotFoundError(dir);
    }
    if (stats.isSymbolicLink())
      throw new ProjectNotFoundError(
        dir,
        `the marketing directory ${dir} is a symbolic link, which klaviyo-gitops never follows (pass --dir the real directory)`,
      );
    if (!stats.isDirectory()) throw new ProjectNotFoundError(dir);
    return new RepositoryFiles(cwd, root);
  }

  /** {@link open}, refusing a folder that is not a marketing directory (the loaders' way in). */
  static async openMarketingDirectory(cwd: string, dir: string): Promise<RepositoryFiles> {
    const files = await RepositoryFiles.open(cwd, dir);
    await files.refuseOtherFolder(dir);
    return files;
  }

  /**
   * A folder with neither the root config nor brands/ inside a marketing directory is a `--dir` that names a
   * folder of it (`--dir marketing/brands`): loading it would report files missing at paths like
   * `marketing/brands/brands`. Say so once and name the directory to pass. A folder outside any marketing
   * directory is loaded as one, so a new repository hears which files to create.
   */
  private async refuseOtherFolder(dir: string): Promise<void> {
    const markers = [ROOT_CONFIG_FILE, 'brands'];
    const present = await Promise.all(markers.map((name) => exists(join(this.root, name))));
    if (present.some(Boolean)) return;
    const enclosing = await enclosingMarketingDirectory(this.root);
    if (enclosing === undefined) return;
    const shown = this.displayPath(enclosing);
    throw new ProjectNotFoundError(
      dir,
      `${this.displayPath(this.root)} is not a marketing directory (it has no ${ROOT_CONFIG_FILE} and no brands/ folder); it is inside the marketing directory ${shown}: pass --dir ${shown}`,
    );
  }

  /** Sets the per-file limit (the root config's `limits.max_file_bytes`), never above the ceiling. */
  limitFileSize(bytes: number): void {
    this.maxFileBytes = Math.min(bytes, MAX_FILE_BYTES_CEILING);
  }

  /** Path relative to the working directory, with forward slashes. */
  displayPath(path: string): string {
    return (relative(this.cwd, path) || '.').split(sep).join('/');
  }

  /** Whether anything is at `path`. A link counts: reading it reports the refusal. */
  async has(path: string): Promise<boolean> {
    return (await this.inspect(path)).kind !== 'absent';
  }

  /** Entries of a directory, sorted, without dotfiles; an absent directory is empty, a linked one refused. */
  async list(path: string): Promise<Entry[]> {
    if ((await this.inspect(path)).kind !== 'directory') return [];
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      this.report(path, 'unreadable-file', `cannot list the folder (${codeOf(error)})`);
      return [];
    }
    return entries
      .filter((e) => !e.name.startsWith('.'))
      .map((e): Entry => ({ name: e.name, path: join(path, e.name), kind: kindOf(e) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The file as UTF-8 text with LF line endings, or undefined when it cannot be used (a link, too large,
   * binary, unreadable, or empty unless allowed); the reason is in `diagnostics`.
   */
  async readText(path: string, options: { allowEmpty?: boolean } = {}): Promise<string | undefined> {
    const found = await this.inspect(path);
    if (found.kind === 'refused') return undefined;
    if (found.kind === 'absent') return this.report(path, 'unreadable-file', 'cannot read the file (ENOENT)');
    if (found.kind !== 'file') return this.report(path, 'unreadable-file', 'not a regular file');
    if (found.size > this.maxFileBytes) return this.tooLarge(path, `${found.size} bytes`);
    const bytes = await this.readBounded(path);
    if (bytes === undefined) return undefined;
    const decoded = decodeText(bytes);
    if (!decoded.ok)
      return this.report(path, 'binary-file', `the file ${decoded.reason}`, 'save it as UTF-8 text');
    if (options.allowEmpty !== true && decoded.text.trim() === '')
      return this.report(path, 'empty-file', 'the file is empty');
    return decoded.text;
  }

  /** Reads at most one byte past the limit, from a descriptor that cannot be a link. */
  private async readBounded(path: string): Promise<Uint8Array | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, OPEN_FLAGS);
    } catch (error) {
      // ELOOP: the file became a link after it was inspected.
      if (codeOf(error) === 'ELOOP') return this.refuseLink(path);
      return this.report(path, 'unreadable-file', `cannot read the file (${codeOf(error)})`);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return this.report(path, 'unreadable-file', 'not a regular file');
      if (stats.size > this.maxFileBytes) return this.tooLarge(path, `${stats.size} bytes`);
      const chunks: Uint8Array[] = [];
      let total = 0;
      while (total <= this.maxFileBytes) {
        const chunk = new Uint8Array(Math.min(READ_CHUNK, this.maxFileBytes + 1 - total));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      if (total > this.maxFileBytes) return this.tooLarge(path, `more than ${this.maxFileBytes} bytes`);
      return Buffer.concat(chunks, total);
    } catch (error) {
      return this.report(path, 'unreadable-file', `cannot read the file (${codeOf(error)})`);
    } finally {
      await handle.close();
    }
  }

  /** Inspects each component from the root down, without following links; cached for the whole load. */
  private inspect(path: string): Promise<Inspection> {
    if (path === this.root) return Promise.resolve({ kind: 'directory', size: 0 });
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
      throw new Error(`${path} is not inside the marketing directory ${this.root}`);
    let found = this.inspected.get(path);
    if (found === undefined) {
      found = this.inspectBelow(path);
      this.inspected.set(path, found);
    }
    return found;
  }

  private async inspectBelow(path: string): Promise<Inspection> {
    const parent = await this.inspect(dirname(path));
    if (parent.kind === 'refused') return parent;
    if (parent.kind !== 'directory') return { kind: 'absent' };
    let stats: Stats;
    try {
      stats = await lstat(path);
    } catch {
      return { kind: 'absent' };
    }
    if (stats.isSymbolicLink()) {
      this.refuseLink(path);
      return { kind: 'refused' };
    }
    const kind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
    return { kind, size: stats.size };
  }

  private refuseLink(path: string): undefined {
    return this.report(
      path,
      'symlink-refused',
      'the path is a symbolic link, which klaviyo-gitops never follows',
      'replace the link with the file itself',
    );
  }

  private tooLarge(path: string, size: string): undefined {
    const limit = this.maxFileBytes;
    return this.report(
      path,
      'file-too-large',
      `the file is ${size}, over the limit of ${limit} bytes${mebibytes(limit)} for one file`,
      `make the file smaller or split it; limits.max_file_bytes in klaviyo-gitops.yaml raises the limit, up to ${MAX_FILE_BYTES_CEILING} bytes${mebibytes(MAX_FILE_BYTES_CEILING)}`,
    );
  }

  /** Records a problem with `path` once, and returns undefined for the caller to pass on. */
  private report(path: string, rule: string, message: string, fix?: string): undefined {
    const file = this.displayPath(path);
    const key = `${file}\u0000${rule}`;
    if (this.reported.has(key)) return undefined;
    this.reported.add(key);
    const diagnostic: Diagnostic = { file, line: 1, col: 1, rule, severity: 'error', message };
    if (fix !== undefined) diagnostic.fix = fix;
    this.diagnostics.push(diagnostic);
    return undefined;
  }
}

/** A link is a link, whatever it points at: the entry itself is never followed. */
function kindOf(entry: Dirent): EntryKind {
  if (entry.isSymbolicLink()) return 'link';
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'other';
}

/** Whether anything is at `path`, a link included (lstat: nothing is followed). */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder above `path` that holds a root config, or undefined. */
async function enclosingMarketingDirectory(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir))
    if (await exists(join(dir, ROOT_CONFIG_FILE))) return dir;
  return undefined;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** " (2 MiB)" for whole mebibytes, else nothing. */
function mebibytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? ` (${bytes / (1024 * 1024)} MiB)` : '';
}
