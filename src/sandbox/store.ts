/**
 * The sandbox's data: one plain-JSON state per Klaviyo account, so it persists as is. Handlers mutate it;
 * the server persists after each successful write.
 */
import type { JsonObject } from './json.js';

export interface Stamped {
  id: string;
  created: string;
  updated: string;
}

export interface ProfileRecord extends Stamped {
  /** email, phone_number, external_id, first_name, ..., location, properties, subscriptions. */
  attributes: JsonObject;
}

export interface MetricRecord extends Stamped {
  name: string;
  integration: JsonObject;
}

export interface EventRecord {
  id: string;
  profileId: string;
  metricId: string;
  datetime: string;
  timestamp: number;
  properties: JsonObject;
  uuid: string;
  /** profile + metric + unique_id: Klaviyo records only the first event with the same key. */
  dedupeKey: string;
  /** Sent with `backfill: true`: recorded for history and reports, but never a flow trigger. */
  backfill?: boolean;
}

export interface ListRecord extends Stamped {
  name: string;
  opt_in_process: string;
  profileIds: string[];
}

export interface SegmentRecord extends Stamped {
  name: string;
  definition: JsonObject;
  is_active: boolean;
  is_starred: boolean;
}

export interface TemplateRecord extends Stamped {
  name: string;
  editor_type: string;
  html: string | null;
  text: string | null;
  amp: string | null;
  definition?: JsonObject | null;
  /** Set on the private copy a flow email keeps of the template it was given. */
  ownerMessageId?: string;
}

export interface FlowRecord extends Stamped {
  name: string;
  status: string;
  archived: boolean;
  trigger_type: string;
  triggers: unknown[];
  profile_filter: unknown;
  reentry_criteria?: unknown;
  entry_action_id: string | null;
  actionIds: string[];
}

export interface FlowActionRecord extends Stamped {
  flowId: string;
  /** The action object with real ids, as `get_flow_action` returns it. */
  definition: JsonObject;
}

export interface FlowMessageRecord extends Stamped {
  flowId: string;
  actionId: string;
  channel: string;
}

export interface TagRecord {
  id: string;
  name: string;
  tagGroupId: string;
  flows: string[];
  segments: string[];
  lists: string[];
  campaigns: string[];
}

export interface TagGroupRecord {
  id: string;
  name: string;
  exclusive: boolean;
  default: boolean;
}

export interface ImageRecord {
  id: string;
  name: string;
  image_url: string;
  format: string;
  size: number;
  hidden: boolean;
  updated_at: string;
}

export type JobType =
  | 'profile-bulk-import-job'
  | 'profile-suppression-bulk-create-job'
  | 'profile-subscription-bulk-create-job'
  | 'profile-subscription-bulk-delete-job';

export interface JobRecord {
  id: string;
  type: JobType;
  created_at: string;
  completed_at: string;
  total_count: number;
  profileIds: string[];
  listIds: string[];
  /** Reads so far; with the time since creation they move the job from queued to processing to complete. */
  reads: number;
  /** Items the job refused (an import's invalid profiles), reported as its import errors once it completes. */
  failures?: JobFailure[];
}

/** One refused item of a bulk job, as Klaviyo reports it in `import-errors`. */
export interface JobFailure {
  code: string;
  title: string;
  detail: string;
  pointer: string;
  original_payload: JsonObject;
}

/** One of the account's fixed mapped-metric slots (`revenue`, ...) and the metric it points at. */
export interface MappedMetricRecord {
  id: string;
  metricId: string | null;
  updated: string;
}

export interface AccountState {
  id: string;
  created: string;
  /** Templates ever created through the API (create + clone); Klaviyo caps this, deletes do not give it back. */
  templatesCreatedViaApi: number;
  profiles: Record<string, ProfileRecord>;
  metrics: Record<string, MetricRecord>;
  /** By slot; absent slots (and states saved before this existed) are unmapped. */
  mappedMetrics?: Record<string, MappedMetricRecord>;
  events: Record<string, EventRecord>;
  lists: Record<string, ListRecord>;
  segments: Record<string, SegmentRecord>;
  templates: Record<string, TemplateRecord>;
  flows: Record<string, FlowRecord>;
  flowActions: Record<string, FlowActionRecord>;
  flowMessages: Record<string, FlowMessageRecord>;
  tags: Record<string, TagRecord>;
  tagGroups: Record<string, TagGroupRecord>;
  images: Record<string, ImageRecord>;
  jobs: Record<string, JobRecord>;
}

/** Metrics every Klaviyo account has from day one (its own email integration). */
const BUILT_IN_METRICS = [
  'Received Email',
  'Opened Email',
  'Clicked Email',
  'Bounced Email',
  'Marked Email as Spam',
  'Unsubscribed from Email Marketing',
  'Subscribed to Email Marketing',
];

export interface AccountSeedIds {
  short(): string;
  uuid(): string;
}

export function newAccount(id: string, now: string, ids: AccountSeedIds): AccountState {
  const account: AccountState = {
    id,
    created: now,
    templatesCreatedViaApi: 0,
    profiles: {},
    metrics: {},
    mappedMetrics: {},
    events: {},
    lists: {},
    segments: {},
    templates: {},
    flows: {},
    flowActions: {},
    flowMessages: {},
    tags: {},
    tagGroups: {},
    images: {},
    jobs: {},
  };
  for (const name of BUILT_IN_METRICS) {
    const metricId = ids.short();
    account.metrics[metricId] = {
      id: metricId,
      name,
      created: now,
      updated: now,
      integration: {
        object: 'integration',
        id: 'klaviyo',
        key: 'klaviyo',
        name: 'Klaviyo',
        category: 'Internal',
      },
    };
  }
  const groupId = ids.uuid();
  account.tagGroups[groupId] = { id: groupId, name: 'Default', exclusive: false, default: true };
  return account;
}

/** Object counts by type, for tests and the inspection handle. Flow-owned template copies are counted apart. */
export function countObjects(account: AccountState): Record<string, number> {
  const templates = Object.values(account.templates);
  return {
    profiles: Object.keys(account.profiles).length,
    metrics: Object.keys(account.metrics).length,
    events: Object.keys(account.events).length,
    lists: Object.keys(account.lists).length,
    segments: Object.keys(account.segments).length,
    templates: templates.filter((t) => !t.ownerMessageId).length,
    flowTemplates: templates.filter((t) => t.ownerMessageId).length,
    flows: Object.keys(account.flows).length,
    flowActions: Object.keys(account.flowActions).length,
    flowMessages: Object.keys(account.flowMessages).length,
    tags: Object.keys(account.tags).length,
    tagGroups: Object.keys(account.tagGroups).length,
    images: Object.keys(account.images).length,
    jobs: Object.keys(account.jobs).length,
  };
}
