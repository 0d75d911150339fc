/**
 * The persisted state at a bulk sync's scale: each write appends only what it changed to `<state>.log`; a kill
 * at any point leaves the state after a whole number of writes (every answered one included); a failed write
 * leaves no trace in memory, in the indexes or on disk.
 */
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { buildCli, startCli, type CliRun } from '../commands/cli-process.js';
import { api, KEY } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-state-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const listBody = (name: string) => ({ data: { type: 'list', attributes: { name } } });

/** One bulk event job of `orders` orders (one event each) for `customers` customers, named by `job`. */
function eventJob(job: number, orders = 100, customers = 20): unknown {
  const data = Array.from({ length: orders }, (_, i) => ({
    type: 'event-bulk-create',
    attributes: {
      profile: {
        data: { type: 'profile', attributes: { email: `c${(job * orders + i) % customers}@example.com` } },
      },
      events: {
        data: [
          {
            type: 'event',
            attributes: {
              metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
              properties: { OrderId: `${job}-${i}` },
              time: '2026-05-01T10:00:00Z',
              value: 10,
              unique_id: `order-${job}-${i}`,
            },
          },
        ],
      },
    },
  }));
  return { data: { type: 'event-bulk-create-job', attributes: { 'events-bulk-create': { data } } } };
}

async function eventCount(sandbox: RunningSandbox): Promise<number> {
  return sandbox.account(KEY).counts().events ?? 0;
}

describe('the state log', () => {
  it('appends each write to the log instead of rewriting the state, and folds it in at close', async () => {
    const statePath = join(dir, 'state.json');
    const sandbox = await startSandbox({ statePath, enforceRateLimits: false });
    await api(sandbox, 'POST', '/api/lists', listBody('first'));
    const snapshot = readFileSync(statePath, 'utf8');
    for (let job = 0; job < 5; job++)
      expect((await api(sandbox, 'POST', '/api/event-bulk-create-jobs', eventJob(job))).status).toBe(202);
    // The snapshot is untouched by later writes; the log grew by about one job's worth per job.
    expect(readFileSync(statePath, 'utf8')).toBe(snapshot);
    expect(statSync(`${statePath}.log`).size).toBeGreaterThan(5 * 100 * 100);
    await sandbox.close();
    expect(existsSync(`${statePath}.log`)).toBe(false);

    const again = await startSandbox({ statePath, enforceRateLimits: false });
    try {
      expect(await eventCount(again)).toBe(500);
      // A re-sent job is deduplicated against what was loaded.
      expect((await api(again, 'POST', '/api/event-bulk-create-jobs', eventJob(0))).status).toBe(202);
      expect(await eventCount(again)).toBe(500);
    } finally {
      await again.close();
    }
  });

  it('loads every committed write and drops a write cut off mid-append', async () => {
    const statePath = join(dir, 'state.json');
    const sandbox = await startSandbox({ statePath, enforceRateLimits: false });
    try {
      await api(sandbox, 'POST', '/api/lists', listBody('first'));
      await api(sandbox, 'POST', '/api/lists', listBody('second'));
      // What a kill leaves while the sandbox is still running: the snapshot and the log as they are now.
      const copy = join(dir, 'copy.json');
      copyFileSync(statePath, copy);
      copyFileSync(`${statePath}.log`, `${copy}.log`);
      appendFileSync(`${copy}.log`, '\n["begin"]\n["put","X","lists","CUT",{"name":"half');
      const restarted = await startSandbox({ statePath: copy, enforceRateLimits: false });
      try {
        const lists = await api(restarted, 'GET', '/api/lists');
        expect(
          lists.body.data.map((l: { attributes: { name: string } }) => l.attributes.name).sort(),
        ).toEqual(['first', 'second']);
      } finally {
        await restarted.close();
      }
    } finally {
      await sandbox.close();
    }
  });

  it('refuses a state file of a newer version, naming it', async () => {
    const statePath = join(dir, 'state.json');
    appendFileSync(statePath, '{"format":"klaviyo-gitops-sandbox-state","version":3}\n');
    await expect(startSandbox({ statePath })).rejects.toThrow(
      /version 3; this klaviyo-gitops reads versions 1 and 2/,
    );
  });
});

describe('a failed write', () => {
  it('leaves no trace: the profile it created is gone from memory, the identifier index and the file', async () => {
    const statePath = join(dir, 'state.json');
    const sandbox = await startSandbox({ statePath, enforceRateLimits: false });
    try {
      // The first profile is upserted before the second (an unknown id) fails the request.
      const failed = await api(sandbox, 'POST', '/api/profile-subscription-bulk-delete-jobs', {
        data: {
          type: 'profile-subscription-bulk-delete-job',
          attributes: {
            profiles: {
              data: [
                { type: 'profile', attributes: { email: 'ghost@example.com' } },
                { type: 'profile', id: '01NOSUCHPROFILE0000000000', attributes: {} },
              ],
            },
          },
        },
      });
      expect(failed.status).toBeGreaterThanOrEqual(400);
      expect(sandbox.account(KEY).counts().profiles).toBe(0);
      const found = await api(
        sandbox,
        'GET',
        `/api/profiles?filter=${encodeURIComponent('equals(email,"ghost@example.com")')}`,
      );
      expect(found.body.data).toEqual([]);
      // Created once, later, by a write that succeeds: the index held nothing of the failed one.
      const created = await api(sandbox, 'POST', '/api/profiles', {
        data: { type: 'profile', attributes: { email: 'ghost@example.com' } },
      });
      expect(created.status).toBe(201);
    } finally {
      await sandbox.close();
    }
    const restarted = await startSandbox({ statePath, enforceRateLimits: false });
    try {
      expect(restarted.account(KEY).counts().profiles).toBe(1);
    } finally {
      await restarted.close();
    }
  });
});

describe('a sandbox process killed during a bulk sync (real process)', () => {
  let cli: string;
  const running: CliRun[] = [];
  beforeAll(async () => {
    cli = await buildCli();
  }, 180_000);
  afterAll(() => {
    for (const run of running) run.child.kill('SIGKILL');
  });

  it('keeps every answered job whole and no job in part', async () => {
    const args = ['sandbox', '--port', '0', '--state', 'state.json', '--no-rate-limits'];
    const first = startCli(cli, args, { cwd: dir });
    running.push(first);
    await first.waitForStderr(/listening on (http:\/\/\S+)/);
    const url = /listening on (http:\/\/\S+)/.exec(first.stderr())![1]!;
    const at = { url } as RunningSandbox;
    let answered = 0;
    let next = 0;
    const send = async (): Promise<void> => {
      while (next < 60) {
        const job = next++;
        const answer = await api(at, 'POST', '/api/event-bulk-create-jobs', eventJob(job, 500, 300)).catch(
          () => undefined,
        );
        if (answer?.status !== 202) return;
        answered += 1;
        if (answered === 8) first.child.kill('SIGKILL'); // while other jobs are in flight
      }
    };
    await Promise.all([send(), send(), send()]);
    await new Promise((resolve) => first.child.once('close', resolve));

    const restarted = await startSandbox({ statePath: join(dir, 'state.json'), enforceRateLimits: false });
    try {
      const events = await eventCount(restarted);
      expect(events % 500).toBe(0); // whole jobs only
      expect(events / 500).toBeGreaterThanOrEqual(answered);
      expect(restarted.account(KEY).counts().profiles).toBe(300);
    } finally {
      await restarted.close();
    }
  }, 180_000);
});
