/**
 * One brand's sync: every source of its sync.yaml in order, and per source its streams in order (profiles, then
 * events, then consent: subscribing needs the profile, events create profiles anyway). Each stream is one
 * history run (stream-run.ts). An unusable source file fails that source and the brand, the other sources go
 * on; a time budget that runs out stops the brand where it is, to be continued by the next sync.
 */
import type { Environment } from '../../config.js';
import { parseNameMarker } from '../../engine/markers.js';
import type { KlaviyoClient, KlaviyoEventListener } from '../../klaviyo/index.js';
import type { SyncConfig } from '../../project/sync-config.js';
import type { SyncLedger } from '../history/ledger.js';
import { SourceFileError, type ConsentChannel } from '../model.js';
import { openSyncConfig, type SyncSource } from '../sources.js';
import { consentWork } from './consent-work.js';
import { eventsWork } from './events-work.js';
import { emptyFigures, mergeFigures, type RunFigures } from './figures.js';
import { identityKeyOf, profilesWork } from './profiles-work.js';
import { customerOf, recordSource, type TikTokAccess } from './record-sources.js';
import { TikTokSourceError } from './tiktok-failures.js';
import { runStream, type Budget, type StreamRunResult } from './stream-run.js';
import type { StreamWork } from './stream-work.js';

/** Segments in flight per stream: enough that the client's pacer, not round trips, sets the pace. */
export const DEFAULT_CONCURRENCY = 6;

