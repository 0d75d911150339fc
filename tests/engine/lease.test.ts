/** The apply lease against the in-process sandbox: waiting, refusing, and breaking a lease nobody holds. */
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireApplyLease, leaseName, LeaseBusyError, LEASE_PREFIX } from '../../src/engine/apply/lease.js';
import { TAG_GROUP } from '../../src/engine/markers.js';
import { KlaviyoClient } from '../../src/klaviyo/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { instantClock } from './sandbox-helpers.js';

const KEY = 'pk_lease_test_0123456789';
let sandbox: RunningSandbox;
let client: KlaviyoClient;
let clock: ReturnType<typeof instantClock>;

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, accounts: { [KEY]: 'LEASE1' }, enforceRateLimits: false });
  clock = instantClock();
  client = new KlaviyoClient({ apiKey: KEY, baseUrl: sandbox.url });
});
afterEach(() => sandbox.close());

const leaseTags = () =>
  Object.values(sandbox.account(KEY).state.tags)
    .map((t) => t.name)
    .filter((n) => n.startsWith(LEASE_PREFIX));

/** A lease tag someone else put there. */
async function foreignLease(expires: number, pid: number, host: string, run: string): Promise<void> {
  await client.tags.ensure(leaseName(expires, pid, host, run), { groupName: TAG_GROUP });
}

describe('the apply lease', () => {
  it('is held by one run at a time and leaves no tag behind', async () => {
    const first = await acquireApplyLease({ client, run: 'run-a', now: clock.now, sleep: clock.sleep });
    expect(leaseTags()).toHaveLength(1);
    await expect(
      acquireApplyLease({ client, run: 'run-b', now: clock.now, sleep: clock.sleep, waitMs: 30_000 }),
    ).rejects.toBeInstanceOf(LeaseBusyError);
    // The refused contender took its own tag back.
    expect(leaseTags()).toHaveLength(1);
    await first.release();
    expect(leaseTags()).toEqual([]);
    const second = await acquireApplyLease({ client, run: 'run-b', now: clock.now, sleep: clock.sleep });
    await second.release();
    expect(leaseTags()).toEqual([]);
  });

  it('says who holds it when it refuses', async () => {
    await foreignLease(clock.now() + 3_600_000, 4242, 'runner-7', 'run-x');
    const lines: string[] = [];
    const error = await acquireApplyLease({
      client,
      run: 'run-b',
      now: clock.now,
      sleep: clock.sleep,
      waitMs: 10_000,
      progress: (line) => lines.push(line),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseBusyError);
    expect((error as Error).message).toMatch(
      /another apply is writing to this account \(run run-x, process 4242 on runner-7/,
    );
    expect(lines).toEqual([expect.stringMatching(/^waiting for another apply to finish/)]);
  });

  it('breaks an expired lease and one left by a process that no longer runs on this host', async () => {
    await foreignLease(clock.now() - 1_000, 4242, 'runner-7', 'run-expired');
    await foreignLease(clock.now() + 3_600_000, 2 ** 22 + 7, hostname(), 'run-crashed');
    const lease = await acquireApplyLease({
      client,
      run: 'run-b',
      now: clock.now,
      sleep: clock.sleep,
      waitMs: 0,
    });
    expect(leaseTags()).toHaveLength(1);
    expect(leaseTags()[0]).toContain(':run-b');
    await lease.release();
  });
});
