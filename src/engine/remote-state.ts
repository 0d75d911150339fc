/**
 * Reads one brand's Klaviyo account into a RemoteBrandState.
 *
 * First the account: a key of another account is refused before anything else is read. Then lists, segments
 * (with definitions), templates, flows, our tags, metrics and mapped metrics, all at once: the client paces each operation to
 * its own rate limit, so parallel reads cost only the slowest endpoint's time. Flow definitions (S tier) are
 * read only for flows that are ours (or all flows, for import) and come from the cache when the flow's
 * `updated` stamp has not moved.
 */
import type { KlaviyoClient } from '../klaviyo/index.js';
import { filter, KlaviyoNotFoundError, mappedMetricTarget } from '../klaviyo/index.js';
import { isAppliedRecordHtml, parseAppliedRecordHtml, type StoredAppliedRecord } from './applied-record.js';
import { FlowDefinitionCache, type CachedFlow } from './flow-cache.js';
import {
  isArchivedTemplate,
  parseTemplateMarker,
  recogniseTaggable,
  stripTemplateMarker,
  templateContentHash,
  TAG_GROUP,
} from './markers.js';
import { isRecord } from './normalize.js';
import type {
  RemoteBrandState,
  RemoteFlow,
  RemoteFlowAction,
  RemoteFlowDefinition,
  RemoteList,
  RemoteMappedMetric,
  RemoteMetric,
  RemoteOwnership,
  RemoteSegment,
  RemoteTemplate,
  RemoteTemplateCopy,
} from './remote-model.js';

/** The key belongs to another Klaviyo account than the brand's. Nothing was read or written. */
export class AccountMismatchError extends Error {
  override readonly name = 'AccountMismatchError';
  constructor(
    readonly brand: string,
    readonly expectedAccountId: string,
    readonly actualAccountId: string,
  ) {
    super(
      `brand ${brand}: the API key belongs to Klaviyo account ${actualAccountId}, but the brand is configured for account ${expectedAccountId}; refusing to continue`,
    );
  }
}

export interface ReadRemoteOptions {
  client: KlaviyoClient;
  brand: string;
  /** The brand's configured account id; the key must belong to it. */
  accountId: string;
  /** Flow definition cache root (e.g. `<cwd>/.klaviyo-gitops/cache`); no caching when absent. */
  cacheDir?: string;
  /** `managed` (plan, drift): definitions of our flows only. `all` (import): of every flow. */
  scope?: 'managed' | 'all';
  signal?: AbortSignal;
  /** Our clock (ms since the epoch), to tell settled `updated` stamps from fresh ones. */
  now?: () => number;
}

/**
 * Klaviyo's `updated` stamps have one-second resolution: two changes within the same second share a stamp. A
 * definition is cached only once its stamp is this old, so a change right after a read is never hidden.
 */
export const CACHE_SETTLE_MS = 5 * 60 * 1000;

