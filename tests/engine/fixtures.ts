/** Small builders for desired and remote brand states, in the shapes compile and readRemoteState produce. */
import type {
  DesiredBrandState,
  DesiredFlow,
  DesiredList,
  DesiredSegment,
  DesiredTemplate,
} from '../../src/compile/desired-state.js';
import {
  embedTemplateMarker,
  templateContentHash,
  withNameMarker,
  OWNERSHIP_TAG,
} from '../../src/engine/markers.js';
import type {
  RemoteBrandState,
  RemoteFlow,
  RemoteFlowAction,
  RemoteList,
  RemoteSegment,
  RemoteTemplate,
} from '../../src/engine/remote-model.js';

const at = (file: string) => ({ file, line: 1, col: 1 });

export function desiredState(parts: Partial<DesiredBrandState> = {}): DesiredBrandState {
  return {
    brand: 'trailhead',
    accountId: 'TRLHD1',
    apiKeyVariable: 'KLAVIYO_API_KEY_TRAILHEAD',
    deletion: { list: 'retain', segment: 'retain', template: 'retain', flow: 'retain' },
    lists: [],
    segments: [],
    templates: [],
    flows: [],
    ...parts,
  };
}

export function remoteState(parts: Partial<RemoteBrandState> = {}): RemoteBrandState {
  return {
    accountId: 'TRLHD1',
    lists: [],
    segments: [],
    templates: [],
    flows: [],
    metrics: [{ id: 'MPLACE', name: 'Placed Order', integration: 'shopify' }],
    tagNames: [OWNERSHIP_TAG],
    appliedRecord: { state: 'absent' },
    ...parts,
  };
}

export function dList(key: string, name = key, extra: Partial<DesiredList> = {}): DesiredList {
  return { kind: 'list', key, name, source: at(`lists/${key}.yaml`), preventDestroy: false, ...extra };
}

export function rList(key: string, id: string, name = key, extra: Partial<RemoteList> = {}): RemoteList {
  return {
    kind: 'list',
    id,
    name: withNameMarker(name, key),
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-02T00:00:00+00:00',
    ownership: {
      type: 'managed',
      key,
      displayName: name,
      identity: 'name-marker',
      tagged: true,
      preventDestroy: false,
    },
    tags: [OWNERSHIP_TAG],
    ...extra,
  };
}

export function unmanagedList(id: string, name: string): RemoteList {
  return {
    kind: 'list',
    id,
    name,
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-01T00:00:00+00:00',
    ownership: { type: 'unmanaged' },
    tags: [],
  };
}

export const vipDefinition = {
  condition_groups: [
    {
      conditions: [
        {
          type: 'profile-metric',
          metric_id: '@metric:Placed Order',
          measurement: 'count',
          measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 3 },
          timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 365 },
        },
      ],
    },
    { conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['@list:newsletter'] }] },
  ],
};

export function dSegment(
  key: string,
  definition = vipDefinition,
  extra: Partial<DesiredSegment> = {},
): DesiredSegment {
  return {
    kind: 'segment',
    key,
    name: key.toUpperCase(),
    source: at(`segments/${key}.yaml`),
    preventDestroy: false,
    definition,
    isStarred: false,
    refs: [
      { kind: 'metric', key: 'Placed Order', pointer: '/condition_groups/0/conditions/0/metric_id' },
      { kind: 'list', key: 'newsletter', pointer: '/condition_groups/1/conditions/0/group_ids/0' },
    ],
    ...extra,
  };
}

/** The remote copy of a desired definition: placeholders replaced by the given ids. */
export function withIds<T>(value: T, ids: Record<string, string>): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v in ids ? ids[v] : v)),
  ) as T;
}

export function rSegment(
  key: string,
  id: string,
  definition: { condition_groups: unknown[] },
  extra: Partial<RemoteSegment> = {},
): RemoteSegment {
  return {
    kind: 'segment',
    id,
    name: withNameMarker(key.toUpperCase(), key),
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-03T00:00:00+00:00',
    ownership: {
      type: 'managed',
      key,
      displayName: key.toUpperCase(),
      identity: 'name-marker',
      tagged: true,
      preventDestroy: false,
    },
    definition,
    isStarred: false,
    isActive: true,
    tags: [OWNERSHIP_TAG],
    ...extra,
  };
}

export function dTemplate(key: string, html: string, extra: Partial<DesiredTemplate> = {}): DesiredTemplate {
  return {
    kind: 'template',
    key,
    name: `Template ${key}`,
    source: at(`templates/${key}.html`),
    preventDestroy: false,
    html,
    text: `text of ${key}`,
    subject: `Subject ${key}`,
    previewText: `Preview ${key}`,
    ...extra,
  };
}

