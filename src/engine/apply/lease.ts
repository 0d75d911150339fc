/**
 * One apply writes to an account at a time: the apply lease, held in the account itself, the one place two CI
 * runners (or a laptop and a runner) share.
 *
 * Klaviyo offers no compare-and-set, and whether it refuses a second tag of the same name is not documented,
 * so the lease does not rely on either. It is "announce, then look": a contender creates its own tag
 * `klaviyo-gitops:lease:<expires>:<pid>@<host>:<run>` and then lists every lease tag. If it sees another live
 * one it deletes its own and waits; else it holds the lease. Two contenders can never both hold it: whichever
 * listed second had already been announced by the first (a list follows its own create), so at least one of
 * them sees the other. Both may back off at once; random waits settle that. Under the lease, apply makes its
 * plan again only when the applied record moved since it planned (another apply wrote meanwhile).
 *
 * A holder that crashed leaves its tag: it expires (the holder renews it while it runs), and on the same host
 * a tag whose process is gone is broken at once. Expiry compares clocks of two machines, so the lifetime is
 * generous. The workflows' `concurrency:` group is the first line of defence; this is the second.
 */
import { hostname } from 'node:os';
import {
  filter,
  KlaviyoConflictError,
  KlaviyoNotFoundError,
  type KlaviyoClient,
} from '../../klaviyo/index.js';
import { APPLIED_RECORD_TEMPLATE_NAME, parseAppliedRecordHtml } from '../applied-record.js';
import { TAG_GROUP } from '../markers.js';
import type { RemoteBrandState } from '../remote-model.js';

export const LEASE_PREFIX = 'klaviyo-gitops:lease:';

export interface LeaseOptions {
  client: KlaviyoClient;
  /** This apply's run id. */
  run: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another apply before refusing (default 10 minutes). */
  waitMs?: number;
  /** How long a lease lives unless renewed (default 2 minutes); renewed every third of it. */
  ttlMs?: number;
  random?: () => number;
  progress?: (line: string) => void;
  signal?: AbortSignal;
  /** This process, as lease tags name it (tests pass another). */
  holder?: { pid: number; host: string };
}

export interface ApplyLease {
  release(): Promise<void>;
}

/** Another apply held the account's lease for longer than the wait. Nothing was written. */
export class LeaseBusyError extends Error {
  override readonly name = 'LeaseBusyError';
  constructor(
    readonly holder: LeaseTag,
    waitedMs: number,
  ) {
    super(
      `another apply is writing to this account (run ${holder.run}, process ${holder.pid} on ${holder.host}, lease until ${new Date(holder.expires).toISOString()}); waited ${Math.round(waitedMs / 1000)} s. Re-run when it has finished; a lease left by a crashed run expires by itself at that time`,
    );
  }
}

export interface LeaseTag {
  id: string;
  name: string;
  /** Epoch ms. */
  expires: number;
  pid: number;
  host: string;
  run: string;
}

const LEASE_NAME = /^klaviyo-gitops:lease:(\d+):(\d+)@([^:]*):(.+)$/;

export function leaseName(expires: number, pid: number, host: string, run: string): string {
  const shortHost = host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40);
  return `${LEASE_PREFIX}${Math.floor(expires / 1000)}:${pid}@${shortHost}:${run}`;
}

