/**
 * Crash safety: the CLI (`node cli.mjs apply`) is killed with SIGKILL at 20 random points — after a random
 * number of Klaviyo writes — and run again each time. Whatever was cut short (a create whose answer never came
 * back, a flow half swapped, a tag call not made), the next run finishes the job: the account converges with
 * exactly one object per key. The points are drawn from a seeded generator, so a failure replays.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../commands/cli-process.js';
import { editNorth, FIXTURE, prepareNorth, restoreNorth } from './edits.js';
import { allObjectsPerKey, objectsPerKey, openWorkspace, type Workspace } from './harness.js';

let CLI = '';
const SEED = 20260722;

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface RunResult {
  killed: boolean;
  exitCode: number | null;
  writes: number;
}

/** Writes that count towards a kill point: not the tag calls, most of which take and renew the apply lease
 * (a kill there would never reach the objects the test is about). */
const TAG_OPERATIONS = new Set(['create_tag', 'delete_tag', 'create_tag_group']);

function writes(ws: Workspace, accounts: Set<string>): number {
  return ws.sandbox.requestLog.filter(
    (e) =>
      e.method !== 'GET' &&
      e.accountId &&
      accounts.has(e.accountId) &&
      !TAG_OPERATIONS.has(e.operationId ?? ''),
  ).length;
}

/** Runs `apply` in a child process; kills it once the sandbox has answered `killAfter` more writes. */
async function runApply(ws: Workspace, args: string[], killAfter: number | undefined): Promise<RunResult> {
  const accounts = new Set(ws.brands.map((b) => b.accountId));
  const start = writes(ws, accounts);
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'apply', '--dir', 'marketing', '--auto-approve', ...args],
    {
      cwd: ws.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ws.env },
      stdio: 'ignore',
    },
  );
  let killed = false;
  const watcher =
    killAfter === undefined
      ? undefined
      : setInterval(() => {
          if (!killed && writes(ws, accounts) - start >= killAfter) {
            killed = child.kill('SIGKILL');
          }
        }, 2);
  const exitCode = await new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  if (watcher) clearInterval(watcher);
  return { killed, exitCode, writes: writes(ws, accounts) - start };
}

describe('apply killed at random points', () => {
  let ws: Workspace | undefined;
  beforeAll(async () => {
    CLI = await buildCli();
  });
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('converges with one object per key after 20 kills across creates, updates, replaces and deletes', async () => {
    // The sandbox's clock runs ten minutes behind (a whole number of rate-limit windows): its `updated` stamps are
    // old enough for the CLI's flow-definition cache, so each run re-reads only the flows the last one touched.
    ws = await openWorkspace(FIXTURE, { speed: 1, offsetMs: -10 * 60_000 });
    ws.sandbox.setFaults({ latencyMs: 15 });
    await prepareNorth(ws.dir);
    const random = prng(SEED);
    const runs: RunResult[] = [];

    // Four rounds of changes, each cut short by kills after 1..`spread` writes; a round's leftovers (half a flow
    // swap, say) meet the next round's changes. Only the last round ends with an uninterrupted run.
    const rounds = [
      { kills: 6, spread: 3, change: async () => undefined },
      { kills: 5, spread: 2, change: () => editNorth(ws!.dir) },
      { kills: 5, spread: 2, change: () => restoreNorth(ws!.dir) },
      { kills: 4, spread: 2, change: () => editNorth(ws!.dir) },
    ];
    for (const round of rounds) {
      await round.change();
      for (let kill = 0; kill < round.kills; kill += 1)
        runs.push(await runApply(ws, ['--allow-destroy'], 1 + Math.floor(random() * round.spread)));
    }
    const final = await runApply(ws, ['--allow-destroy'], undefined);
    expect(final.exitCode).toBe(0);

    // Most kills cut a run short after it had written something (a run may also finish before its kill point).
    expect(runs).toHaveLength(20);
    expect(runs.filter((r) => r.killed).length).toBeGreaterThanOrEqual(14);
    expect((await ws.plan({ detailedExitcode: true })).exitCode).toBe(0);
    for (const brand of ws.brands) {
      const account = ws.account(brand.brand);
      expect(Object.entries(objectsPerKey(account)).filter(([, n]) => n !== 1)).toEqual([]);
      // Everything ever created: one per key, but the flow replaced in each round (old copies are kept).
      const everything = Object.entries(allObjectsPerKey(account)).filter(([, n]) => n !== 1);
      expect(everything.map(([key]) => key)).toEqual(brand.brand === 'north' ? ['flow:vip'] : []);
    }
    // Of the vip flows, one is in its status; every other is in draft and carries the archived tag.
    const north = ws.account('north');
    const archived = new Set(
      Object.values(north.tags).find((t) => t.name === 'klaviyo-gitops:archived')?.flows,
    );
    const vips = Object.values(north.flows).filter((f) => f.name.endsWith('[kg:vip]'));
    expect(vips.length).toBeGreaterThanOrEqual(4);
    expect(vips.filter((f) => !archived.has(f.id)).map((f) => f.status)).toEqual(['manual']);
    expect(vips.filter((f) => archived.has(f.id)).every((f) => f.status === 'draft')).toBe(true);
    expect(existsSync(join(ws.cwd, 'logs/activity.log'))).toBe(true);
  }, 300_000);
});
