/** Templates: name, HTML (our marker stripped), text, and protection (a flag in the marker). */
import type { DesiredTemplate } from '../../compile/desired-state.js';
import { stripTemplateMarker } from '../markers.js';
import type { DependentEffect, FieldChange, ResourcePlan } from '../plan.js';
import type { RemoteTemplate } from '../remote-model.js';
import { removalAction, supersededAction, templateBody, type DiffContext } from './context.js';
import { calls } from './cost.js';
import { change } from './fields.js';
import type { Match } from './match.js';
import { isProtected, remoteDisplayName, resourcePlan } from './resource.js';

export function diffTemplate(
  match: Match<DesiredTemplate, RemoteTemplate>,
  ctx: DiffContext,
  effects: DependentEffect[],
): ResourcePlan[] {
  const { desired, remote } = match;
  const superseded = match.superseded.map((old) =>
    resourcePlan({
      kind: 'template',
      key: match.key,
      name: old.name,
      remote: old,
      identity: 'html-marker',
      ...supersededAction('template'),
    }),
  );
  if (desired) {
    ctx.comparisons.set(`template:${desired.key}`, {
      desired: { name: desired.name, html: desired.html, text: desired.text },
      ...(remote
        ? { remote: { name: remote.name, html: stripTemplateMarker(remote.html), text: remote.text } }
        : {}),
    });
  }
  if (desired && !remote) {
    return [
      resourcePlan({
        kind: 'template',
        key: desired.key,
        name: desired.name,
        source: desired.source,
        action: { type: 'create', desired: templateBody(desired) },
        cost: calls(['create_template', 1]),
        effects,
      }),
      ...superseded,
    ];
  }
  if (!desired && remote) {
    return [
      resourcePlan({
        kind: 'template',
        key: match.key,
        name: remoteDisplayName(remote),
        remote,
        identity: 'html-marker',
        ...removalAction('template', ctx, isProtected(remote)),
      }),
      ...superseded,
    ];
  }
  if (!desired || !remote) return superseded;
  const body = templateBody(desired);
  const changes: FieldChange[] = [];
  if (remote.name !== desired.name) changes.push(change('name', remote.name, desired.name));
  const html = stripTemplateMarker(remote.html);
  if (html !== desired.html) changes.push(change('html', html, desired.html));
  if (remote.text !== desired.text) changes.push(change('text', remote.text, desired.text));
  const wasProtected = remote.marker?.preventDestroy ?? false;
  if (wasProtected !== desired.preventDestroy)
    changes.push(change('preventDestroy', wasProtected, desired.preventDestroy));
  // Same content under a marker whose hash says otherwise (written by hand or an older version): rewrite it.
  if (changes.length === 0 && remote.marker && remote.marker.contentHash !== body.contentHash) {
    changes.push(change('marker', remote.marker.contentHash, body.contentHash));
  }
  if (remote.editorType !== 'CODE') {
    ctx.problems.push({
      severity: 'warning',
      kind: 'template',
      key: desired.key,
      message: `template ${desired.key} uses Klaviyo's ${remote.editorType} editor; apply writes HTML (a CODE template)`,
    });
  }
  return [
    resourcePlan({
      kind: 'template',
      key: desired.key,
      name: desired.name,
      remote,
      identity: 'html-marker',
      source: desired.source,
      action: changes.length === 0 ? { type: 'noop' } : { type: 'update', changes, steps: [], desired: body },
      cost: changes.length === 0 ? [] : calls(['update_template', 1]),
      effects,
    }),
    ...superseded,
  ];
}
