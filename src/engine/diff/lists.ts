/** Lists: the name (marker included) and our tags. */
import type { DesiredList } from '../../compile/desired-state.js';
import type { ResourcePlan } from '../plan.js';
import type { RemoteList } from '../remote-model.js';
import { desiredTags, listBody, removalAction, supersededAction, type DiffContext } from './context.js';
import { createCost, updateCost } from './cost.js';
import { change } from './fields.js';
import type { Match } from './match.js';
import { isProtected, ourTags, remoteDisplayName, resourcePlan, tagChange } from './resource.js';

export function diffList(match: Match<DesiredList, RemoteList>, ctx: DiffContext): ResourcePlan[] {
  const { desired, remote } = match;
  const superseded = match.superseded.map((old) =>
    resourcePlan({
      kind: 'list',
      key: match.key,
      name: remoteDisplayName(old),
      remote: old,
      identity: 'name-marker',
      ...supersededAction('list'),
    }),
  );
  if (desired)
    ctx.comparisons.set(`list:${desired.key}`, {
      desired: { name: desired.name },
      ...(remote ? { remote: { name: remoteDisplayName(remote) } } : {}),
    });
  if (desired && !remote) {
    const body = listBody(desired);
    return [
      resourcePlan({
        kind: 'list',
        key: desired.key,
        name: desired.name,
        source: desired.source,
        action: { type: 'create', desired: body },
        cost: createCost('list', desiredTags(desired.preventDestroy)),
      }),
      ...superseded,
    ];
  }
  if (!desired && remote) {
    return [
      resourcePlan({
        kind: 'list',
        key: match.key,
        name: remoteDisplayName(remote),
        remote,
        identity: match.identity,
        ...removalAction('list', ctx, isProtected(remote)),
      }),
      ...superseded,
    ];
  }
  if (!desired || !remote) return superseded;
  const body = listBody(desired);
  const tagsBefore = ourTags(remote.tags);
  const tagsAfter = desiredTags(desired.preventDestroy);
  const changes = [
    ...(remote.name !== body.klaviyoName ? [change('name', remote.name, body.klaviyoName)] : []),
    ...tagChange(tagsBefore, tagsAfter),
  ];
  return [
    resourcePlan({
      kind: 'list',
      key: desired.key,
      name: desired.name,
      remote,
      identity: match.identity,
      source: desired.source,
      action: changes.length === 0 ? { type: 'noop' } : { type: 'update', changes, steps: [], desired: body },
      cost: changes.length === 0 ? [] : updateCost('list', changes, tagsBefore, tagsAfter),
    }),
    ...superseded,
  ];
}
