/**
 * End-to-end harness: a copy of a marketing repository in a temp directory, an in-process sandbox with one
 * account per brand, and the real commands (plan, apply) run against it with keys in the environment.
 *
 * Time runs `SPEED` times faster than the wall clock for both the client and the sandbox: the client still paces
 * every operation to Klaviyo's limits, timeouts still fire (a hung request costs its timeout / SPEED), and
 * `updated` stamps move between two commands, as they would between a plan and a later apply.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext, CommandOutcome } from '../../../src/commands/command.js';
import { runApply, type ApplyCommandOptions } from '../../../src/commands/apply.js';
import { runPlan } from '../../../src/commands/plan.js';
import { runAsCli } from '../../../src/commands/cli-outcome.js';
import { buildDesiredState } from '../../../src/compile/index.js';
import type { Clock } from '../../../src/klaviyo/index.js';
import { KLAVIYO_REVISION, KlaviyoClient } from '../../../src/klaviyo/index.js';
import { parseNameMarker, parseTemplateMarker } from '../../../src/engine/markers.js';
import { startSandbox, type FaultConfig, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { AccountState } from '../../../src/sandbox/index.js';

export const SPEED = 20;

/**
 * `speed` times the wall clock. At speed 1 it is the wall clock shifted by `offsetMs` (for a sandbox shared with
 * child processes, which run on the wall clock).
 */
