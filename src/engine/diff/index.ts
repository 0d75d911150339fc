/**
 * `(desired, remote) -> BrandPlan`: a pure function. Objects without our marker are counted, never touched.
 */
import type { DesiredBrandState } from '../../compile/desired-state.js';
import { operationById } from '../../klaviyo/spec/operations.js';
import { ARCHIVED_TAG, MARKER_TAGS, OWNERSHIP_TAG, PROTECTED_TAG, templateContentHash } from '../markers.js';
import {
  addCalls,
  dailyCapUse,
  finishBrandPlan,
  RESOURCE_KINDS,
  type ApiCall,
  type BrandPlan,
  type DependentEffect,
  type PlanProblem,
  type ResourceKind,
  type ResourcePlan,
} from '../plan.js';
import type { RemoteBrandState, RemoteMetric, RemoteResource } from '../remote-model.js';
import type { DiffContext } from './context.js';
import { calls } from './cost.js';
import { diffFlow } from './flows.js';
import { diffList } from './lists.js';
import { diffMappedMetrics } from './mapped-metrics.js';
import { markHandEdits } from './hand-edits.js';
import { matchResources, type Match } from './match.js';
import { diffSegment } from './segments.js';
import { diffTemplate } from './templates.js';

export interface DiffOptions {
  /** An operation's daily cap; defaults to the vendored spec's `x-klaviyo-ratelimit.daily`. */
  dailyCapOf?: (operationId: string) => number | undefined;
}

function specDailyCap(operationId: string): number | undefined {
  try {
    return operationById(operationId).rateLimit.dailyCap;
  } catch {
    return undefined;
  }
}

export function diffBrand(
  desired: DesiredBrandState,
  remote: RemoteBrandState,
  options: DiffOptions = {},
): BrandPlan {
  const problems: PlanProblem[] = [];
  const record = remote.appliedRecord.state === 'found' ? remote.appliedRecord.record : undefined;
  if (remote.appliedRecord.state === 'unreadable') {
    problems.push({
      severity: 'warning',
      message: `the applied record (template ${remote.appliedRecord.templateId}) cannot be read: ${remote.appliedRecord.reason}; edits made in Klaviyo cannot be told from code changes until the next apply rewrites it`,
    });
  }
  const lists = matchResources('list', desired.lists, remote.lists, record);
  const segments = matchResources('segment', desired.segments, remote.segments, record);
  const templates = matchResources('template', desired.templates, remote.templates, record);
  const flows = matchResources('flow', desired.flows, remote.flows, record);
  problems.push(...lists.problems, ...segments.problems, ...templates.problems, ...flows.problems);

  const ctx: DiffContext = {
    index: new Map(),
    ids: {},
    templateHashes: new Map(),
    templateByHash: new Map(),
    deletion: desired.deletion,
    problems,
    comparisons: new Map(),
  };
  const indexMatches = (kind: ResourceKind, matches: Array<Match<unknown, { id: string }>>): void => {
    for (const match of matches) {
      if (!match.remote) continue;
      ctx.ids[`${kind}:${match.key}`] = match.remote.id;
      for (const object of [match.remote, ...match.superseded])
        ctx.index.set(object.id, `@${kind}:${match.key}`);
    }
  };
  indexMatches('list', lists.matches);
  indexMatches('segment', segments.matches);
  indexMatches('template', templates.matches);
  indexMatches('flow', flows.matches);
  indexMetrics(remote.metrics, ctx);

  const hashCount = new Map<string, number>();
  for (const template of desired.templates) {
    const hash = templateContentHash(template.html, template.text);
    ctx.templateHashes.set(template.key, hash);
    hashCount.set(hash, (hashCount.get(hash) ?? 0) + 1);
  }
  for (const [key, hash] of ctx.templateHashes)
    if (hashCount.get(hash) === 1) ctx.templateByHash.set(hash, key);

  checkMetricRefs(desired, ctx);

  const resources: ResourcePlan[] = [];
  for (const match of lists.matches) resources.push(...diffList(match, ctx));
  for (const match of segments.matches) resources.push(...diffSegment(match, ctx));
  const flowResources: ResourcePlan[] = [];
  const effectsByTemplate = new Map<string, DependentEffect[]>();
  for (const match of flows.matches) {
    const result = diffFlow(match, ctx);
    flowResources.push(...result.resources);
    for (const { template, effect } of result.effects) {
      effectsByTemplate.set(template, [...(effectsByTemplate.get(template) ?? []), effect]);
    }
  }
  for (const match of templates.matches) {
    resources.push(...diffTemplate(match, ctx, effectsByTemplate.get(match.key) ?? []));
  }
  resources.push(...flowResources);
  // After every other kind: the metric ids it needs are indexed, and its hand edits are marked below.
  const mapped = diffMappedMetrics(
    desired.mappedMetrics ?? [],
    remote.mappedMetrics ?? [],
    desired.accountId,
    ctx,
  );
  for (const resource of mapped) {
    const slot = remote.mappedMetrics?.find((m) => m.id === resource.key);
    markHandEdits(resource, ctx.comparisons.get(`mapped-metric:${resource.key}`), slot, record);
  }
  const matched = new Map<string, Match<unknown, RemoteResource>>();
  for (const [kind, result] of [
    ['list', lists],
    ['segment', segments],
    ['template', templates],
    ['flow', flows],
  ] as const) {
    for (const match of result.matches) matched.set(`${kind}:${match.key}`, match);
  }
  for (const resource of resources) {
    const key = `${resource.kind}:${resource.key}`;
    const match = matched.get(key);
    // Superseded duplicates share the key but are not the matched object: they get no prints.
    if (resource.remote && match?.remote && resource.remote.id !== match.remote.id) continue;
    markHandEdits(resource, ctx.comparisons.get(key), match?.remote, record);
    if (match?.relink) resource.relink = match.relink;
  }
  resources.push(...mapped);
  resources.sort(
    (a, b) => RESOURCE_KINDS.indexOf(a.kind) - RESOURCE_KINDS.indexOf(b.kind) || a.key.localeCompare(b.key),
  );

  const setup = tagSetupCalls(resources, remote.tagNames);
  const allCalls = addCalls([...resources.flatMap((r) => r.cost), ...setup]);
  return finishBrandPlan({
    brand: desired.brand,
    accountId: desired.accountId,
    resources,
    ids: sortedRecord(ctx.ids),
    cost: { calls: allCalls, dailyCaps: dailyCapUse(allCalls, options.dailyCapOf ?? specDailyCap) },
    unmanaged: {
      list: lists.unmanaged,
      segment: segments.unmanaged,
      template: templates.unmanaged,
      flow: flows.unmanaged,
    },
    problems,
  });
}

