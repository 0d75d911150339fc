/**
 * The state folders (.klaviyo-sandbox/, .klaviyo-gitops/, output/, logs/) belong to the repository: a command run
 * from inside it finds the same ones as a command run from its root. Through the CLI, on a real temp repository.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext, CommandOutcome } from '../../src/commands/command.js';
import { runCli } from '../../src/commands/index.js';
import { findRepositoryRoot } from '../../src/commands/repository-root.js';
import { ACME_FILES, writeProject } from '../engine/project.js';

interface Run {
  outcome: CommandOutcome;
  progress: string[];
}

async function run(argv: string[], cwd: string): Promise<Run> {
  const progress: string[] = [];
  const ctx: CommandContext = { cwd, env: {}, progress: (line) => progress.push(line) };
  return { outcome: await runCli(argv, ctx), progress };
}

describe('state folders at the repository root', () => {
  const cleanup: string[] = [];
  afterEach(async () => {
    for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function project(): Promise<string> {
    const cwd = await writeProject(ACME_FILES);
    cleanup.push(cwd);
    return cwd;
  }

  it('plan from marketing/ sees the sandbox an apply from the root wrote to: no changes', async () => {
    const root = await project();
    const applied = await run(['apply', '--auto-approve'], root);
    expect(applied.outcome.exitCode).toBe(0);
    expect(applied.outcome.stdout).toContain('created');

    const inside = join(root, 'marketing');
    const planned = await run(['plan', '--dir', '.', '--detailed-exitcode'], inside);
    expect(planned.outcome.stderr ?? '').toBe('');
    // 0: no changes (2 would mean it planned everything as new against an empty sandbox).
    expect(planned.outcome.exitCode).toBe(0);
    expect(planned.progress[0]).toMatch(/^target: local sandbox \(\.\.\/\.klaviyo-sandbox\/\)/);
    expect(existsSync(join(root, 'output', 'plan.json'))).toBe(true);
    for (const folder of ['.klaviyo-sandbox', '.klaviyo-gitops', 'output', 'logs'])
      expect(existsSync(join(inside, folder)), `${folder} inside marketing/`).toBe(false);
  });

  it('render from a brand folder deeper inside writes the previews at the root and names them relative to it', async () => {
    const root = await project();
    const deep = join(root, 'marketing', 'brands', 'acme');
    const rendered = await run(['render', '--dir', '../..'], deep);
    expect(rendered.outcome.exitCode).toBe(0);
    expect(rendered.outcome.stdout).toContain('../../../output/previews/index.html');
    expect(existsSync(join(root, 'output', 'previews', 'index.html'))).toBe(true);
    expect(existsSync(join(deep, 'output'))).toBe(false);
    expect(existsSync(join(deep, '.klaviyo-gitops'))).toBe(false);
  });

  it('the root is the git work tree holding the marketing directory, else the folder holding it', () => {
    const base = mkdtempSync(join(tmpdir(), 'kg-root-'));
    cleanup.push(base);
    const top = join(base, 'repo');
    mkdirSync(join(top, '.git'), { recursive: true });
    // klaviyo-gitops.yaml at the top of the repository (`--dir .`): the state stays inside it.
    expect(findRepositoryRoot(top)).toBe(top);
    expect(findRepositoryRoot(join(top, 'content', 'marketing'))).toBe(top);
    // No git: the folder that holds marketing/.
    expect(findRepositoryRoot(join(base, 'plain', 'marketing'))).toBe(join(base, 'plain'));
  });
});
