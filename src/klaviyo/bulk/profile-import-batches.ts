/**
 * Profile import bodies sized to Klaviyo's caps (10,000 profiles, 5 MB with margin, 100 KB per profile). Feed
 * profiles one at a time (`add`), take each sealed batch as it comes, `finish` at the end; or call
 * `profileImportBatches` on an array.
 */
import type { components } from '../generated/openapi.js';
import { BatchPacker, jsonBytes } from './batch-packer.js';
import { PROFILE_IMPORT_LIMITS, type BulkBodyLimits } from './limits.js';

type S = components['schemas'];
export type ProfileImportBody = S['ProfileImportJobCreateQuery'];
/** One profile of an import body: `{ type: 'profile', id?, attributes, meta? }`. */
export type ProfileImportItem = ProfileImportBody['data']['attributes']['profiles']['data'][number];

/** A body ready to send; `profiles[i]` is the profile an error pointer `/data/attributes/profiles/data/i` names. */
export interface ProfileImportBatch {
  body: ProfileImportBody;
  profiles: ProfileImportItem[];
}

/** A profile that cannot be imported at any batch size. */
export interface OversizedProfile {
  profile: ProfileImportItem;
  bytes: number;
  limit: number;
}

export interface ProfileImportBatchOptions {
  /** Lists every imported profile joins. */
  listIds?: readonly string[];
  limits?: BulkBodyLimits;
}

export type ProfileImportOutput =
  { kind: 'batch'; batch: ProfileImportBatch } | { kind: 'too-large'; oversized: OversizedProfile };

export class ProfileImportBatcher {
  private readonly packer: BatchPacker<ProfileImportItem>;
  private readonly relationships: ProfileImportBody['data']['relationships'];

  constructor(options: ProfileImportBatchOptions = {}) {
    const listIds = options.listIds ?? [];
    this.relationships =
      listIds.length > 0
        ? { lists: { data: listIds.map((id) => ({ type: 'list' as const, id })) } }
        : undefined;
    this.packer = new BatchPacker(options.limits ?? PROFILE_IMPORT_LIMITS, jsonBytes(this.bodyOf([])));
  }

  /** Adds one profile; returns what it produced: nothing, a sealed batch, or the profile itself refused. */
  add(profile: ProfileImportItem): ProfileImportOutput | undefined {
    const outcome = this.packer.add(profile, jsonBytes(profile));
    if (outcome.kind === 'added') return undefined;
    if (outcome.kind === 'sealed') return { kind: 'batch', batch: this.batchOf(outcome.batch) };
    return { kind: 'too-large', oversized: { profile, bytes: outcome.bytes, limit: outcome.limit } };
  }

  /** The last, partly filled batch. */
  finish(): ProfileImportBatch | undefined {
    const rest = this.packer.flush();
    return rest ? this.batchOf(rest) : undefined;
  }

  private batchOf(profiles: ProfileImportItem[]): ProfileImportBatch {
    return { body: this.bodyOf(profiles), profiles };
  }

  private bodyOf(profiles: ProfileImportItem[]): ProfileImportBody {
    return {
      data: {
        type: 'profile-bulk-import-job',
        attributes: { profiles: { data: profiles } },
        ...(this.relationships ? { relationships: this.relationships } : {}),
      },
    };
  }
}

/** Every batch for an array of profiles, and the profiles too large to send at all. */
export function profileImportBatches(
  profiles: Iterable<ProfileImportItem>,
  options?: ProfileImportBatchOptions,
): { batches: ProfileImportBatch[]; oversized: OversizedProfile[] } {
  const batcher = new ProfileImportBatcher(options);
  const batches: ProfileImportBatch[] = [];
  const oversized: OversizedProfile[] = [];
  const take = (out: ProfileImportOutput | undefined): void => {
    if (out?.kind === 'batch') batches.push(out.batch);
    else if (out) oversized.push(out.oversized);
  };
  for (const profile of profiles) take(batcher.add(profile));
  const last = batcher.finish();
  if (last) batches.push(last);
  return { batches, oversized };
}
