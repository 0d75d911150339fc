/**
 * The scheduled refresh as the refresh workflow runs it: segment definitions edited in Klaviyo are
 * re-asserted, other drift is reported in one issue per brand, updated while it lasts and closed once it is
 * gone. The built Action in its own process, the fake GitHub, the sandbox as the brand's Klaviyo account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTemplateMarker } from '../../src/engine/markers.js';
import { parseDriftIssueMarker } from '../../src/views/github/index.js';
import { actionWorkspace, BOT, pushEvent, sha, type ActionWorkspace } from './workspace.js';

let ws: ActionWorkspace;
beforeEach(async () => {
  ws = await actionWorkspace();
});
afterEach(async () => {
  await ws.close();
});

const BRAND = 'trailhead';
const refresh = (inputs: Record<string, string> = {}) =>
  ws.run({
    command: 'refresh',
    brand: BRAND,
    eventName: 'schedule',
    event: { schedule: '17 6 * * *' },
    inputs,
  });
const driftIssues = () =>
  ws.github.issues().filter((i) => i.login === BOT && parseDriftIssueMarker(i.body) === BRAND);

async function find(kind: 'segments' | 'templates', test: (attributes: Record<string, unknown>) => boolean) {
  const client = ws.klaviyo(BRAND);
  const list = kind === 'segments' ? client.segments.list() : client.templates.list();
  for await (const item of list) if (test(item.attributes as Record<string, unknown>)) return item;
  throw new Error(`no such ${kind}`);
}

describe('the scheduled refresh', () => {
  it(
    're-asserts a segment edited in Klaviyo and keeps one drift issue until the drift is gone',
    { timeout: 180_000 },
    async () => {
      const applied = await ws.run({
        command: 'apply',
        brand: BRAND,
        eventName: 'push',
        event: pushEvent(sha('initial')),
        inputs: { 'on-unreviewed': 'apply' },
      });
      expect(applied.code, applied.summary).toBe(0);
      const client = ws.klaviyo(BRAND);

      // By hand in Klaviyo: a segment's definition loses a condition, and an email gets a new line.
      const segment = await find('segments', (a) => String(a.name).includes('[kg:engaged-90-days]'));
      const definition = segment.attributes.definition as { condition_groups: unknown[] };
      await client.segments.update(segment.id, {
        definition: { condition_groups: definition.condition_groups.slice(0, 1) } as never,
      });
      const template = await find(
        'templates',
        (a) => parseTemplateMarker(String(a.html ?? ''))?.key === 'welcome-1',
      );
      const html = String((template.attributes as Record<string, unknown>).html);
      await client.templates.update(template.id, { html: `${html}<p>hand edit</p>` });

      const first = await refresh();
      expect(first.code, first.summary).toBe(0);
      expect(first.outputs.drift).toBe('true');
      const restored = await client.segments.get(segment.id);
      expect(restored.attributes.definition).toEqual(definition);
      expect(first.summary).toContain('engaged-90-days');
      expect(driftIssues()).toHaveLength(1);
      const [issue] = driftIssues();
      expect(first.outputs['drift-issue-number']).toBe(String(issue!.number));
      expect(issue!.body).toContain('welcome-1');
      expect(issue!.state).toBe('open');

      // The next morning: still drifted, still one issue, brought up to date.
      const second = await refresh({ 'fail-on-drift': 'true' });
      expect(second.code).not.toBe(0);
      expect(driftIssues()).toHaveLength(1);
      expect(driftIssues()[0]!.number).toBe(issue!.number);

      // The email is put back as applied: the issue is closed with a comment.
      await client.templates.update(template.id, { html });
      const third = await refresh();
      expect(third.code, third.summary).toBe(0);
      expect(third.outputs.drift).toBe('false');
      expect(driftIssues()[0]!.state).toBe('closed');
      expect(ws.github.comments(issue!.number).some((c) => c.login === BOT && /resolved/i.test(c.body))).toBe(
        true,
      );
    },
  );
});
