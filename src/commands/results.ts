/**
 * What every command returns: a typed result, never printed text. The entries pick a view for it (text for the
 * CLI, JSON, GitHub for the Action: src/views/), and one function (exit-codes.ts) turns results and errors into
 * exit codes. A command that cannot do its job throws a CommandError (errors.ts) instead.
 */
import type { ApplyCounts, BrandApplyResult } from '../engine/apply/index.js';
import type { DriftReport } from '../engine/drift.js';
import type { HandEdit, Plan, PlanProblem, ResourceKind } from '../engine/plan.js';
import type { ImportSkip } from '../engine/import/index.js';
import type { ResourcePull } from '../engine/pull/index.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { PreviewManifest } from '../previews/manifest.js';
import type { SyncRunSummary, SyncStream } from '../sync/history/ledger.js';

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
  /** The gallery as a person at the working directory names it: relative when inside it, else absolute. */
  galleryShown: string;
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
  /** `--markdown -`: the markdown, which the CLI prints instead of the text plan. */
  markdown?: string;
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
  /** The reviewed plan file applied (`--plan`); absent: planned and applied in one go. */
  planFile?: string;
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
        /** By brand: `reviewedResources` of its plan, each written resource's own print. */
        reviewedResources: Record<string, Record<string, string>>;
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
  /** The definition re-asserted had been edited in Klaviyo since the last apply (`pull` keeps such edits). */
  handEdit?: HandEdit;
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
  /** The plan made after re-asserting (what apply would still change). */
  plan: Plan;
  segments: SegmentCount[];
  failOnDrift: boolean;
}

/** A plan problem of one brand, as pull reports it above what it pulled. */
export interface BrandProblem {
  brand: string;
  severity: PlanProblem['severity'];
  message: string;
}

/** One brand's pull: per object, what was written, what could not be pulled, and what follows from it. */
export interface BrandPull {
  brand: string;
  pulls: ResourcePull[];
  /** Changes of other objects the pulled files bring into the next plan. */
  knockOn: string[];
}

/** A pulled template's marker in Klaviyo, set to the pulled content so later plans do not rewrite it. */
export interface TemplateMarkerRefresh {
  brand: string;
  key: string;
  outcome: 'refreshed' | 'failed';
  error?: string;
}

export interface PullResult {
  command: 'pull';
  target: string;
  /** The plan's problems, by brand (pull works on what it could plan). */
  problems: BrandProblem[];
  brands: BrandPull[];
  markers: TemplateMarkerRefresh[];
  /** Edits pulled into files, and edits that could not be (each listed in its pull's `notPulled`). */
  pulledEdits: number;
  notPulled: number;
}

export interface ImportResult {
  command: 'import';
  target: string;
  brand: string;
  /** `--dry-run`: `written` and `marked` are what import would do; nothing was written. */
  dryRun: boolean;
  /** Files written and files kept because they exist (paths relative to the working directory). */
  written: string[];
  kept: string[];
  /** One line per object marked as managed in Klaviyo. */
  marked: string[];
  /** By flow key: the steps imported as raw steps. */
  rawSteps: Record<string, string[]>;
  skipped: ImportSkip[];
  /**
   * The brand planned again with the imported files: `not-checked` when the files went elsewhere (`--out`),
   * `invalid` with the first errors when they do not validate yet, else the changes that remain.
   */
  check:
    | { status: 'not-checked' }
    | { status: 'invalid'; errors: string[] }
    | { status: 'planned'; pending: Array<{ kind: ResourceKind; key: string; action: string }> };
}

/** A new brand's folder (`init`). */
export interface InitResult {
  command: 'init';
  brand: string;
  accountId: string;
  /** The variable its key is read from. */
  keyVariable: string;
  /** Files and folders created, relative to the working directory. */
  written: string[];
}

/** A brand of the marketing directory, as a CI matrix entry: `secret` names the repository secret of its key. */
export interface BrandEntry {
  brand: string;
  name: string;
  accountId: string;
  /** The brand's `api_key_env`: the variable (and the repository secret) that holds its key. */
  secret: string;
}

export interface BrandsResult {
  command: 'brands';
  brands: BrandEntry[];
}

/** `sandbox`: the local Klaviyo served until it was stopped. */
export interface SandboxResult {
  command: 'sandbox';
  url: string;
}

/** A brand's seed stats: every stream run of the brand added up. */
export interface SyncStats {
  ordersFetched: number;
  /** Distinct identities (email, else E.164 phone, else external id) across the brand's sources. */
  customersFound: number;
  /**
   * Profile imports Klaviyo's jobs completed, added over the streams: a person both among an export's buyers and
   * in its customers export counts twice (shown as "profile imports completed"; `customersFound` is the people).
   */
  customersSynced: number;
  /** Klaviyo's import jobs do not say which profiles were new: absent until a target tells. */
  profilesCreated?: number;
  profilesUpdated?: number;
  eventsAccepted: number;
  /** Accepted Placed Order value, per currency. */
  totalValue: Record<string, number>;
  subscribed: { email: number; sms: number };
  /** Items Klaviyo refused plus source rows that could not be read (`badRows` of them). */
  failed: number;
  badRows: number;
  /** Not sent, by reason (consent skips as `email:no-consent`, ...). */
  skipped: Record<string, number>;
  rateLimitWaits: number;
}

export interface BrandSyncReport {
  brand: string;
  target: string;
  /** `stopped`: the time budget ran out; the next sync continues. */
  status: 'succeeded' | 'partial' | 'failed' | 'stopped';
  stats: SyncStats;
  durationMs: number;
  /** Some run continued an interrupted or stopped one. */
  resumed: boolean;
  /** This invocation's history runs of the brand. */
  runs: SyncRunSummary[];
  notes: string[];
  /** A source file could not be read at all, or Klaviyo stayed unreachable. */
  unusable: boolean;
}

export interface SyncResult {
  command: 'sync';
  target: string;
  brands: BrandSyncReport[];
  /** Brands selected that have no sync.yaml. */
  withoutSync: string[];
  /** Where the history is kept; undefined with `--no-history`. */
  history: string | undefined;
  /** The time budget ran out before everything was sent. */
  stopped: boolean;
}

export interface SyncHistoryResult {
  command: 'sync-history';
  history: string;
  query: { brand?: string; stream?: SyncStream; last?: number };
  runs: SyncRunSummary[];
}

export type CommandResult =
  | SyncResult
  | SyncHistoryResult
  | ValidateResult
  | RenderResult
  | PlanResult
  | ApplyResult
  | DriftResult
  | PullResult
  | ImportResult
  | InitResult
  | BrandsResult
  | SandboxResult
  | ReviewResult
  | RefreshResult;
