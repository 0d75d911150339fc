/**
 * The email QA cache every command uses: results by the content hash the core computes, remembered for the
 * process and kept on disk under `.klaviyo-gitops/cache/qa/<key>.json`, a directory a CI job can persist
 * between runs. A missing, corrupt or unreadable entry is a miss (the rules run again and the entry is
 * rewritten); entries are written atomically; a failure to write is reported once and the command goes on.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { EmailQaCache } from '../compile/index.js';
import type { Diagnostic } from '../project/diagnostics.js';
import { WORK_DIR, type RepositoryPaths } from './repository-root.js';

/** Relative to the working directory. */
export const EMAIL_QA_CACHE_DIR = `${WORK_DIR}/cache/qa`;

/** The layout of one entry file; a file of another version is a miss. */
const ENTRY_FORMAT = 1;

interface CacheEntry {
  format: typeof ENTRY_FORMAT;
  key: string;
  findings: Diagnostic[];
}

const KEY = /^[0-9a-f]{64}$/;

/** Results already known to this process, shared by every cache: the key alone decides the findings. */
const processMemory = new Map<string, readonly Diagnostic[]>();

export interface EmailQaCacheStats {
  memoryHits: number;
  diskHits: number;
  misses: number;
  writes: number;
}

export interface EmailQaDiskCacheOptions {
  /** Results known to this process (default: shared by the whole process). */
  memory?: Map<string, readonly Diagnostic[]>;
  /** Told once when an entry cannot be written (a read-only or full disk). */
  onWriteError?: (message: string) => void;
}

export class EmailQaDiskCache implements EmailQaCache {
  readonly stats: EmailQaCacheStats = { memoryHits: 0, diskHits: 0, misses: 0, writes: 0 };
  private readonly memory: Map<string, readonly Diagnostic[]>;
  private writeErrorReported = false;

  constructor(
    /** The directory entries live in. */
    readonly dir: string,
    private readonly options: EmailQaDiskCacheOptions = {},
  ) {
    this.memory = options.memory ?? processMemory;
  }

  async get(key: string): Promise<Diagnostic[] | undefined> {
    const remembered = this.memory.get(key);
    if (remembered) {
      this.stats.memoryHits += 1;
      return structuredClone([...remembered]);
    }
    const stored = KEY.test(key) ? await this.read(key) : undefined;
    if (!stored) {
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.diskHits += 1;
    this.memory.set(key, stored);
    return structuredClone(stored);
  }

  async set(key: string, findings: readonly Diagnostic[]): Promise<void> {
    const copy = structuredClone([...findings]);
    this.memory.set(key, copy);
    if (!KEY.test(key)) return;
    const entry: CacheEntry = { format: ENTRY_FORMAT, key, findings: copy };
    try {
      await writeFileAtomic(join(this.dir, `${key}.json`), `${JSON.stringify(entry)}\n`);
      this.stats.writes += 1;
    } catch (error) {
      if (this.writeErrorReported) return;
      this.writeErrorReported = true;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onWriteError?.(
        `cannot write the email QA cache in ${this.dir} (${reason}); QA results are not kept for the next run`,
      );
    }
  }

  private async read(key: string): Promise<Diagnostic[] | undefined> {
    try {
      const entry = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as Partial<CacheEntry>;
      if (entry?.format !== ENTRY_FORMAT || entry.key !== key || !isFindings(entry.findings))
        return undefined;
      return entry.findings;
    } catch {
      // Missing, unreadable or not JSON: the rules run again and the entry is rewritten.
      return undefined;
    }
  }
}

function isFindings(value: unknown): value is Diagnostic[] {
  return Array.isArray(value) && value.every(isDiagnostic);
}

function isDiagnostic(value: unknown): value is Diagnostic {
  if (value === null || typeof value !== 'object') return false;
  const d = value as Record<string, unknown>;
  return (
    typeof d.file === 'string' &&
    Number.isInteger(d.line) &&
    Number.isInteger(d.col) &&
    typeof d.rule === 'string' &&
    (d.severity === 'error' || d.severity === 'warning') &&
    typeof d.message === 'string' &&
    (d.fix === undefined || typeof d.fix === 'string')
  );
}

/** The repository's cache; a failure to write it is a progress note, not an error. */
export function emailQaCacheFor(paths: RepositoryPaths, progress?: (line: string) => void): EmailQaDiskCache {
  return new EmailQaDiskCache(join(paths.root, EMAIL_QA_CACHE_DIR), {
    onWriteError: (message) => progress?.(`note: ${message}`),
  });
}
