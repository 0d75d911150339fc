/**
 * Who approves an apply: a 'yes' at a terminal, `--auto-approve`, or the review of a plan file. Without any of
 * them apply refuses before its first write, in-process and as the real CLI with stdin not a terminal.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Interactive } from '../../src/commands/command.js';
import { editNorth, FIXTURE, prepareNorth, SPARE_TEMPLATE } from '../engine/e2e/edits.js';
import { openWorkspace, runRecords, writesSince, type Workspace } from '../engine/e2e/harness.js';

const CLI = resolve(import.meta.dirname, '../../action/cli.js');
const QUESTION = "Apply these changes to north? Only 'yes' is accepted: ";

/** A terminal that answers `answer` and keeps what it was shown. */
function terminal(answer: string): Interactive & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: (text) => {
      asked.push(text);
      return Promise.resolve(answer);
    },
  };
}

/** Everything applied, then a pull request's edits plus a new first step in the live welcome flow (a replace). */
async function appliedThenEdited(ws: Workspace): Promise<void> {
  await prepareNorth(ws.dir);
  expect((await ws.apply()).exitCode).toBe(0);
  await editNorth(ws.dir);
  const welcome = join(ws.dir, 'brands/north/flows/welcome.yaml');
  const text = await readFile(welcome, 'utf8');
  await writeFile(
    welcome,
    text.replace('  - id: welcome-1\n', '  - id: settle\n    wait: { hours: 1 }\n  - id: welcome-1\n'),
  );
}

describe('apply asks before it writes', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('refuses with no terminal and no --auto-approve, before any write, showing the plan', async () => {
    ws = await openWorkspace(FIXTURE);
    const before = ws.sandbox.requestLog.length;
    const refused = await ws.apply({ autoApprove: false });
    expect(refused.exitCode).toBe(1);
    // The target line is said once, on stderr, before anything is read; stdout starts with the plan.
    expect(refused.stdout).toMatch(/^brand north \(account NORTH1\): /);
    expect(refused.stdout).toContain('\nPlan: +16 ~0 -0\n');
    expect(refused.stdout).toMatch(
      /Refused: apply asks before it writes, and there is no terminal to ask\. Review the changes with `klaviyo-gitops plan`, then run `klaviyo-gitops apply --auto-approve` \(or .*`klaviyo-gitops apply --plan output\/plan\.json`\)\. Nothing was written\.$/,
    );
    expect(writesSince(ws, before)).toEqual([]);
    expect((await runRecords(ws.cwd)).map((r) => r.outcome)).toEqual(['refused']);
  });

  it('does nothing unless the terminal answers exactly yes; the question calls out the live flow replaced and the delete', async () => {
    ws = await openWorkspace(FIXTURE);
    await appliedThenEdited(ws);
    const welcomeId = Object.values(ws.account('north').flows).find((f) =>
      f.name.endsWith('[kg:welcome]'),
    )!.id;
    const before = ws.sandbox.requestLog.length;

    for (const answer of ['no', 'y', '']) {
      const asked = terminal(answer);
      const cancelled = await ws.apply(
        { allowDestroy: true, autoApprove: false },
        {},
        { interactive: asked },
      );
      expect(cancelled).toEqual({ exitCode: 1, stdout: 'Apply cancelled: nothing was written.' });
      expect(asked.asked).toHaveLength(1);
    }
    expect(writesSince(ws, before)).toEqual([]);
    expect((await runRecords(ws.cwd)).map((r) => r.outcome).slice(-3)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);

    const asked = terminal('yes');
    const applied = await ws.apply({ allowDestroy: true, autoApprove: false }, {}, { interactive: asked });
    expect(applied.exitCode).toBe(0);
    const [text] = asked.asked;
    // The plan, then one line per change that cannot be undone, right above the question (south has no changes).
    const lines = text!.split('\n');
    expect(lines.at(-1)).toBe(QUESTION);
    expect(text).toContain('\nPlan: +0 ~3 -1, 2 replace\n');
    const callouts = lines.filter((l) => l.startsWith('! brand'));
    expect(callouts).toEqual([
      `! brand north: deletes template ${SPARE_TEMPLATE} "Spare coupon" (${callouts[0]!.match(/\((\w+)\)$/)?.[1]})`,
      expect.stringMatching(
        /^! brand north: replaces manual flow vip "VIP welcome" \(\w+\): profiles waiting in its delays stop there; the old flow is kept in draft$/,
      ),
      `! brand north: replaces live flow welcome "Welcome series" (${welcomeId}): profiles waiting in its delays stop there; the old flow is kept in draft`,
    ]);
    expect(lines.slice(-callouts.length - 1, -1)).toEqual(callouts);
    // What the terminal showed is not printed again.
    expect(applied.stdout).not.toContain('Plan:');
    expect(applied.stdout).toMatch(/^brand north \(account \w+\):/);
    expect(applied.stdout).toMatch(/Apply complete: 0 created, 3 updated, 2 replaced, 1 deleted\.$/);

    // Nothing left to change: no question, and no approval needed.
    const noChanges = terminal('no');
    expect((await ws.apply({ autoApprove: false }, {}, { interactive: noChanges })).exitCode).toBe(0);
    expect((await ws.apply({ autoApprove: false })).exitCode).toBe(0);
    expect(noChanges.asked).toEqual([]);
  });

  it('applies a reviewed plan file without asking: the review was the approval', async () => {
    ws = await openWorkspace(FIXTURE);
    const asked = terminal('no');
    expect((await ws.apply({ autoApprove: false }, {}, { interactive: asked })).exitCode).toBe(1);
    expect(asked.asked).toHaveLength(1);

    expect((await ws.plan()).exitCode).toBe(2);
    const applied = await ws.apply(
      { plan: 'output/plan.json', autoApprove: false },
      {},
      { interactive: asked },
    );
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 16 created/);
    expect(asked.asked).toHaveLength(1);
    // With no terminal at all, too.
    expect((await ws.plan()).exitCode).toBe(0);
    expect((await ws.apply({ plan: 'output/plan.json', autoApprove: false })).exitCode).toBe(0);
  });

  it('the CLI with stdin not a terminal refuses without --auto-approve and applies with it', async () => {
    ws = await openWorkspace(FIXTURE, { speed: 1 });
    const run = (args: string[]): Promise<{ code: number | null; stdout: string }> =>
      new Promise((done) => {
        const child = spawn(process.execPath, [CLI, 'apply', '--dir', 'marketing', ...args], {
          cwd: ws!.cwd,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ws!.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stdin.end('yes\n');
        child.on('exit', (code) => done({ code, stdout }));
      });
    const before = ws.sandbox.requestLog.length;
    const refused = await run([]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'Refused: apply asks before it writes, and there is no terminal to ask.',
    );
    expect(writesSince(ws, before)).toEqual([]);

    const applied = await run(['--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 16 created/);
  }, 60_000);
});
