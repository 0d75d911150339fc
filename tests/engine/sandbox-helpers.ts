/**
 * Test helpers around the in-process sandbox: a client on an instant clock, and a seeding routine that puts
 * a desired state into an account the way apply would (markers, tags, template copies), for read/diff tests.
 */
import type { DesiredBrandState } from '../../src/compile/desired-state.js';
import { KlaviyoClient, type KlaviyoClientEvent } from '../../src/klaviyo/index.js';
import { embedTemplateMarker, OWNERSHIP_TAG, TAG_GROUP, withNameMarker } from '../../src/engine/markers.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

/** The request timeout the test clients use; the instant clock recognises the transport's timer by it. */
const REQUEST_TIMEOUT_MS = 3_600_000;

/**
 * A clock on virtual time: waits return at once and advance it, except the transport's request timer, which
 * only ends when aborted (the in-process sandbox answers long before any real timeout).
 */
export function instantClock() {
  let now = Date.UTC(2026, 6, 20, 12, 0, 0);
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) => {
      if (ms < REQUEST_TIMEOUT_MS) {
        now += Math.max(0, ms);
        return Promise.resolve();
      }
      return new Promise<void>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}

export const SANDBOX_KEY = 'pk_sandbox_trailhead_test';

/** The sandbox's own time, moved by tests (Klaviyo's `updated` stamps come from it). */
export class SandboxTime {
  constructor(public ms = Date.UTC(2026, 6, 1, 9, 0, 0)) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export async function sandboxWithAccount(
  accountId = 'TRLHD1',
  time = new SandboxTime(),
): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    accounts: { [SANDBOX_KEY]: accountId },
    enforceRateLimits: false,
    clock: time,
  });
}

export function clientFor(
  sandbox: RunningSandbox,
  events?: KlaviyoClientEvent[],
  apiKey = SANDBOX_KEY,
): KlaviyoClient {
  return new KlaviyoClient({
    apiKey,
    baseUrl: sandbox.url,
    clock: instantClock(),
    timeoutMs: REQUEST_TIMEOUT_MS,
    ...(events ? { onEvent: (event: KlaviyoClientEvent) => void events.push(event) } : {}),
  });
}

function resolvePlaceholders<T>(value: T, ids: Record<string, string>): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v !== 'string' || !v.startsWith('@')) return v;
      const id = ids[v.slice(1)];
      if (id === undefined) throw new Error(`seed: no id for ${v}`);
      return id;
    }),
  ) as T;
}

/** Creates every object of `desired` in the sandbox account, tagged and marked. Returns `kind:key` -> id. */
export async function seed(
  client: KlaviyoClient,
  desired: DesiredBrandState,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for await (const metric of client.metrics.list())
    ids[`metric:${String(metric.attributes.name)}`] = metric.id;
  const { tag } = await client.tags.ensure(OWNERSHIP_TAG, { groupName: TAG_GROUP });
  for (const list of desired.lists) {
    const created = await client.lists.create({
      data: { type: 'list', attributes: { name: withNameMarker(list.name, list.key) } },
    });
    ids[`list:${list.key}`] = created.id;
    await client.tags.tagLists(tag.id, [created.id]);
  }
  for (const segment of desired.segments) {
    const created = await client.segments.create({
      data: {
        type: 'segment',
        attributes: {
          name: withNameMarker(segment.name, segment.key),
          definition: resolvePlaceholders(segment.definition, ids) as never,
          is_starred: segment.isStarred,
        },
      },
    });
    ids[`segment:${segment.key}`] = created.id;
    await client.tags.tagSegments(tag.id, [created.id]);
  }
  for (const template of desired.templates) {
    const { html } = embedTemplateMarker(template.html, template.text, template.key, template.preventDestroy);
    const created = await client.templates.create({
      data: {
        type: 'template',
        attributes: { name: template.name, editor_type: 'CODE', html, text: template.text },
      },
    });
    ids[`template:${template.key}`] = created.id;
  }
  for (const flow of desired.flows) {
    const created = await client.flows.create({
      data: {
        type: 'flow',
        attributes: {
          name: withNameMarker(flow.name, flow.key),
          definition: resolvePlaceholders(flow.definition, ids) as never,
        },
      },
    });
    ids[`flow:${flow.key}`] = created.id;
    await client.tags.tagFlows(tag.id, [created.id]);
    if (flow.status !== 'draft') await client.flows.updateStatus(created.id, flow.status);
  }
  return ids;
}
