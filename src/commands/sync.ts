/**
 * `klaviyo-gitops sync`: each selected brand's store exports (and TikTok Shop) into its Klaviyo account as
 * profiles, events and consent (src/sync/run/), with every run, batch and refused item in the sync history.
 * A brand without sync.yaml is skipped and said so; invalid files refuse the run before anything is sent.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { TargetChoice } from '../config.js';
import type { SyncLedger } from '../sync/history/ledger.js';
import { syncBrand, type BrandSyncOutcome } from '../sync/run/brand-sync.js';
import { openLedger } from '../sync/run/open-ledger.js';
import type { StreamRunResult } from '../sync/run/stream-run.js';
import type { CommandContext } from './command.js';
import { UnknownBrandError } from '../compile/index.js';
import { loadProject } from '../project/loader.js';
import { CommandError } from './errors.js';
import { openCommandTargets, type CommandDeps } from './plan.js';
import type { BrandSyncReport, SyncResult } from './results.js';
import { repositoryPaths, WORK_DIR } from './repository-root.js';

export const DEFAULT_HISTORY_FILE = `${WORK_DIR}/sync.db`;

export interface SyncCommandOptions {
  dir: string;
  /** `--brand`, repeatable; empty: every brand. */
  brands: string[];
  target?: TargetChoice | undefined;
  /** `--max-duration`: stop sending new batches after this long; the next sync continues. */
  maxDurationMs?: number | undefined;
  /** `--history PATH`; undefined: the default file. */
  history?: string | undefined;
  /** `--no-history`: keep the history in memory only (resuming then needs the same process). */
  noHistory?: boolean;
}

/** What tests inject beside the targets: the history, the TikTok Shop API and the clock. */
export interface SyncDeps extends CommandDeps {
  ledger?: SyncLedger;
  tiktok?: { baseUrl?: string; fetch?: typeof fetch };
  concurrency?: number;
  pollIntervalMs?: number;
  /** Milliseconds now, for the time budget; default the system clock. */
  clock?: () => number;
}

export async function runSync(
  options: SyncCommandOptions,
  ctx: CommandContext,
  deps: SyncDeps = {},
): Promise<SyncResult> {
  const selected = [...new Set(options.brands)];
  // A sync reads only the root config, brand.yaml and sync.yaml: it loads the files, never builds the emails,
  // so a broken template does not stop the night's customer data (and the sync's memory stays its own).
  const { project, diagnostics } = await loadProject({ cwd: ctx.cwd, dir: options.dir });
  for (const brand of selected)
    if (!project.brands.has(brand)) throw new UnknownBrandError(brand, [...project.brands.keys()]);
  const brands = [...project.brands.values()]
    .filter((b) => selected.length === 0 || selected.includes(b.key))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const read = new Set([
    project.root.file,
    ...brands.flatMap((b) => [b.config.file, ...(b.sync ? [b.sync.file] : [])]),
  ]);
  const errors = diagnostics.filter((d) => d.severity === 'error' && read.has(d.file));
  if (errors.length > 0)
    throw new CommandError('refused', 'fix the brand and sync files before syncing', {
      reason: 'validation-failed',
      diagnostics: errors,
    });
  const withSync = brands.filter((b) => b.sync?.valid);
  const withoutSync = brands.filter((b) => !withSync.includes(b)).map((b) => b.key);
  for (const brand of withoutSync) ctx.progress(`${brand}: no sync.yaml, skipped`);

  const history = options.noHistory
    ? undefined
    : repositoryPaths(ctx.cwd, options.dir).fileOption(options.history, DEFAULT_HISTORY_FILE);
  const result: SyncResult = {
    command: 'sync',
    target: '',
    brands: [],
    withoutSync,
    history,
    stopped: false,
  };
  if (withSync.length === 0) return result;

  const targets = await openCommandTargets(
    withSync.map((b) => ({
      brand: b.key,
      accountId: b.config.value.account_id ?? '',
      apiKeyVariable: b.config.value.api_key_env ?? '',
    })),
    ctx,
    deps,
    options,
  );
  const ledger = deps.ledger ?? (await openLedger({ path: history, cwd: ctx.cwd }));
  const now = deps.now ?? (() => new Date());
  const clock = deps.clock ?? Date.now;
  const deadline = options.maxDurationMs !== undefined ? clock() + options.maxDurationMs : undefined;
  const budget = {
    exhausted: () => (deadline !== undefined && clock() >= deadline) || ctx.signal?.aborted === true,
  };
  const invocationId = randomUUID();
  result.target = targets.description;
  try {
    for (const brand of withSync) {
      const target = targets.brands.get(brand.key)!;
      const started = Date.now();
      ctx.progress(`${brand.key}: syncing`);
      const outcome = await syncBrand({
        brand: brand.key,
        config: brand.sync!.value,
        // Joined as text: ncc would take a path.resolve with a literal folder for an asset to copy.
        brandDir: resolve(ctx.cwd, [options.dir, 'brands', brand.key].join('/')),
        displayBrandDir: brand.dir,
        client: target.client,
        onClientEvent: target.onClientEvent,
        ledger,
        invocationId,
        budget,
        now,
        env: ctx.env,
        ...tiktokOf(ctx, deps),
        ...(deps.concurrency !== undefined && { concurrency: deps.concurrency }),
        ...(deps.pollIntervalMs !== undefined && { pollIntervalMs: deps.pollIntervalMs }),
        progress: ctx.progress,
        ...(ctx.signal && { signal: ctx.signal }),
      });
      result.brands.push(report(outcome, targets.description, Date.now() - started, ledger));
      if (outcome.status === 'stopped') result.stopped = true;
    }
  } finally {
    if (!deps.ledger) ledger.close();
    await targets.close();
  }
  return result;
}

/** TikTok Shop's address: the injected one, else `TIKTOK_SHOP_BASE_URL` from the command's environment. */
function tiktokOf(
  ctx: CommandContext,
  deps: SyncDeps,
): { tiktok?: { baseUrl?: string; fetch?: typeof fetch } } {
  if (deps.tiktok) return { tiktok: deps.tiktok };
  const baseUrl = ctx.env.TIKTOK_SHOP_BASE_URL;
  return baseUrl ? { tiktok: { baseUrl } } : {};
}

function report(
  outcome: BrandSyncOutcome,
  target: string,
  durationMs: number,
  ledger: SyncLedger,
): BrandSyncReport {
  const { figures } = outcome;
  const ids = new Set(outcome.runs.map((r: StreamRunResult) => r.runId));
  const runs = ledger
    .runs({ brand: outcome.brand })
    .filter((r) => ids.has(r.runId))
    .reverse();
  return {
    brand: outcome.brand,
    target,
    status: outcome.status,
    stats: {
      ordersFetched: figures.ordersFetched,
      customersFound: outcome.customersFound,
      customersSynced: figures.customersSynced,
      eventsAccepted: figures.eventsAccepted,
      totalValue: figures.totalValue,
      subscribed: figures.subscribed,
      failed: figures.failed,
      badRows: figures.badRows,
      skipped: figures.skipped,
      rateLimitWaits: figures.rateLimitWaits,
    },
    durationMs,
    resumed: outcome.runs.some((r) => r.resumedFrom !== undefined),
    runs,
    notes: outcome.notes,
    unusable: outcome.unusable,
  };
}
