/**
 * Where a run keeps what it writes besides the marketing files: the embedded sandbox's accounts
 * (`.klaviyo-sandbox/`), caches and the sync history (`.klaviyo-gitops/`), plans, previews and apply records
 * (`output/`) and the activity log (`logs/`). They belong to the repository, not to the directory a command
 * happens to run from: run from `marketing/`, a plan must see the sandbox the last apply from the root wrote to,
 * not start an empty one and plan everything as new. So every such path derives from the one root decided here.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { SANDBOX_STATE_DIR } from '../config.js';
import { ACTIVITY_LOG_PATH } from '../engine/apply/activity-log.js';

/** Caches and the sync history. */
export const WORK_DIR = '.klaviyo-gitops';
/** Plans, previews and apply records. */
export const OUTPUT_DIR = 'output';

/**
 * The repository root of the marketing directory `marketingDir` (absolute): the nearest folder at or above it
 * that is a git work tree (`.git`, a folder or a worktree's file), else the folder that holds the marketing
 * directory. With the usual layout (`<repo>/marketing/klaviyo-gitops.yaml`) both answers are `<repo>`; a
 * repository that keeps `klaviyo-gitops.yaml` at its top (`--dir .`) keeps its state there too.
 */
export function findRepositoryRoot(marketingDir: string): string {
  const top = parse(marketingDir).root;
  for (let at = marketingDir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (at === top) break;
  }
  return dirname(marketingDir);
}

/** The run's state folders, all under one root, and how to name them to the person at `cwd`. */
export interface RepositoryPaths {
  /** The working directory messages are relative to. */
  cwd: string;
  /** The repository root (absolute). */
  root: string;
  /** `<root>/.klaviyo-sandbox`: the embedded sandbox's accounts. */
  sandboxState: string;
  /** `<root>/.klaviyo-gitops`: caches and the sync history. */
  workDir: string;
  /** `<root>/output`. */
  output: string;
  /** `<root>/logs/activity.log`: every Klaviyo write apply and refresh made. */
  activityLog: string;
  /**
   * A file option's path: one given resolves against the working directory as any path typed in a shell does;
   * absent, or its documented default (`output/plan.json`), it is the default under the root.
   */
  fileOption(given: string | undefined, fallback: string): string;
  /** `path` as the person at `cwd` would type it: relative, with forward slashes. */
  show(path: string): string;
}

/** The paths of a run in `cwd` on the marketing directory `dir` (as given to `--dir`). */
export function repositoryPaths(cwd: string, dir: string): RepositoryPaths {
  const root = findRepositoryRoot(resolve(cwd, dir));
  return {
    cwd,
    root,
    sandboxState: join(root, SANDBOX_STATE_DIR),
    workDir: join(root, WORK_DIR),
    output: join(root, OUTPUT_DIR),
    activityLog: join(root, ACTIVITY_LOG_PATH),
    fileOption: (given, fallback) =>
      given === undefined || given === fallback ? join(root, fallback) : resolve(cwd, given),
    show: (path) => showPath(cwd, path),
  };
}

/** Relative to `cwd` with forward slashes (`../.klaviyo-sandbox`); `.` for `cwd` itself. */
export function showPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  if (shown === '') return '.';
  // Another drive on Windows: only the absolute path names it.
  if (isAbsolute(shown)) return path;
  return shown.split(sep).join('/');
}
