/**
 * One oversized file in a pull request must not take the runner down: the size is checked before a file is
 * opened, and the read itself stops one byte past the limit. The CLI runs as a real process (the committed
 * bundle, rebuilt by `npm run bundle`) with a 128 MB heap, so reading or parsing a 50 MB file whole would
 * crash it or take minutes, and the test would fail.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/index.js';
import { tempProject, type TempProject } from './temp-project.js';

const CLI = resolve(import.meta.dirname, '../../action/cli.js');
const FIFTY_MB = 50 * 1024 * 1024;
const LIMIT = 1024 * 1024;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** `node --max-old-space-size=128 action/cli.js validate`, killed after 60 s so that a regression fails rather than hangs. */
function validateInSmallHeap(cwd: string): Promise<ProcessResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--max-old-space-size=128', CLI, 'validate'], {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (exitCode) => {
      clearTimeout(killer);
      done({ exitCode, stdout, stderr, elapsedMs: Date.now() - started });
    }),
  );
}

/** A block of `line(0..999)` repeated until the text is at least `bytes` long. */
function filler(bytes: number, line: (i: number) => string): string {
  const block = Array.from({ length: 1000 }, (_, i) => line(i)).join('');
  return block.repeat(Math.ceil(bytes / block.length));
}

const tooLarge = (file: string, size: number) =>
  `${file}:1:1: error file-too-large: the file is ${size} bytes, over the limit of ${LIMIT} bytes (1 MiB) for one file`;

/**
 * How much longer than validating the clean project the run took. Starting the 7 MB bundle alone takes one to
 * three seconds on a busy machine; the bound is on what the big file adds.
 */
async function extraTime(result: ProcessResult): Promise<number> {
  const clean = tempProject();
  try {
    const baseline = await validateInSmallHeap(clean.cwd);
    expect(baseline.exitCode).toBe(0);
    return result.elapsedMs - baseline.elapsedMs;
  } finally {
    clean.cleanup();
  }
}

describe('the per-file size limit', () => {
  it('refuses a 50 MB YAML file before reading it, in a 128 MB heap, within 5 s', async () => {
    const yaml = filler(FIFTY_MB, (i) => `key${i}: [a, b, { c: d }]\n`);
    project = tempProject({ 'marketing/brands/acme/segments/huge.yaml': yaml });
    const result = await validateInSmallHeap(project.cwd);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(tooLarge('marketing/brands/acme/segments/huge.yaml', yaml.length));
    // Generous: a check before reading is instant; reading and parsing 50 MB takes minutes or crashes.
    expect(await extraTime(result)).toBeLessThan(5_000);
  }, 70_000);

  it('refuses a 50 MB template before reading it, in a 128 MB heap, within 5 s', async () => {
    const html = `---\nsubject: Huge\n---\n${filler(FIFTY_MB, (i) => `<p>Paragraph ${i} <a href="https://acme.example/${i}">link</a></p>\n`)}`;
    project = tempProject({ 'marketing/brands/acme/templates/huge.html': html });
    const result = await validateInSmallHeap(project.cwd);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(tooLarge('marketing/brands/acme/templates/huge.html', html.length));
    expect(await extraTime(result)).toBeLessThan(5_000);
  }, 70_000);

  const ctx = (cwd: string) => ({ cwd, env: {}, progress: () => {} });
  const rootConfig = (limits: string) =>
    `version: 1\ndefaults:\n  transactional_templates: [receipt]\nlimits: ${limits}\n`;
  const bigList = `name: Big\ndescription: "${'x'.repeat(1.5 * 1024 * 1024)}"\n`;

  it('says how to raise the limit, and limits.max_file_bytes in the root config raises it', async () => {
    project = tempProject({ 'marketing/brands/acme/lists/big.yaml': bigList });
    const refused = await runCli(['validate'], ctx(project.cwd));
    expect(refused.stdout).toContain(
      `${tooLarge('marketing/brands/acme/lists/big.yaml', bigList.length)} (make the file smaller or split it; limits.max_file_bytes in klaviyo-gitops.yaml raises the limit, up to 2097152 bytes (2 MiB))`,
    );
    writeFileSync(
      join(project.cwd, 'marketing/klaviyo-gitops.yaml'),
      rootConfig('{ max_file_bytes: 2097152 }'),
    );
    const raised = await runCli(['validate'], ctx(project.cwd));
    expect(raised.stdout).not.toContain('file-too-large');
    expect(raised.exitCode).toBe(0);
  });

  it('keeps the limit under a ceiling a pull request cannot lift', async () => {
    project = tempProject({
      'marketing/klaviyo-gitops.yaml': rootConfig('{ max_file_bytes: 2097153 }'),
      'marketing/brands/acme/lists/big.yaml': bigList,
    });
    const outcome = await runCli(['validate'], ctx(project.cwd));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(
      'marketing/klaviyo-gitops.yaml:4:27: error schema: must be <= 2097152 at limits.max_file_bytes',
    );
    // An invalid root config leaves the default limit in force.
    expect(outcome.stdout).toContain(tooLarge('marketing/brands/acme/lists/big.yaml', bigList.length));
  });

  it('reads the root config itself under the default limit', async () => {
    const padded = `${rootConfig('{ max_file_bytes: 2097152 }')}${'#'.repeat(LIMIT)}\n`;
    project = tempProject({ 'marketing/klaviyo-gitops.yaml': padded });
    const outcome = await runCli(['validate'], ctx(project.cwd));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(tooLarge('marketing/klaviyo-gitops.yaml', padded.length));
  });
});
