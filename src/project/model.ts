/**
 * The marketing repository as loaded: each file's value (already checked against its JSON Schema when
 * `valid`), its key, and a locator back into the YAML. Shapes mirror schemas/*.schema.json.
 */
import type { Locator } from './locator.js';
import type { SyncConfig } from './sync-config.js';

/** What an object key (a file name without its extension) may look like. */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export type RuleSeverity = 'off' | 'warning' | 'error';
export type DeletionPolicyName = 'retain' | 'archive' | 'delete';

export interface DeletionConfig {
  list?: DeletionPolicyName;
  segment?: DeletionPolicyName;
  template?: DeletionPolicyName;
  flow?: DeletionPolicyName;
}

export interface QaConfig {
  size_warning_kb?: number;
  size_error_kb?: number;
  subject_max?: number;
  preview_text_max?: number;
}

/** A caniemail feature some email clients may lack, accepted with its reason (`accepted_client_features`). */
export interface AcceptedClientFeature {
  feature: string;
  clients: string[];
  reason: string;
}

export interface RootConfig {
  version: 1;
  defaults?: {
    deletion?: DeletionConfig;
    qa?: QaConfig;
    email_clients?: string[];
    accepted_client_features?: AcceptedClientFeature[];
    rules?: Record<string, RuleSeverity>;
    transactional_templates?: string[];
  };
  metrics?: string[];
  limits?: { max_file_bytes?: number };
}

export interface BrandConfig {
  name: string;
  account_id: string;
  api_key_env: string;
  website?: string;
  sender: { from_email: string; from_label: string; reply_to_email?: string };
  postal_address: string;
  locale?: string;
  tokens: Record<string, string | number | boolean>;
  tone: Record<string, string>;
  email_clients?: string[];
  accepted_client_features?: AcceptedClientFeature[];
  rules?: Record<string, RuleSeverity>;
  deletion?: DeletionConfig;
  qa?: QaConfig;
}

/** The mapping slots of brands/<brand>/metrics.yaml, as Klaviyo names them (`/api/mapped-metrics/{id}`). */
export const MAPPED_METRIC_SLOTS = [
  'revenue',
  'cancelled_sales',
  'refunded_sales',
  'ordered_product',
  'started_checkout',
  'added_to_cart',
  'viewed_product',
] as const;
export type MappedMetricSlot = (typeof MAPPED_METRIC_SLOTS)[number];

/** brands/<brand>/metrics.yaml: which metric each mapping slot points at, by metric name. */
export interface MetricsFile {
  mapped: Partial<Record<MappedMetricSlot, string>>;
}

export interface ListFile {
  name: string;
  description?: string;
  prevent_destroy?: boolean;
}

export type NumericTest = Partial<
  Record<'equals' | 'not_equals' | 'more_than' | 'at_least' | 'less_than' | 'at_most', number>
> & { between?: [number, number] };

export type Window = { last: number; unit: 'day' | 'week' | 'hour' };
export type Timeframe = 'alltime' | Window;

export interface PropertyTest {
  property: string;
  more_than?: number;
  at_least?: number;
  less_than?: number;
  at_most?: number;
  between?: [number, number];
  equals?: number | string | boolean;
  not_equals?: number | string;
  contains?: string;
  not_contains?: string;
  starts_with?: string;
  ends_with?: string;
  in?: string[];
  not_in?: string[];
  is_set?: boolean;
}

export type GroupRef = { list: string } | { segment: string };

export interface Condition {
  any?: Condition[];
  consent?: { channel: 'email' | 'sms' | 'push'; double_opt_in?: boolean };
  metric?: string;
  count?: NumericTest;
  sum?: NumericTest;
  within?: Timeframe;
  since?: 'flow_start';
  where?: PropertyTest[];
  profile?: PropertyTest;
  member_of?: GroupRef;
  not_member_of?: GroupRef;
  region?: { in?: 'united_states' | 'european_union'; not_in?: 'united_states' | 'european_union' };
  predictive?: { dimension: string } & NumericTest;
  not_in_flow?: 'alltime' | { within: Window };
  raw?: { type: string; [key: string]: unknown };
}

export interface SegmentFile {
  name: string;
  description?: string;
  starred?: boolean;
  prevent_destroy?: boolean;
  extends?: string;
  with?: Record<string, unknown>;
  all: Condition[];
}

export interface Trigger {
  metric?: string;
  where?: PropertyTest[];
  list?: string;
  segment?: string;
  date?: {
    property: string;
    days_before?: number;
    time: string;
    recurrence?: 'annually' | 'monthly' | 'weekly' | 'never';
    timezone?: string;
  };
}

