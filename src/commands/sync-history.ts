/**
 * `klaviyo-gitops sync history`: the sync runs in the history, newest first, with their type, direction,
 * status, counts, duration and first failures. Reads only.
 */
import { existsSync } from 'node:fs';
import type { HistoryQuery, SyncLedger, SyncStream } from '../sync/history/ledger.js';
import { openLedger } from '../sync/run/open-ledger.js';
import type { CommandContext } from './command.js';
import { repositoryPaths } from './repository-root.js';
import type { SyncHistoryResult } from './results.js';
import { DEFAULT_HISTORY_FILE } from './sync.js';

export interface SyncHistoryOptions {
  /** The marketing directory: the history is at its repository's root. Default `marketing`. */
  dir?: string | undefined;
  history?: string | undefined;
  brand?: string | undefined;
  stream?: SyncStream | undefined;
  last?: number | undefined;
}

export async function runSyncHistory(
  options: SyncHistoryOptions,
  ctx: CommandContext,
  deps: { ledger?: SyncLedger } = {},
): Promise<SyncHistoryResult> {
  const history = repositoryPaths(ctx.cwd, options.dir ?? 'marketing').fileOption(
    options.history,
    DEFAULT_HISTORY_FILE,
  );
  const query: HistoryQuery = {
    ...(options.brand !== undefined && { brand: options.brand }),
    ...(options.stream !== undefined && { stream: options.stream }),
    ...(options.last !== undefined && { last: options.last }),
  };
  // Reading a history that is not there yet is an empty answer, not a new file.
  if (!deps.ledger && !existsSync(history)) return { command: 'sync-history', history, query, runs: [] };
  const ledger = deps.ledger ?? (await openLedger({ path: history, cwd: ctx.cwd }));
  try {
    return { command: 'sync-history', history, query, runs: ledger.runs(query) };
  } finally {
    if (!deps.ledger) ledger.close();
  }
}