export interface BrandSyncOptions {
  brand: string;
  config: SyncConfig;
  /** brands/<brand>/ on disk, and as the user names it. */
  brandDir: string;
  displayBrandDir: string;
  client: KlaviyoClient;
  onClientEvent?: (listener: KlaviyoEventListener) => () => void;
  ledger: SyncLedger;
  invocationId: string;
  budget: Budget;
  now: () => Date;
  /** Where TikTok Shop credentials are read, by the names sync.yaml gives (the command's environment). */
  env: Environment;
  tiktok?: { baseUrl?: string; fetch?: typeof fetch };
  concurrency?: number;
  pollIntervalMs?: number;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export type BrandSyncStatus = 'succeeded' | 'partial' | 'failed' | 'stopped';

export interface BrandSyncOutcome {
  brand: string;
  status: BrandSyncStatus;
  /** Every run's figures added up, with distinct identities as `customersFound`. */
  figures: RunFigures;
  customersFound: number;
  runs: StreamRunResult[];
  /** What a person should know: an unusable file, a list not yet in Klaviyo, a stop. */
  notes: string[];
  /** A source could not be read at all, or Klaviyo stayed unreachable. */
  unusable: boolean;
}

export async function syncBrand(options: BrandSyncOptions): Promise<BrandSyncOutcome> {
  const inputs = openSyncConfig(options.config, {
    brandDir: options.brandDir,
    displayBrandDir: options.displayBrandDir,
  });
  const notes: string[] = [];
  const listIds = await consentLists(options.client, inputs, notes, options.signal);
  const identities = new Set<string>();
  const runs: StreamRunResult[] = [];
  let unusable = false;
  let stopped = false;
  let current: RunFigures = emptyFigures();
  const unlisten = options.onClientEvent?.((event) => {
    if (event.type === 'wait' || (event.type === 'retry' && event.reason === 'rate-limited'))
      current.rateLimitWaits += 1;
  });
  const work: Record<string, StreamWork> = {
    profiles: profilesWork({
      client: options.client,
      ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    }),
    events: eventsWork({ client: options.client, liveWindowHours: inputs.liveWindowHours, now: options.now }),
    consent: consentWork({
      client: options.client,
      policy: inputs.consentPolicy,
      listIds,
      customSource: `klaviyo-gitops sync ${options.brand}`,
      now: options.now,
    }),
  };
  try {
    sources: for (const source of inputs.sources) {
      const records = recordSource(source, () => tiktokAccess(source, options));
      for (const [index, stream] of records.streams.entries()) {
        if (options.budget.exhausted()) {
          stopped = true;
          break sources;
        }
        const run = await runStream({
          ledger: options.ledger,
          brand: options.brand,
          invocationId: options.invocationId,
          source: records,
          work: work[stream]!,
          budget: options.budget,
          concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
          now: options.now,
          countsProblems: index === 0,
          onRun: (figures) => (current = figures),
          ...(stream === 'profiles' && {
            seen: (record) => {
              const key = identityKeyOf(customerOf(record));
              if (key !== undefined) identities.add(key);
            },
          }),
          ...(options.signal && { signal: options.signal }),
        });
        runs.push(run);
        options.progress?.(`${options.brand}: ${source.name} ${stream} ${run.status}`);
        if (run.error !== undefined) {
          // An unusable file or TikTok refusing its credentials fails this source; the others go on.
          const { error } = run;
          if (!(error instanceof SourceFileError || error instanceof TikTokSourceError)) throw error;
          unusable = true;
          notes.push(`${source.name}: ${error.message}`);
          continue sources;
        }
        if (run.status === 'stopped') {
          stopped = true;
          break sources;
        }
        if (run.halt !== undefined) {
          unusable = true;
          notes.push(`${source.name} ${stream}: Klaviyo could not be reached (${run.halt}); the run stopped`);
          break sources;
        }
      }
    }
  } finally {
    unlisten?.();
  }
  const figures = emptyFigures();
  for (const run of runs) mergeFigures(figures, run.figures);
  if (stopped) notes.push('stopped at the time budget: the next sync continues where this one stopped');
  const status: BrandSyncStatus =
    unusable || runs.some((r) => r.status === 'failed')
      ? 'failed'
      : stopped
        ? 'stopped'
        : figures.failed > 0
          ? 'partial'
          : 'succeeded';
  return { brand: options.brand, status, figures, customersFound: identities.size, runs, notes, unusable };
}

function tiktokAccess(source: SyncSource, options: BrandSyncOptions): TikTokAccess {
  if (source.kind !== 'tiktok-shop') throw new Error('not a TikTok Shop source');
  const read = (name: string): string => {
    const value = options.env[name];
    if (value === undefined || value === '')
      throw new TikTokSourceError(`the variable ${name} that sync.yaml names for TikTok Shop is not set`);
    return value;
  };
  const credentials = {
    appKey: read(source.credentialEnv.appKey),
    appSecret: read(source.credentialEnv.appSecret),
    accessToken: read(source.credentialEnv.accessToken),
    shopCipher: read(source.credentialEnv.shopCipher),
  };
  return {
    credentials,
    now: Math.floor(options.now().getTime() / 1000),
    ...(options.tiktok?.baseUrl !== undefined && { baseUrl: options.tiktok.baseUrl }),
    ...(options.tiktok?.fetch !== undefined && { fetch: options.tiktok.fetch }),
    ...(options.signal && { signal: options.signal }),
  };
}

/**
 * The Klaviyo ids of sync.yaml's consent lists, found by the key apply puts in their names. A list not in Klaviyo
 * yet is `null`: its channel's subscriptions are skipped (never sent without the list), and a note says why.
 */
async function consentLists(
  client: KlaviyoClient,
  inputs: ReturnType<typeof openSyncConfig>,
  notes: string[],
  signal?: AbortSignal,
): Promise<Partial<Record<ConsentChannel, string | null>>> {
  const wanted: [ConsentChannel, string][] = [];
  if (inputs.emailList !== undefined) wanted.push(['email', inputs.emailList]);
  if (inputs.smsList !== undefined) wanted.push(['sms', inputs.smsList]);
  if (wanted.length === 0) return {};
  const byKey = new Map<string, string>();
  for await (const list of client.lists.list(undefined, signal ? { signal } : {})) {
    const key = parseNameMarker(String(list.attributes.name))?.key;
    if (key !== undefined && list.id) byKey.set(key, list.id);
  }
  const ids: Partial<Record<ConsentChannel, string | null>> = {};
  for (const [channel, key] of wanted) {
    ids[channel] = byKey.get(key) ?? null;
    if (!byKey.has(key))
      notes.push(`list '${key}' is not in Klaviyo yet (run apply): ${channel} subscriptions are skipped`);
  }
  return ids;
}