export function dilatedClock(speed = SPEED, offsetMs = 0): Clock & { date(): Date } {
  const realStart = Date.now();
  const start = speed === 1 ? realStart + offsetMs : Date.UTC(2026, 6, 20, 12, 0, 0);
  const now = (): number => start + (Date.now() - realStart) * speed;
  return {
    now,
    date: () => new Date(now()),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.max(0, ms) / speed,
        );
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export interface BrandAccount {
  brand: string;
  accountId: string;
  keyVariable: string;
  key: string;
}

export interface Workspace {
  cwd: string;
  dir: string;
  sandbox: RunningSandbox;
  clock: ReturnType<typeof dilatedClock>;
  brands: BrandAccount[];
  env: Record<string, string>;
  plan(args?: { brand?: string; out?: string; detailedExitcode?: boolean }): Promise<CommandOutcome>;
  /**
   * Runs apply as CI does (`--auto-approve` unless `args` says otherwise); `context` adds to the command context
   * (a progress sink, a terminal).
   */
  apply(
    args?: Partial<ApplyCommandOptions>,
    env?: Record<string, string>,
    context?: Partial<CommandContext>,
  ): Promise<CommandOutcome>;
  client(brand: string): KlaviyoClient;
  account(brand: string): AccountState;
  close(): Promise<void>;
}

/** Copies `source` (a directory holding `marketing/`) into a temp dir and opens one sandbox account per brand. */
export async function openWorkspace(
  source: string,
  options: { faults?: FaultConfig; timeoutMs?: number; speed?: number; offsetMs?: number } = {},
): Promise<Workspace> {
  const cwd = await mkdtemp(join(tmpdir(), 'kg-e2e-'));
  await cp(join(source, 'marketing'), join(cwd, 'marketing'), { recursive: true });
  const built = await buildDesiredState({ cwd, dir: 'marketing' });
  if (built.errors > 0) throw new Error(`fixture does not validate: ${JSON.stringify(built.diagnostics[0])}`);
  const brands: BrandAccount[] = built.states.map((s) => ({
    brand: s.brand,
    accountId: s.accountId,
    keyVariable: s.apiKeyVariable,
    key: `pk_e2e_${s.brand.replace(/-/g, '_')}_0123456789`,
  }));
  const clock = dilatedClock(options.speed, options.offsetMs);
  const sandbox = await startSandbox({
    port: 0,
    accounts: Object.fromEntries(brands.map((b) => [b.key, b.accountId])),
    enforceRateLimits: false,
    clock,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const env: Record<string, string> = { KLAVIYO_BASE_URL: sandbox.url };
  for (const b of brands) env[b.keyVariable] = b.key;
  const ctx = (
    extraEnv: Record<string, string> = {},
    context: Partial<CommandContext> = {},
  ): CommandContext => ({
    cwd,
    env: { ...env, ...extraEnv },
    progress: () => undefined,
    ...context,
  });
  const clientOptions = {
    clock,
    timeoutMs: options.timeoutMs ?? 200_000,
    backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
    maxRetries: 8,
  };
  const deps = { targets: { client: clientOptions }, now: clock.date };
  const client = (brand: string): KlaviyoClient => {
    const b = brands.find((x) => x.brand === brand)!;
    return new KlaviyoClient({ apiKey: b.key, baseUrl: sandbox.url, clock, maxRetries: 8 });
  };
  // Klaviyo creates a metric with its first event: send one per metric the content uses.
  for (const state of built.states) {
    const names = new Set(
      [...state.segments, ...state.flows].flatMap((o) =>
        o.refs.filter((r) => r.kind === 'metric').map((r) => r.key),
      ),
    );
    const c = client(state.brand);
    for (const name of names) {
      await c.events.create({
        data: {
          type: 'event',
          attributes: {
            properties: {},
            unique_id: `seed-${name}`,
            metric: { data: { type: 'metric', attributes: { name } } },
            profile: { data: { type: 'profile', attributes: { email: 'seed@example.com' } } },
          },
        },
      });
    }
  }
  return {
    cwd,
    dir: join(cwd, 'marketing'),
    sandbox,
    clock,
    brands,
    env,
    plan: (args = {}) =>
      runAsCli(
        runPlan(
          {
            dir: 'marketing',
            brand: args.brand,
            out: args.out ?? 'output/plan.json',
            detailedExitcode: args.detailedExitcode ?? true,
          },
          ctx(),
          deps,
        ),
        {},
        ctx(),
      ),
    apply: (args = {}, extraEnv = {}, context = {}) =>
      runAsCli(
        runApply(
          {
            dir: 'marketing',
            brand: args.brand,
            plan: args.plan,
            allowDestroy: args.allowDestroy ?? false,
            force: args.force ?? false,
            overwriteHandEdits: args.overwriteHandEdits ?? false,
            autoApprove: args.autoApprove ?? true,
          },
          ctx(extraEnv, context),
          deps,
        ),
        {},
        ctx(extraEnv, context),
      ),
    client,
    account: (brand) => sandbox.account(brands.find((b) => b.brand === brand)!.key).state,
    close: async () => {
      await sandbox.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

/** How many live objects carry each key, per kind: every count must be 1 (no duplicates). */
export function objectsPerKey(account: AccountState): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (name: string): void => void (counts[name] = (counts[name] ?? 0) + 1);
  const archivedTagIds = new Set(
    Object.values(account.tags)
      .filter((t) => t.name === 'klaviyo-gitops:archived')
      .map((t) => t.id),
  );
  const archived = (kind: 'lists' | 'segments' | 'flows', id: string): boolean =>
    Object.values(account.tags).some((t) => archivedTagIds.has(t.id) && t[kind].includes(id));
  for (const list of Object.values(account.lists)) {
    const key = parseNameMarker(list.name)?.key;
    if (key && !archived('lists', list.id)) bump(`list:${key}`);
  }
  for (const segment of Object.values(account.segments)) {
    const key = parseNameMarker(segment.name)?.key;
    if (key && !archived('segments', segment.id)) bump(`segment:${key}`);
  }
  for (const template of Object.values(account.templates)) {
    if (template.ownerMessageId) continue;
    const key = parseTemplateMarker(template.html ?? '')?.key;
    if (key) bump(`template:${key}`);
  }
  for (const flow of Object.values(account.flows)) {
    const key = parseNameMarker(flow.name)?.key;
    if (key && !archived('flows', flow.id)) bump(`flow:${key}`);
  }
  return counts;
}

/** Every object of every kind, archived or not, by key: what a duplicate create would leave behind. */
export function allObjectsPerKey(account: AccountState): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (name: string): void => void (counts[name] = (counts[name] ?? 0) + 1);
  for (const list of Object.values(account.lists))
    bump(`list:${parseNameMarker(list.name)?.key ?? list.name}`);
  for (const s of Object.values(account.segments)) bump(`segment:${parseNameMarker(s.name)?.key ?? s.name}`);
  for (const t of Object.values(account.templates))
    if (!t.ownerMessageId) bump(`template:${parseTemplateMarker(t.html ?? '')?.key ?? t.name}`);
  for (const f of Object.values(account.flows)) bump(`flow:${parseNameMarker(f.name)?.key ?? f.name}`);
  return counts;
}

export async function readJsonLines(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function runRecords(cwd: string): Promise<Array<Record<string, unknown>>> {
  const files = (await readdir(join(cwd, 'output'))).filter((f) => f.startsWith('apply-')).sort();
  return Promise.all(
    files.map(
      async (f) => JSON.parse(await readFile(join(cwd, 'output', f), 'utf8')) as Record<string, unknown>,
    ),
  );
}

/** A change made "by hand" in Klaviyo: a direct HTTP call to the sandbox, as the Klaviyo UI would make. */
export async function handEdit(
  ws: Workspace,
  brand: string,
  method: string,
  path: string,
  body: unknown,
): Promise<number> {
  const b = ws.brands.find((x) => x.brand === brand)!;
  const response = await fetch(`${ws.sandbox.url}${path}`, {
    method,
    headers: {
      Authorization: `Klaviyo-API-Key ${b.key}`,
      revision: KLAVIYO_REVISION,
      'Content-Type': 'application/vnd.api+json',
      Accept: 'application/vnd.api+json',
    },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/** Writes the sandbox answered since `from` (an index into its request log). */
export function writesSince(ws: Workspace, from: number): string[] {
  return ws.sandbox.requestLog
    .slice(from)
    .filter((entry) => entry.method !== 'GET')
    .map((entry) => `${entry.method} ${entry.path}`);
}