type Attributes = Record<string, unknown>;
interface JsonApiResource {
  id: string;
  attributes: Attributes;
  relationships?: unknown;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Tag ids on a resource read with `include=tags`. */
function tagIdsOf(resource: JsonApiResource): string[] {
  const relationships = resource.relationships;
  if (!isRecord(relationships) || !isRecord(relationships.tags)) return [];
  const data = relationships.tags.data;
  return Array.isArray(data) ? data.filter(isRecord).map((d) => str(d.id)) : [];
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function taggableOwnership(name: string, tags: string[]): RemoteOwnership {
  const ownership = recogniseTaggable(name, tags);
  if (ownership.type !== 'managed') return ownership;
  return {
    type: 'managed',
    key: ownership.key,
    displayName: ownership.displayName,
    identity: 'name-marker',
    tagged: ownership.tagged,
    preventDestroy: ownership.preventDestroy,
  };
}

function templateOwnership(name: string, html: string): RemoteOwnership {
  if (isArchivedTemplate(html)) return { type: 'archived' };
  const marker = parseTemplateMarker(html);
  if (!marker) return { type: 'unmanaged' };
  return {
    type: 'managed',
    key: marker.key,
    displayName: name,
    identity: 'html-marker',
    tagged: true,
    preventDestroy: marker.preventDestroy,
  };
}

export async function readRemoteState(options: ReadRemoteOptions): Promise<RemoteBrandState> {
  const { client, signal } = options;
  const call = signal ? { signal } : {};
  const account = await client.accounts.get(call);
  if (account.id !== options.accountId)
    throw new AccountMismatchError(options.brand, options.accountId, account.id);

  const [tags, lists, segments, templates, flows, metrics, mappedMetrics] = await Promise.all([
    all(client.tags.list({ filter: filter.startsWith('name', TAG_GROUP) }, call)),
    all(client.lists.list({ include: ['tags'] }, call)),
    all(
      client.segments.list(
        {
          include: ['tags'],
          fields: { segment: ['name', 'definition', 'created', 'updated', 'is_active', 'is_starred'] },
        },
        call,
      ),
    ),
    all(client.templates.list(undefined, call)),
    all(client.flows.list({ include: ['tags'] }, call)),
    all(client.metrics.list(undefined, call)),
    client.mappedMetrics.list(call),
  ]);
  const tagNameById = new Map(tags.map((tag) => [tag.id, str((tag.attributes as Attributes).name)]));
  const tagNames = (resource: JsonApiResource): string[] =>
    tagIdsOf(resource)
      .map((id) => tagNameById.get(id))
      .filter((name): name is string => name !== undefined)
      .sort();

  const remoteLists: RemoteList[] = (lists as JsonApiResource[]).map((list) => {
    const name = str(list.attributes.name);
    const names = tagNames(list);
    return {
      kind: 'list',
      id: list.id,
      name,
      created: str(list.attributes.created),
      updated: str(list.attributes.updated),
      ownership: taggableOwnership(name, names),
      tags: names,
    };
  });

  const remoteSegments: RemoteSegment[] = (segments as JsonApiResource[]).map((segment) => {
    const a = segment.attributes;
    const name = str(a.name);
    const names = tagNames(segment);
    const definition =
      isRecord(a.definition) && Array.isArray(a.definition.condition_groups)
        ? { condition_groups: a.definition.condition_groups as unknown[] }
        : { condition_groups: [] };
    return {
      kind: 'segment',
      id: segment.id,
      name,
      created: str(a.created),
      updated: str(a.updated),
      ownership: taggableOwnership(name, names),
      definition,
      isStarred: a.is_starred === true,
      isActive: a.is_active !== false,
      tags: names,
    };
  });

  const { record: appliedRecord, others: contentTemplates } = findAppliedRecord(
    templates as JsonApiResource[],
  );
  const remoteTemplates: RemoteTemplate[] = contentTemplates.map((template) => {
    const a = template.attributes;
    const name = str(a.name);
    const html = str(a.html);
    const marker = parseTemplateMarker(html);
    return {
      kind: 'template',
      id: template.id,
      name,
      created: str(a.created),
      updated: str(a.updated),
      ownership: templateOwnership(name, html),
      editorType: str(a.editor_type),
      html,
      text: str(a.text),
      ...(marker ? { marker } : {}),
    };
  });

  const cache = options.cacheDir ? new FlowDefinitionCache(options.cacheDir, account.id) : undefined;
  const remoteFlows: RemoteFlow[] = await Promise.all(
    (flows as JsonApiResource[]).map(async (flow) => {
      const a = flow.attributes;
      const name = str(a.name);
      const names = tagNames(flow);
      const ownership = taggableOwnership(name, names);
      const base: RemoteFlow = {
        kind: 'flow',
        id: flow.id,
        name,
        created: str(a.created),
        updated: str(a.updated),
        ownership,
        status: str(a.status),
        archived: a.archived === true,
        triggerType: str(a.trigger_type),
        tags: names,
        templateCopies: {},
      };
      const wanted = options.scope === 'all' || ownership.type === 'managed' || ownership.type === 'tagged';
      if (!wanted) return base;
      const details = await flowDetails(client, cache, flow.id, base.updated, call, options.now ?? Date.now);
      return { ...base, definition: details.definition, templateCopies: details.templateCopies };
    }),
  );

  const remoteMetrics: RemoteMetric[] = (metrics as JsonApiResource[]).map((metric) => {
    const integration = metric.attributes.integration;
    const integrationKey = isRecord(integration) ? str(integration.key) || str(integration.name) : '';
    return {
      id: metric.id,
      name: str(metric.attributes.name),
      ...(integrationKey ? { integration: integrationKey } : {}),
    };
  });

  const remoteMappedMetrics: RemoteMappedMetric[] = mappedMetrics.map((mapped) => ({
    kind: 'mapped-metric',
    id: mapped.id,
    updated: mapped.attributes.updated,
    target: mappedMetricTarget(mapped),
  }));

  return {
    accountId: account.id,
    lists: remoteLists,
    segments: remoteSegments,
    templates: remoteTemplates,
    flows: remoteFlows,
    metrics: remoteMetrics,
    mappedMetrics: remoteMappedMetrics,
    tagNames: [...new Set(tagNameById.values())].sort(),
    appliedRecord,
  };
}

/**
 * Separates the applied record's template from the content templates. Two records (two first applies that
 * raced) are read as the most recently updated one; the next apply writes that one.
 */
function findAppliedRecord(templates: JsonApiResource[]): {
  record: StoredAppliedRecord;
  others: JsonApiResource[];
} {
  const records = templates
    .filter((t) => isAppliedRecordHtml(str(t.attributes.html)))
    .sort(
      (a, b) =>
        str(b.attributes.updated).localeCompare(str(a.attributes.updated)) || a.id.localeCompare(b.id),
    );
  const others = templates.filter((t) => !records.includes(t));
  const newest = records[0];
  if (!newest) return { record: { state: 'absent' }, others };
  return { record: parseAppliedRecordHtml(newest.id, str(newest.attributes.html)), others };
}

async function flowDetails(
  client: KlaviyoClient,
  cache: FlowDefinitionCache | undefined,
  flowId: string,
  updated: string,
  call: { signal?: AbortSignal },
  now: () => number,
): Promise<CachedFlow> {
  const cached = await cache?.get(flowId, updated);
  if (cached) return cached;
  const details = await client.flows.get(flowId, call);
  const definition = toDefinition((details.attributes as Attributes).definition);
  const templateCopies: Record<string, RemoteTemplateCopy> = {};
  await Promise.all(
    emailMessages(definition).map(async ({ messageId, templateId }) => {
      const copy = await readCopy(client, messageId, templateId, call);
      if (copy) templateCopies[copy.id] = copy;
    }),
  );
  // The stamp read with the list: if the flow changed in between, the next read simply misses the cache.
  const entry: CachedFlow = { id: flowId, updated, definition, templateCopies };
  const stamp = Date.parse(updated);
  if (Number.isFinite(stamp) && stamp <= now() - CACHE_SETTLE_MS) await cache?.set(entry);
  return entry;
}

function toDefinition(value: unknown): RemoteFlowDefinition {
  const d = isRecord(value) ? value : {};
  return {
    triggers: Array.isArray(d.triggers) ? d.triggers : [],
    ...(d.profile_filter !== undefined ? { profile_filter: d.profile_filter } : {}),
    ...(d.reentry_criteria !== undefined ? { reentry_criteria: d.reentry_criteria } : {}),
    entry_action_id: typeof d.entry_action_id === 'string' ? d.entry_action_id : null,
    actions: Array.isArray(d.actions)
      ? d.actions
          .filter(isRecord)
          .map((action) => ({ ...action, id: String(action.id), type: str(action.type) }) as RemoteFlowAction)
      : [],
  };
}

/** Every email message of a definition (A/B arms included) with its template copy id. */
export function emailMessages(
  definition: RemoteFlowDefinition,
): Array<{ messageId?: string; templateId: string }> {
  const out: Array<{ messageId?: string; templateId: string }> = [];
  const visit = (node: unknown): void => {
    if (!isRecord(node) || !isRecord(node.data)) return;
    const data = node.data;
    const message = data.message;
    if (node.type === 'send-email' && isRecord(message) && typeof message.template_id === 'string') {
      out.push({
        templateId: message.template_id,
        ...(typeof message.id === 'string' ? { messageId: message.id } : {}),
      });
    }
    if (isRecord(data.main_action)) visit(data.main_action);
    const experiment = data.current_experiment;
    if (isRecord(experiment) && Array.isArray(experiment.variations)) experiment.variations.forEach(visit);
  };
  definition.actions.forEach(visit);
  return out;
}

async function readCopy(
  client: KlaviyoClient,
  messageId: string | undefined,
  templateId: string,
  call: { signal?: AbortSignal },
): Promise<RemoteTemplateCopy | undefined> {
  try {
    const template = messageId
      ? await client.flows.getMessageTemplate(messageId, call)
      : await client.templates.get(templateId, undefined, call);
    if (!template) return undefined;
    const a = template.attributes as Attributes;
    const html = str(a.html);
    const text = str(a.text);
    const marker = parseTemplateMarker(html);
    return {
      id: template.id ?? templateId,
      ...(marker ? { markerKey: marker.key, markerHash: marker.contentHash } : {}),
      contentHash: templateContentHash(stripTemplateMarker(html), text),
      html,
      text,
    };
  } catch (error) {
    if (error instanceof KlaviyoNotFoundError) return undefined;
    throw error;
  }
}
