/**
 * SIGINT and SIGTERM stop any command within a second: a clear line on stderr, exit 130 or 143, and a second
 * signal ends the process at once. The mechanism on an event emitter, then the CLI as real processes: validate
 * busy with a large generated repository, apply in the middle of its writes, and a process whose event loop
 * something else keeps alive.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRepository } from '../../bench/generated-repository.js';
import {
  CommandInterrupted,
  STOP_GRACE_MS,
  stopLine,
  stopOnSignals,
  type StopSignal,
} from '../../src/commands/stop-signals.js';
import { FIXTURE } from '../engine/e2e/edits.js';
import { openWorkspace, type Workspace } from '../engine/e2e/harness.js';
import { buildCli, startCli, type CliRun } from './cli-process.js';

function recorder(note?: string) {
  const source = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const stop = stopOnSignals({
    source: source as unknown as {
      on(e: StopSignal, l: () => void): unknown;
      off(e: StopSignal, l: () => void): unknown;
    },
    write: (line) => lines.push(line),
    exit: (code) => exits.push(code),
    ...(note ? { note } : {}),
  });
  return { source, lines, exits, stop };
}

describe('stopping on a signal', () => {
  afterEach(() => vi.useRealTimers());

  it('says so and aborts the command on the first signal, and exits at once on the second', () => {
    const { source, lines, exits, stop } = recorder();
    source.emit('SIGTERM');
    expect(lines).toEqual(['interrupted by SIGTERM: stopping; send it again to stop at once']);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.signal.reason).toBeInstanceOf(CommandInterrupted);
    expect(stop.interrupted()?.exitCode).toBe(143);
    expect(exits).toEqual([]);
    source.emit('SIGINT');
    expect(exits).toEqual([143]);
  });

  it('ends the process when the command is still running after the grace period', () => {
    vi.useFakeTimers();
    const { source, lines, exits } = recorder();
    source.emit('SIGINT');
    vi.advanceTimersByTime(STOP_GRACE_MS - 1);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(exits).toEqual([130]);
    expect(lines[1]).toBe(`still running ${STOP_GRACE_MS} ms after SIGINT: stopping at once`);
  });

  it("adds the verb's note, and stops listening once disposed", () => {
    expect(stopLine('SIGINT', 're-running apply finishes the job')).toBe(
      'interrupted by SIGINT: stopping; re-running apply finishes the job; send it again to stop at once',
    );
    const { source, stop } = recorder();
    stop.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('the CLI under signals (real processes)', () => {
  let cli: string;
  let work: string;
  const running: CliRun[] = [];
  beforeAll(async () => {
    cli = await buildCli();
    work = mkdtempSync(join(tmpdir(), 'kg-signals-'));
  }, 60_000);
  afterEach(() => {
    for (const run of running.splice(0)) run.child.kill('SIGKILL');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Sends `signal` and measures how long the process takes to end after it. */
  async function signalAndWait(run: CliRun, signal: NodeJS.Signals) {
    const sent = performance.now();
    run.child.kill(signal);
    const exit = await run.exit;
    return { ...exit, afterSignalMs: performance.now() - sent };
  }

  it('stops validate busy with 300 templates within a second of SIGTERM, exit 143', async () => {
    const dir = join(work, 'generated');
    await generateRepository(dir, 300);
    const run = startCli(cli, ['validate', '--dir', dir], { cwd: work });
    running.push(run);
    // Validating 300 templates takes several seconds of CPU (the email QA of each): signal in the middle of it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(run.child.exitCode).toBeNull();
    const exit = await signalAndWait(run, 'SIGTERM');
    expect(exit.code).toBe(143);
    expect(exit.stderr).toContain('interrupted by SIGTERM: stopping; send it again to stop at once');
    expect(exit.stdout).not.toMatch(/files?, \d+ errors?/);
    // The requirement is one second; the margin is for a loaded machine.
    expect(exit.afterSignalMs).toBeLessThan(3_000);
  }, 60_000);

  describe('with something else holding the event loop open', () => {
    // Stands for a leaked handle (a timer, a socket) that would otherwise keep the process alive for ever.
    const leak = (): string => {
      const path = join(work, 'leak.mjs');
      writeFileSync(path, 'setInterval(() => undefined, 1_000);\n');
      return path;
    };

    it('ends the process after the grace period once the command has stopped', async () => {
      const run = startCli(cli, ['sandbox', '--port', '0'], { cwd: work, nodeArgs: ['--import', leak()] });
      running.push(run);
      await run.waitForStderr('Klaviyo sandbox listening');
      const exit = await signalAndWait(run, 'SIGTERM');
      expect(exit.code).toBe(143);
      expect(exit.stderr).toContain(`still running ${STOP_GRACE_MS} ms after SIGTERM: stopping at once`);
      expect(exit.afterSignalMs).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
    }, 30_000);

    it('ends the process at once on a second signal', async () => {
      const run = startCli(cli, ['sandbox', '--port', '0'], { cwd: work, nodeArgs: ['--import', leak()] });
      running.push(run);
      await run.waitForStderr('Klaviyo sandbox listening');
      run.child.kill('SIGTERM');
      await run.waitForStderr('interrupted by SIGTERM');
      const exit = await signalAndWait(run, 'SIGTERM');
      expect(exit.code).toBe(143);
      // Ended by the second signal, not by the grace period.
      expect(exit.stderr).not.toContain('still running');
    }, 30_000);
  });

  describe('apply', () => {
    let ws: Workspace | undefined;
    afterEach(async () => {
      await ws?.close();
      ws = undefined;
    });

    it('stops mid-apply on SIGINT (exit 130), says a re-run finishes the job, and a re-run does', async () => {
      ws = await openWorkspace(FIXTURE, { speed: 1 });
      // Slow answers, so the signal lands while apply is writing.
      ws.sandbox.setFaults({ latencyMs: 150 });
      const run = startCli(cli, ['apply', '--dir', 'marketing', '--auto-approve'], {
        cwd: ws.cwd,
        env: ws.env,
      });
      running.push(run);
      await run.waitForStderr(' done');
      const exit = await signalAndWait(run, 'SIGINT');
      expect(exit.code).toBe(130);
      expect(exit.stderr).toContain(
        'interrupted by SIGINT: stopping; re-running apply finishes the job; send it again to stop at once',
      );
      expect(exit.afterSignalMs).toBeLessThan(3_000);

      ws.sandbox.setFaults({});
      const again = startCli(cli, ['apply', '--dir', 'marketing', '--auto-approve'], {
        cwd: ws.cwd,
        env: ws.env,
      });
      running.push(again);
      const finished = await again.exit;
      expect(finished.code, finished.stderr).toBe(0);
      expect(finished.stdout).toContain('Apply complete');
    }, 90_000);
  });
});