export function parseLeaseName(id: string, name: string): LeaseTag | undefined {
  const match = LEASE_NAME.exec(name);
  if (!match) return undefined;
  return {
    id,
    name,
    expires: Number(match[1]) * 1000,
    pid: Number(match[2]),
    host: match[3]!,
    run: match[4]!,
  };
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether another apply wrote to the account since `remote` was read: every apply that writes rewrites the
 * applied record (before its first write and when it ends), so one read of the record tells, instead of
 * planning again.
 */
export async function appliedSincePlan(
  client: KlaviyoClient,
  remote: Pick<RemoteBrandState, 'appliedRecord'>,
  signal?: AbortSignal,
): Promise<boolean> {
  const call = signal ? { signal } : {};
  const seen = remote.appliedRecord;
  if (seen.state === 'absent')
    return (await client.templates.findByName(APPLIED_RECORD_TEMPLATE_NAME, call)) !== undefined;
  try {
    const template = await client.templates.get(seen.templateId, undefined, call);
    const now = parseAppliedRecordHtml(template.id, String(template.attributes.html ?? ''));
    if (seen.state === 'unreadable' || now.state === 'unreadable') return true;
    return now.record.updatedAt !== seen.record.updatedAt;
  } catch (error) {
    if (error instanceof KlaviyoNotFoundError) return true;
    throw error;
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireApplyLease(options: LeaseOptions): Promise<ApplyLease> {
  const { client, run } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const ttl = options.ttlMs ?? 120_000;
  const waitMs = options.waitMs ?? 600_000;
  const me = options.holder ?? { pid: process.pid, host: hostname() };
  const call = options.signal ? { signal: options.signal } : {};
  const started = now();

  const announce = async (): Promise<LeaseTag> => {
    const name = leaseName(now() + ttl, me.pid, me.host, run);
    const ensure = () => client.tags.ensure(name, { ...call, groupName: TAG_GROUP });
    // Two first applies may both create the tag group: the loser's "already exists" means it is there now.
    const { tag } = await ensure().catch((error: unknown) => {
      if (error instanceof KlaviyoConflictError) return ensure();
      throw error;
    });
    return parseLeaseName(tag.id, name)!;
  };
  const remove = async (id: string): Promise<void> => {
    try {
      await client.tags.delete(id, call);
    } catch (error) {
      if (!(error instanceof KlaviyoNotFoundError)) throw error;
    }
  };
  const others = async (): Promise<LeaseTag[]> => {
    const live: LeaseTag[] = [];
    for await (const tag of client.tags.list({ filter: filter.startsWith('name', LEASE_PREFIX) }, call)) {
      const lease = parseLeaseName(tag.id, String(tag.attributes.name));
      if (!lease || lease.run === run) continue;
      const crashedHere = lease.host === me.host && lease.pid !== me.pid && !processRuns(lease.pid);
      if (lease.expires < now() || crashedHere) await remove(lease.id);
      else live.push(lease);
    }
    return live;
  };

  let waited = false;
  for (let attempt = 0; ; attempt += 1) {
    const own = await announce();
    const live = await others();
    if (live.length === 0) return holdLease(own, { announce, remove, ttl });
    await remove(own.id);
    const elapsed = now() - started;
    if (elapsed >= waitMs) throw new LeaseBusyError(live[0]!, elapsed);
    if (!waited) {
      const holder = live[0]!;
      options.progress?.(
        `waiting for another apply to finish writing to this account (run ${holder.run}, process ${holder.pid} on ${holder.host})`,
      );
      waited = true;
    }
    // Random waits: two contenders that saw each other do not retry in step.
    await sleep(Math.min(5_000, 500 * 2 ** Math.min(attempt, 3)) * (0.5 + random()));
  }
}

/** Renews the lease (a new tag, then the old one deleted) every third of its lifetime until released. */
function holdLease(
  first: LeaseTag,
  tools: { announce: () => Promise<LeaseTag>; remove: (id: string) => Promise<void>; ttl: number },
): ApplyLease {
  let current = first;
  let renewal: Promise<void> = Promise.resolve();
  // An unreferenced timer: a lease never keeps the process alive on its own.
  const timer = setInterval(() => {
    renewal = renewal.then(async () => {
      try {
        const next = await tools.announce();
        const previous = current;
        current = next;
        await tools.remove(previous.id);
      } catch {
        // Retried at the next interval; the current tag lasts its full lifetime meanwhile.
      }
    });
  }, tools.ttl / 3);
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await renewal;
      await tools.remove(current.id);
    },
  };
}