/** Metric ids by name. Several metrics can share a name (one per integration): the Klaviyo one, else the first. */
function indexMetrics(metrics: readonly RemoteMetric[], ctx: DiffContext): void {
  const byName = new Map<string, RemoteMetric[]>();
  for (const metric of metrics) byName.set(metric.name, [...(byName.get(metric.name) ?? []), metric]);
  for (const [name, group] of byName) {
    group.sort(
      (a, b) =>
        Number(b.integration === 'klaviyo') - Number(a.integration === 'klaviyo') || a.id.localeCompare(b.id),
    );
    ctx.ids[`metric:${name}`] = group[0]!.id;
    for (const metric of group) ctx.index.set(metric.id, `@metric:${name}`);
  }
}

function checkMetricRefs(desired: DesiredBrandState, ctx: DiffContext): void {
  const missing = new Map<string, string[]>();
  for (const object of [...desired.segments, ...desired.flows]) {
    for (const ref of object.refs) {
      if (ref.kind !== 'metric' || ctx.ids[`metric:${ref.key}`] !== undefined) continue;
      missing.set(ref.key, [...new Set([...(missing.get(ref.key) ?? []), `${object.kind} ${object.key}`])]);
    }
  }
  // A new account lacks the store's metrics until the store sends them: say why and what to do, not just "missing".
  for (const [name, users] of missing) {
    ctx.problems.push({
      severity: 'error',
      message:
        `metric '${name}' does not exist in account ${desired.accountId} (used by ${users.join(', ')}). ` +
        'Klaviyo creates a metric when the store integration sends its first event of it, so an account whose ' +
        `store is not connected yet lacks it. Connect the store integration, or send one test event of '${name}' ` +
        'to the account, then plan again; or run against the local sandbox (--target sandbox), which creates ' +
        'the metrics itself.',
    });
  }
}

/** Creating our tag group and tags the first time a plan needs them. */
function tagSetupCalls(resources: readonly ResourcePlan[], existing: readonly string[]): ApiCall[] {
  const needed = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'template') continue;
    const a = r.action;
    if (a.type === 'create' || a.type === 'update' || a.type === 'replace') {
      needed.add(OWNERSHIP_TAG);
      if (a.desired.preventDestroy) needed.add(PROTECTED_TAG);
    }
    if ((a.type === 'replace' && a.retire === 'archive') || (a.type === 'orphan' && a.policy === 'archive')) {
      needed.add(ARCHIVED_TAG);
    }
  }
  const missing = [...needed].filter((tag) => !existing.includes(tag));
  if (missing.length === 0) return [];
  const groupExists = MARKER_TAGS.some((tag) => existing.includes(tag));
  return calls(['create_tag_group', groupExists ? 0 : 1], ['create_tag', missing.length]);
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
