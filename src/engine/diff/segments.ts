/** Segments: name, definition (an update sends the whole definition), starred, our tags. */
import type { DesiredSegment } from '../../compile/desired-state.js';
import { normalizeConditions } from '../normalize.js';
import type { FieldChange, ResourcePlan } from '../plan.js';
import type { RemoteSegment } from '../remote-model.js';
import { desiredTags, removalAction, segmentBody, supersededAction, type DiffContext } from './context.js';
import { createCost, updateCost } from './cost.js';
import { change } from './fields.js';
import type { Match } from './match.js';
import { isProtected, ourTags, remoteDisplayName, resourcePlan, tagChange } from './resource.js';
import { deepEqual } from '../normalize.js';

export function diffSegment(match: Match<DesiredSegment, RemoteSegment>, ctx: DiffContext): ResourcePlan[] {
  const { desired, remote } = match;
  const superseded = match.superseded.map((old) =>
    resourcePlan({
      kind: 'segment',
      key: match.key,
      name: remoteDisplayName(old),
      remote: old,
      identity: 'name-marker',
      ...supersededAction('segment'),
    }),
  );
  if (desired && !remote) {
    ctx.comparisons.set(`segment:${desired.key}`, {
      desired: {
        name: desired.name,
        definition: normalizeConditions(desired.definition, ctx.index),
        isStarred: desired.isStarred,
      },
    });
    return [
      resourcePlan({
        kind: 'segment',
        key: desired.key,
        name: desired.name,
        source: desired.source,
        action: { type: 'create', desired: segmentBody(desired) },
        cost: createCost('segment', desiredTags(desired.preventDestroy)),
      }),
      ...superseded,
    ];
  }
  if (!desired && remote) {
    return [
      resourcePlan({
        kind: 'segment',
        key: match.key,
        name: remoteDisplayName(remote),
        remote,
        identity: match.identity,
        ...removalAction('segment', ctx, isProtected(remote)),
      }),
      ...superseded,
    ];
  }
  if (!desired || !remote) return superseded;
  const body = segmentBody(desired);
  const tagsBefore = ourTags(remote.tags);
  const tagsAfter = desiredTags(desired.preventDestroy);
  const changes: FieldChange[] = [];
  if (remote.name !== body.klaviyoName) changes.push(change('name', remote.name, body.klaviyoName));
  const before = normalizeConditions(remote.definition, ctx.index);
  const after = normalizeConditions(desired.definition, ctx.index);
  ctx.comparisons.set(`segment:${desired.key}`, {
    desired: { name: desired.name, definition: after, isStarred: desired.isStarred },
    remote: { name: remoteDisplayName(remote), definition: before, isStarred: remote.isStarred },
  });
  if (!deepEqual(before, after)) changes.push(change('definition', before, after));
  if (remote.isStarred !== desired.isStarred)
    changes.push(change('isStarred', remote.isStarred, desired.isStarred));
  changes.push(...tagChange(tagsBefore, tagsAfter));
  if (!remote.isActive) {
    ctx.problems.push({
      severity: 'warning',
      kind: 'segment',
      key: desired.key,
      message: `segment ${desired.key} is inactive in Klaviyo; apply does not reactivate it`,
    });
  }
  return [
    resourcePlan({
      kind: 'segment',
      key: desired.key,
      name: desired.name,
      remote,
      identity: match.identity,
      source: desired.source,
      action: changes.length === 0 ? { type: 'noop' } : { type: 'update', changes, steps: [], desired: body },
      cost: changes.length === 0 ? [] : updateCost('segment', changes, tagsBefore, tagsAfter),
    }),
    ...superseded,
  ];
}
