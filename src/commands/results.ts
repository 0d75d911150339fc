/**
 * What every command returns: a typed result, never printed text. The entries pick a view for it (text for the
 * CLI, JSON, GitHub for the Action: src/views/), and one function (exit-codes.ts) turns results and errors into
 * exit codes. A command that cannot do its job throws a CommandError (errors.ts) instead.
 */
import type { ApplyCounts, BrandApplyResult } from '../engine/apply/index.js';
import type { DriftReport } from '../engine/drift.js';
import type { Plan } from '../engine/plan.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { PreviewManifest } from '../previews/manifest.js';

/** Findings of the one build every command runs (validate's checks, email QA included). */
export interface ValidateResult {
  command: 'validate';
  /** Files read from the marketing directory. */
  files: number;
  errors: number;
  warnings: number;
  brands: string[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
}

export interface RenderResult {
  command: 'render';
  manifest: PreviewManifest;
  /** Absolute path of the preview directory and of its gallery page. */
  outDir: string;
  gallery: string;
  screenshotFailures: number;
  /** Findings outside templates (validate shows them). */
  otherFindings: number;
}

export interface PlanResult {
  command: 'plan';
  plan: Plan;
  /** The run's target line, e.g. "target: Klaviyo (https://a.klaviyo.com)". */
  target: string;
  /** Where the plan was written: the JSON file apply reads, and the markdown with `--markdown`. */
  written: { json: string; markdown?: string };
  /** `--detailed-exitcode`: changes exit 2. */
  detailedExitcode: boolean;
}

export interface ApplyResult {
  command: 'apply';
  /** `applied`: every resource done; `failed`: some failed (re-running finishes the job). */
  outcome: 'applied' | 'failed';
  target: string;
  /** The plan that was applied (made under the lease). */
  plan: Plan;
  /** The plan text was already shown to the person who approved at the terminal. */
  planShown: boolean;
  brands: BrandApplyResult[];
  counts: ApplyCounts;
}

export interface DriftResult {
  command: 'drift';
  target: string;
  report: DriftReport;
  plan: Plan;
  failOnDrift: boolean;
}

/**
 * A pull request's review: the files' findings, the changed emails' previews, and (when the brand's key is
 * available: not on a fork's pull request) the plan with each brand's review fingerprint, the value apply on
 * merge must find again before it writes.
 */
export interface ReviewResult {
  command: 'review';
  validation: ValidateResult;
  previews: RenderResult;
  planning:
    | {
        status: 'planned';
        target: string;
        plan: Plan;
        /** By brand: `reviewFingerprint` of its plan (src/engine/review-fingerprint.ts). */
        reviewFingerprints: Record<string, string>;
      }
    /** `no-key`: the brand's key is not set (a fork's pull request gets no secrets). */
    | { status: 'skipped'; why: 'validation-failed' | 'no-key'; message: string };
}

/** A segment the refresh re-asserted because its definition in Klaviyo had drifted. */
export interface ReassertedSegment {
  brand: string;
  key: string;
  name: string;
  id?: string;
  outcome: 'updated' | 'failed';
  error?: string;
}

/** A managed segment after the refresh, with the profile count Klaviyo reports for it. */
export interface SegmentCount {
  brand: string;
  key: string;
  name: string;
  id?: string;
  profileCount?: number;
}

/**
 * The scheduled refresh: segment definitions that drifted are re-asserted (only those: segment writes are
 * capped at 100 a day), everything else that drifted is reported, and each managed segment's size listed.
 */
export interface RefreshResult {
  command: 'refresh';
  target: string;
  reasserted: ReassertedSegment[];
  /** What still differs after re-asserting. */
  drift: DriftReport;
  segments: SegmentCount[];
  failOnDrift: boolean;
}

export type CommandResult =
  ValidateResult | RenderResult | PlanResult | ApplyResult | DriftResult | ReviewResult | RefreshResult;