export function rTemplate(
  key: string,
  id: string,
  html: string,
  text = `text of ${key}`,
  name = `Template ${key}`,
): RemoteTemplate {
  const marked = embedTemplateMarker(html, text, key, false);
  return {
    kind: 'template',
    id,
    name,
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-04T00:00:00+00:00',
    ownership: {
      type: 'managed',
      key,
      displayName: name,
      identity: 'html-marker',
      tagged: true,
      preventDestroy: false,
    },
    editorType: 'CODE',
    html: marked.html,
    text,
    marker: { key, contentHash: marked.contentHash, preventDestroy: false },
  };
}

/** A welcome flow: list trigger -> wait 1 day -> email (template welcome) [-> more steps]. */
export function welcomeDefinition(
  options: { subject?: string; wait?: number; extraStep?: boolean } = {},
): DesiredFlow['definition'] {
  const actions: DesiredFlow['definition']['actions'] = [
    {
      temporary_id: 'wait-1',
      type: 'time-delay',
      links: { next: 'email-1' },
      data: { unit: 'days', value: options.wait ?? 1 },
    },
    {
      temporary_id: 'email-1',
      type: 'send-email',
      links: { next: options.extraStep ? 'email-2' : null },
      data: {
        message: {
          from_email: 'hello@trailhead.example',
          from_label: 'Trailhead',
          subject_line: options.subject ?? 'Welcome!',
          preview_text: 'Glad you are here',
          template_id: '@template:welcome',
        },
      },
    },
  ];
  if (options.extraStep) {
    actions.push({
      temporary_id: 'email-2',
      type: 'send-email',
      links: { next: null },
      data: { message: { subject_line: 'Still there?', template_id: '@template:welcome' } },
    });
  }
  return { triggers: [{ type: 'list', id: '@list:newsletter' }], entry_action_id: 'wait-1', actions };
}

export function dFlow(
  key: string,
  definition = welcomeDefinition(),
  extra: Partial<DesiredFlow> = {},
): DesiredFlow {
  return {
    kind: 'flow',
    key,
    name: 'Welcome series',
    source: at(`flows/${key}.yaml`),
    preventDestroy: false,
    status: 'live',
    definition,
    refs: [
      { kind: 'list', key: 'newsletter', pointer: '/triggers/0/id' },
      { kind: 'template', key: 'welcome', pointer: '/actions/1/data/message/template_id' },
    ],
    steps: {},
    ...extra,
  };
}

/**
 * The flow as Klaviyo would hold it after creating `definition`: real ids (`A-<step>`), the list id, and each
 * email's template swapped for a copy (`C-<step>`) of the given content, with Klaviyo's materialised defaults.
 */
export function rFlow(
  key: string,
  id: string,
  definition: DesiredFlow['definition'],
  ids: Record<string, string>,
  copies: Record<string, { html: string; text: string; key?: string }>,
  extra: Partial<RemoteFlow> = {},
): RemoteFlow {
  const real = (step: unknown): unknown => (typeof step === 'string' ? `A-${step}` : step);
  const templateCopies: RemoteFlow['templateCopies'] = {};
  const actions: RemoteFlowAction[] = definition.actions.map((action) => {
    const data = withIds(structuredClone(action.data ?? {}), ids) as Record<string, unknown>;
    const message = data.message as Record<string, unknown> | undefined;
    if (message && typeof message.template_id === 'string') {
      const copy = copies[action.temporary_id];
      const copyId = `C-${action.temporary_id}`;
      message.template_id = copyId;
      message.id = `M-${action.temporary_id}`;
      message.name = `Email ${action.temporary_id}`;
      message.smart_sending_enabled = true;
      message.transactional = false;
      message.cc_email = null;
      if (copy) {
        templateCopies[copyId] = {
          id: copyId,
          ...(copy.key ? { markerKey: copy.key } : {}),
          contentHash: templateContentHash(copy.html, copy.text),
        };
      }
    }
    if (action.type === 'time-delay') data.timezone = 'profile';
    data.status = 'live';
    const links: Record<string, unknown> = {};
    for (const [slot, target] of Object.entries(action.links ?? {})) links[slot] = real(target);
    return { id: `A-${action.temporary_id}`, type: action.type, links, data };
  });
  return {
    kind: 'flow',
    id,
    name: withNameMarker('Welcome series', key),
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-05T00:00:00+00:00',
    ownership: {
      type: 'managed',
      key,
      displayName: 'Welcome series',
      identity: 'name-marker',
      tagged: true,
      preventDestroy: false,
    },
    status: 'live',
    archived: false,
    triggerType: 'Added to List',
    tags: [OWNERSHIP_TAG],
    definition: {
      triggers: withIds(definition.triggers, ids),
      profile_filter: null,
      entry_action_id: real(definition.entry_action_id) as string,
      actions,
    },
    templateCopies,
    ...extra,
  };
}
