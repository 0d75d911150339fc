/**
 * Two merges land close together and two runners apply at once. Each runner is a process with its own checkout;
 * they share only the account (the sandbox over HTTP). One apply writes at a time: the other waits for the
 * account's lease, plans again and finds nothing left to do, or refuses. Either way no object exists twice.
 * Against the embedded sandbox (no key set), two processes in one directory share its state file, which is
 * locked the same way.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../commands/cli-process.js';
import { FIXTURE } from './edits.js';
import { objectsPerKey, openWorkspace, type Workspace } from './harness.js';
import { startSandbox } from '../../../src/sandbox/index.js';

let CLI = '';
let ws: Workspace | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  CLI = await buildCli();
});
afterEach(async () => {
  await ws?.close();
  ws = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

async function checkout(from: string): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'kg-runner-'));
  dirs.push(cwd);
  await cp(join(from, 'marketing'), join(cwd, 'marketing'), { recursive: true });
  return cwd;
}

const duplicates = (counts: Record<string, number>) => Object.entries(counts).filter(([, n]) => n !== 1);

describe('two applies at once', () => {
  it('against one Klaviyo account: one writes, the other waits or refuses, nothing is duplicated', async () => {
    ws = await openWorkspace(FIXTURE, { speed: 1 });
    const [a, b] = await Promise.all([checkout(ws.cwd), checkout(ws.cwd)]);
    const env = { ...ws.env };
    const runs = await Promise.all([
      run(a, ['apply', '--auto-approve'], env),
      run(b, ['apply', '--auto-approve'], env),
    ]);
    const report = runs.map((r) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`).join('\n---\n');
    expect(
      runs.some((r) => r.code === 0),
      report,
    ).toBe(true);
    for (const r of runs) {
      // The second one either found the work done after waiting, or refused with nothing written.
      if (r.code !== 0) expect(r.stdout, report).toMatch(/Nothing was written\./);
    }
    expect(
      runs.some((r) => /waiting for another apply/.test(r.stderr)),
      report,
    ).toBe(true);
    for (const brand of ws.brands) expect(duplicates(objectsPerKey(ws.account(brand.brand)))).toEqual([]);
    const north = ws.account('north');
    const live = Object.values(north.flows).filter((f) => f.status === 'live');
    expect(live).toHaveLength(2);
    // No lease is left behind.
    expect(Object.values(north.tags).filter((t) => t.name.startsWith('klaviyo-gitops:lease:'))).toEqual([]);
  });

  it('against the embedded sandbox in one directory: the state file is locked, no write is lost', async () => {
    const cwd = await checkout(FIXTURE);
    const runs = await Promise.all([
      run(cwd, ['apply', '--auto-approve'], {}),
      run(cwd, ['apply', '--auto-approve'], {}),
    ]);
    const report = runs.map((r) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`).join('\n---\n');
    expect(
      runs.map((r) => r.code),
      report,
    ).toEqual([0, 0]);
    // Whichever ran second found everything applied: the first one's writes were not lost.
    expect(
      runs.some((r) => /no changes/.test(r.stdout)),
      report,
    ).toBe(true);
    const sandbox = await startSandbox({ port: 0, statePath: join(cwd, '.klaviyo-sandbox/state.json') });
    try {
      for (const brand of ['north', 'south']) {
        const state = sandbox.account(`pk_sandbox_${brand}`).state;
        expect(duplicates(objectsPerKey(state))).toEqual([]);
      }
    } finally {
      await sandbox.close();
    }
  });
});
