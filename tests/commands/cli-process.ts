/**
 * The CLI as a user runs it: one bundled file started with `node`, in its own process, so exit codes, signals,
 * file size limits and a process that never ends are real. Built from the current source with esbuild (the
 * committed action/cli.js is rebuilt only when committing, and ncc takes ~40 s); packages stay external and
 * resolve from the project's node_modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { writeFileAtomic } from '../../src/atomic-write.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Inside node_modules, so the bundle's packages resolve from the project's node_modules. */
export const CLI_BUNDLE = join(ROOT, 'node_modules/.cache/klaviyo-gitops-cli/cli.mjs');

/** Builds the CLI bundle; written atomically, since several test files build it at the same time. */
export async function buildCli(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'src/cli.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  await writeFileAtomic(CLI_BUNDLE, result.outputFiles[0]!.contents);
  return CLI_BUNDLE;
}

export interface CliRunOptions {
  cwd: string;
  /** The child's whole environment (PATH and HOME are added): no key unless the test sets one. */
  env?: Record<string, string>;
  /** `ulimit -f`: the largest file the process may write, in KiB (a write past it fails with EFBIG). */
  fileSizeLimitKib?: number;
  /** Node options placed before the script (e.g. `--import` a module that simulates a leak). */
  nodeArgs?: string[];
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from start to exit. */
  ms: number;
}

export interface CliRun {
  child: ChildProcess;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves when stderr contains `text` (a progress line), or rejects when the process ended first. */
  waitForStderr(text: string | RegExp): Promise<void>;
  exit: Promise<CliExit>;
}

/** Starts `node <bundle> ...args`; a file size limit goes through `sh -c 'ulimit -f N; exec node ...'`. */
export function startCli(bundle: string, args: string[], options: CliRunOptions): CliRun {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  const nodeArgs = [...(options.nodeArgs ?? []), bundle, ...args];
  const started = performance.now();
  const child =
    options.fileSizeLimitKib === undefined
      ? spawn(process.execPath, nodeArgs, { cwd: options.cwd, env })
      : spawn(
          'sh',
          ['-c', `ulimit -f ${options.fileSizeLimitKib} && exec "$0" "$@"`, process.execPath, ...nodeArgs],
          { cwd: options.cwd, env },
        );
  let stdout = '';
  let stderr = '';
  const stderrWaiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const check of stderrWaiters) check();
  });
  const exit = new Promise<CliExit>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) =>
      done({ code, signal, stdout, stderr, ms: performance.now() - started }),
    );
  });
  return {
    child,
    stderr: () => stderr,
    waitForStderr: (text) =>
      new Promise<void>((done, fail) => {
        const check = (): void => {
          if (typeof text === 'string' ? stderr.includes(text) : text.test(stderr)) {
            stderrWaiters.delete(check);
            done();
          }
        };
        stderrWaiters.add(check);
        check();
        void exit.then(() => fail(new Error(`the process ended before writing ${String(text)}:\n${stderr}`)));
      }),
    exit,
  };
}

/** Runs the CLI to its end, killing it (SIGKILL) after `timeoutMs`: a process that never ends fails the test. */
export async function runCliProcess(
  bundle: string,
  args: string[],
  options: CliRunOptions & { timeoutMs: number },
): Promise<CliExit & { timedOut: boolean }> {
  const run = startCli(bundle, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.child.kill('SIGKILL');
  }, options.timeoutMs);
  try {
    return { ...(await run.exit), timedOut };
  } finally {
    clearTimeout(timer);
  }
}