export interface EmailStep {
  template: string;
  name?: string;
  subject?: string;
  preview_text?: string;
  smart_sending?: boolean;
  transactional?: boolean;
  utm?: Record<string, string>;
  add_tracking_params?: boolean;
}

export interface SmsStep {
  body: string;
  name?: string;
  quiet_hours?: boolean;
  smart_sending?: boolean;
  shorten_links?: boolean;
  utm?: Record<string, string>;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface Step {
  id?: string;
  wait?: {
    minutes?: number;
    hours?: number;
    days?: number;
    until?: { time?: string; weekdays?: Weekday[] };
    timezone?: string;
  };
  email?: EmailStep;
  sms?: SmsStep;
  split?: { name?: string; if: Condition[]; then?: Step[]; else?: Step[] };
  trigger_split?: { name?: string; where: PropertyTest[]; then?: Step[]; else?: Step[] };
  ab_test?: {
    name?: string;
    winner_metric?: 'unique-clicks' | 'unique-opens' | 'unique-placed-orders' | 'submission';
    auto_winner?: boolean;
    variants: Array<{ email?: EmailStep; sms?: SmsStep }>;
  };
  update_profile?: { set?: Record<string, string | number | boolean>; unset?: string[] };
  webhook?: { name?: string; url: string; headers?: Record<string, string>; body?: string };
  list_update?: { add_to?: string; remove_from?: string };
  raw?: { type: string; data?: unknown; [key: string]: unknown };
}

export const STEP_KINDS = [
  'wait',
  'email',
  'sms',
  'split',
  'trigger_split',
  'ab_test',
  'update_profile',
  'webhook',
  'list_update',
  'raw',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface FlowFile {
  name: string;
  description?: string;
  status?: 'draft' | 'manual' | 'live';
  prevent_destroy?: boolean;
  extends?: string;
  with?: Record<string, unknown>;
  trigger: Trigger;
  entry_filters?: Condition[];
  reentry?: 'never' | { every: number; unit: 'day' | 'week' | 'hour' };
  steps: Step[];
}

export interface BlueprintParameter {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  default?: unknown;
  required?: boolean;
  description?: string;
}

/** A reusable flow or segment: exactly one of `flow:` and `segment:`. */
export interface BlueprintFile {
  description?: string;
  parameters?: Record<string, BlueprintParameter>;
  flow?: Record<string, unknown>;
  segment?: Record<string, unknown>;
}

export interface TemplateFrontMatter {
  name?: string;
  description?: string;
  subject: string;
  preview_text?: string;
  layout?: string;
  sample?: string;
  transactional?: boolean;
  prevent_destroy?: boolean;
}

/** A loaded YAML object. `valid` is false when the file broke its schema; later checks then skip it. */
export interface Loaded<T> {
  key: string;
  /** Display path of the file, relative to the working directory. */
  file: string;
  value: T;
  at: Locator;
  valid: boolean;
}

/** An HTML (or text) file: layouts, partials. */
export interface TextFile {
  key: string;
  file: string;
  text: string;
}

export interface LoadedTemplate {
  key: string;
  file: string;
  frontMatter: TemplateFrontMatter;
  /** Locator into the front matter. */
  at: Locator;
  valid: boolean;
  /** The HTML after the front matter, byte-for-byte. */
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
  /** The optional `<key>.txt` plain-text part. */
  text?: TextFile;
}

export interface LoadedFlow extends Loaded<FlowFile> {
  /** The blueprint this flow extends, if any. */
  blueprint?: string;
}

export interface LoadedSegment extends Loaded<SegmentFile> {
  /** The blueprint this segment extends, if any. */
  blueprint?: string;
}

export interface BrandProject {
  key: string;
  /** Display path of brands/<key>/. */
  dir: string;
  config: Loaded<BrandConfig>;
  lists: Map<string, Loaded<ListFile>>;
  segments: Map<string, LoadedSegment>;
  templates: Map<string, LoadedTemplate>;
  flows: Map<string, LoadedFlow>;
  partials: Map<string, TextFile>;
  /** sync.yaml, when the brand syncs customer data. */
  sync?: Loaded<SyncConfig>;
  /** metrics.yaml, when the brand declares its mapped metrics. */
  metrics?: Loaded<MetricsFile>;
}

export interface Project {
  /** Display path of the marketing directory. */
  dir: string;
  root: Loaded<RootConfig>;
  brands: Map<string, BrandProject>;
  blueprints: Map<string, Loaded<BlueprintFile>>;
  samples: Map<string, Loaded<Record<string, unknown>>>;
  layouts: Map<string, TextFile>;
  partials: Map<string, TextFile>;
  /** How many files were read. */
  fileCount: number;
}
