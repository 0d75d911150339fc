/**
 * `output/apply-<time>.json`: what one apply run did, per brand and resource, with Klaviyo ids — the artifact a
 * CI job keeps. Refused runs get one too, with the reasons and no resource results.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import type { ApplyCounts, BrandApplyResult } from './executor.js';
import type { Refusal } from './preflight.js';

export const RUN_RECORD_VERSION = 1 as const;

export interface RunRecord {
  version: typeof RUN_RECORD_VERSION;
  run: string;
  startedAt: string;
  finishedAt: string;
  /**
   * `applied`: everything succeeded. `failed`: some call failed (re-run apply to finish). `refused`: no write.
   * `cancelled`: the person asked to approve did not answer 'yes'; no write.
   */
  outcome: 'applied' | 'failed' | 'refused' | 'cancelled';
  targets: string[];
  /** The reviewed plan file and its fingerprint, with `--plan`. */
  planFile?: string;
  reviewedFingerprint?: string;
  flags: { allowDestroy: boolean; force: boolean; overwriteHandEdits: boolean };
  summary: ApplyCounts;
  refusals: Refusal[];
  brands: Array<BrandApplyResult & { planFingerprint: string }>;
}

/** `2026-07-20T12:00:00.123Z` -> `apply-2026-07-20T12-00-00-123Z.json`: sortable, safe in every file system. */
export function runRecordName(startedAt: Date): string {
  return `apply-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
}

export async function writeRunRecord(outputDir: string, record: RunRecord): Promise<string> {
  const path = join(outputDir, runRecordName(new Date(record.startedAt)));
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}
