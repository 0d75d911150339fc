import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KlaviyoClientEvent } from '../../src/klaviyo/index.js';
import { diffBrand } from '../../src/engine/diff/index.js';
import { AccountMismatchError, readRemoteState } from '../../src/engine/remote-state.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { dFlow, dList, desiredState, dSegment, dTemplate } from './fixtures.js';
import { clientFor, sandboxWithAccount, SandboxTime, seed } from './sandbox-helpers.js';

const html = '<!DOCTYPE html>\n<html><body><p>Hi {{ first_name }}</p>{% unsubscribe %}</body></html>';

function brand() {
  return desiredState({
    lists: [dList('newsletter', 'Newsletter')],
    segments: [
      dSegment(
        'vip',
        {
          condition_groups: [
            {
              conditions: [
                { type: 'profile-group-membership', is_member: true, group_ids: ['@list:newsletter'] },
              ],
            },
          ],
        },
        {
          refs: [
            { kind: 'list', key: 'newsletter', pointer: '/condition_groups/0/conditions/0/group_ids/0' },
          ],
        },
      ),
    ],
    templates: [dTemplate('welcome', html)],
    flows: [dFlow('welcome')],
  });
}

describe('readRemoteState', () => {
  let sandbox: RunningSandbox;
  let cacheDir: string;
  let time: SandboxTime;
  /** Reading a day after the sandbox's clock: every stamp has settled. */
  const later = () => time.ms + 24 * 3600 * 1000;
  beforeEach(async () => {
    time = new SandboxTime();
    sandbox = await sandboxWithAccount('TRLHD1', time);
    cacheDir = await mkdtemp(join(tmpdir(), 'kg-cache-'));
  });
  afterEach(async () => {
    await sandbox.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('reads back what apply writes as in sync: markers, tags, template copies, defaults', async () => {
    const client = clientFor(sandbox);
    const desired = brand();
    await seed(client, desired);
    const remote = await readRemoteState({ client, brand: 'trailhead', accountId: 'TRLHD1' });
    expect(remote.flows[0]?.ownership).toMatchObject({ type: 'managed', key: 'welcome', tagged: true });
    expect(Object.values(remote.flows[0]!.templateCopies)).toEqual([
      expect.objectContaining({ markerKey: 'welcome' }),
    ]);
    const plan = diffBrand(desired, remote);
    expect(plan.problems).toEqual([]);
    expect(plan.resources.map((r) => `${r.kind}:${r.key}:${r.action.type}`)).toEqual([
      'list:newsletter:noop',
      'segment:vip:noop',
      'template:welcome:noop',
      'flow:welcome:noop',
    ]);
  });

  it('refuses a key of another account before reading anything else', async () => {
    const events: KlaviyoClientEvent[] = [];
    const client = clientFor(sandbox, events);
    const error = await readRemoteState({ client, brand: 'trailhead', accountId: 'OTHER9' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AccountMismatchError);
    expect((error as Error).message).toBe(
      'brand trailhead: the API key belongs to Klaviyo account TRLHD1, but the brand is configured for account OTHER9; refusing to continue',
    );
    const operations = events
      .filter((e) => e.type === 'request')
      .map((e) => (e as { operationId?: string }).operationId);
    expect(operations).toEqual(['get_accounts']);
    expect(sandbox.requestLog.filter((entry) => entry.method !== 'GET')).toEqual([]);
  });

  it('reads flow definitions once: an unchanged flow comes from the cache', async () => {
    const client = clientFor(sandbox);
    await seed(client, brand());
    const first: KlaviyoClientEvent[] = [];
    await readRemoteState({
      client: clientFor(sandbox, first),
      brand: 'trailhead',
      accountId: 'TRLHD1',
      cacheDir,
      now: later,
    });
    const second: KlaviyoClientEvent[] = [];
    const remote = await readRemoteState({
      client: clientFor(sandbox, second),
      brand: 'trailhead',
      accountId: 'TRLHD1',
      cacheDir,
      now: later,
    });
    const count = (events: KlaviyoClientEvent[], op: string) =>
      events.filter((e) => e.type === 'request' && e.operationId === op).length;
    expect(count(first, 'get_flow')).toBe(1);
    expect(count(first, 'get_template_for_flow_message')).toBe(1);
    expect(count(second, 'get_flow')).toBe(0);
    expect(count(second, 'get_template_for_flow_message')).toBe(0);
    expect(remote.flows[0]?.definition?.actions).toHaveLength(2);
    expect(await readdir(join(cacheDir, 'TRLHD1', 'flows'))).toHaveLength(1);
  });

  it('re-reads a flow whose updated stamp moved', async () => {
    const client = clientFor(sandbox);
    const ids = await seed(client, brand());
    await readRemoteState({ client, brand: 'trailhead', accountId: 'TRLHD1', cacheDir, now: later });
    time.advance(60_000);
    await client.flows.updateStatus(ids['flow:welcome']!, 'draft');
    const events: KlaviyoClientEvent[] = [];
    const remote = await readRemoteState({
      client: clientFor(sandbox, events),
      brand: 'trailhead',
      accountId: 'TRLHD1',
      cacheDir,
      now: later,
    });
    expect(events.filter((e) => e.type === 'request' && e.operationId === 'get_flow')).toHaveLength(1);
    expect(remote.flows[0]?.status).toBe('draft');
  });

  it('does not cache a definition whose stamp is too fresh to trust', async () => {
    const client = clientFor(sandbox);
    await seed(client, brand());
    await readRemoteState({ client, brand: 'trailhead', accountId: 'TRLHD1', cacheDir, now: () => time.ms });
    const events: KlaviyoClientEvent[] = [];
    await readRemoteState({
      client: clientFor(sandbox, events),
      brand: 'trailhead',
      accountId: 'TRLHD1',
      cacheDir,
      now: () => time.ms,
    });
    expect(events.filter((e) => e.type === 'request' && e.operationId === 'get_flow')).toHaveLength(1);
  });

  it('does not read the definitions of flows that are not ours', async () => {
    const client = clientFor(sandbox);
    const desired = brand();
    await seed(client, desired);
    const ids = await seed(client, desiredState({ flows: [], lists: [], templates: [] }));
    expect(ids).toBeDefined();
    // A marketer's own flow: no marker, no tag.
    const templateId = (
      await client.templates.create({
        data: { type: 'template', attributes: { name: 'Hand made', editor_type: 'CODE', html: '<p>x</p>' } },
      })
    ).id;
    await client.flows.create({
      data: {
        type: 'flow',
        attributes: {
          name: 'Hand made flow',
          definition: {
            triggers: [{ type: 'metric', id: Object.values(await listMetricIds(client))[0]! }],
            entry_action_id: 'e1',
            actions: [
              {
                temporary_id: 'e1',
                type: 'send-email',
                links: { next: null },
                data: { message: { template_id: templateId } },
              },
            ],
          } as never,
        },
      },
    });
    const events: KlaviyoClientEvent[] = [];
    const remote = await readRemoteState({
      client: clientFor(sandbox, events),
      brand: 'trailhead',
      accountId: 'TRLHD1',
    });
    expect(events.filter((e) => e.type === 'request' && e.operationId === 'get_flow')).toHaveLength(1);
    const plan = diffBrand(desired, remote);
    expect(plan.unmanaged).toEqual({ list: 0, segment: 0, template: 1, flow: 1 });
    expect(plan.resources.every((r) => r.action.type === 'noop')).toBe(true);
  });
});

async function listMetricIds(client: ReturnType<typeof clientFor>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const metric of client.metrics.list()) out[String(metric.attributes.name)] = metric.id;
  return out;
}
