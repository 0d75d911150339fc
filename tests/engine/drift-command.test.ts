import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAsCli } from '../../src/commands/cli-outcome.js';
import { runDrift } from '../../src/commands/drift.js';
import { buildDesiredState } from '../../src/compile/index.js';
import type { DriftReport } from '../../src/engine/drift.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { writeProject } from './project.js';
import { clientFor, instantClock, SANDBOX_KEY, seed } from './sandbox-helpers.js';

const deps = { targets: { client: { clock: instantClock(), timeoutMs: 3_600_000 } } };

describe('drift command', () => {
  let cwd: string;
  let sandbox: RunningSandbox;
  let ids: Record<string, string>;
  beforeEach(async () => {
    cwd = await writeProject();
    sandbox = await startSandbox({
      port: 0,
      accounts: { [SANDBOX_KEY]: 'ACME01' },
      enforceRateLimits: false,
    });
    const client = clientFor(sandbox);
    await client.events.create({
      data: {
        type: 'event',
        attributes: {
          properties: {},
          metric: { data: { type: 'metric', attributes: { name: 'Placed Order' } } },
          profile: { data: { type: 'profile', attributes: { email: 'a@example.com' } } },
        },
      },
    });
    const { states } = await buildDesiredState({ cwd, dir: 'marketing' });
    ids = await seed(client, states[0]!);
  });
  afterEach(async () => {
    await sandbox.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const run = (failOnDrift: boolean, json = false) => {
    const ctx = {
      cwd,
      env: { KLAVIYO_API_KEY: SANDBOX_KEY, KLAVIYO_BASE_URL: sandbox.url },
      progress: () => undefined,
    };
    return runAsCli(runDrift({ dir: 'marketing', failOnDrift }, ctx, deps), { json }, ctx);
  };

  it('reports no drift when Klaviyo matches', async () => {
    const outcome = await run(true);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('No drift: Klaviyo matches the repository.');
  });

  it('reports a hand edit per field and exits 2 with --fail-on-drift', async () => {
    const client = clientFor(sandbox);
    const flow = await client.flows.get(ids['flow:welcome']!);
    type Action = { id: string; type: string; data: { message: { subject_line: string } } };
    const definition = (flow.attributes as unknown as { definition: { actions: Action[] } }).definition;
    const email = definition.actions.find((a) => a.type === 'send-email')!;
    email.data.message.subject_line = 'Edited in the Klaviyo UI';
    await client.flows.updateAction(email.id, email as never);
    await client.segments.update(ids['segment:vip']!, { is_starred: true });

    const outcome = await run(true, true);
    expect(outcome.exitCode).toBe(2);
    const report = JSON.parse(outcome.stdout) as DriftReport;
    expect(report.drifted).toBe(true);
    const items = report.brands[0]!.items;
    expect(items).toContainEqual(
      expect.objectContaining({
        kind: 'flow',
        key: 'welcome',
        state: 'differs',
        fix: 'update',
        fields: [
          {
            path: 'steps.email-1.data.message.subject_line',
            klaviyo: 'Edited in the Klaviyo UI',
            repository: "Welcome, {{ first_name|default:'friend' }}",
          },
        ],
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        kind: 'segment',
        key: 'vip',
        fields: [{ path: 'isStarred', klaviyo: true, repository: false }],
      }),
    );
    expect((await run(false)).exitCode).toBe(0);
  });

  it('reports a managed object deleted by hand as missing', async () => {
    await clientFor(sandbox).lists.delete(ids['list:newsletter']!);
    const outcome = await run(true);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toContain('list newsletter "Newsletter" is in the repository but not in Klaviyo');
  });
});
