import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandError } from '../../src/commands/errors.js';
import { runCli } from '../../src/commands/index.js';
import { parseSandboxFlags, runSandboxCommand } from '../../src/commands/sandbox.js';

function context(signal: AbortSignal, lines: string[]): CommandContext {
  return { cwd: '/work', env: {}, progress: (line) => lines.push(line), signal };
}

describe('klaviyo-gitops sandbox', () => {
  it('starts, answers Klaviyo requests, and stops cleanly on abort', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runCli(
      ['sandbox', '--port', '0', '--no-rate-limits', '--account', 'pk_cli_key=CliAcc'],
      context(controller.signal, lines),
    );
    await expect
      .poll(() => lines[0])
      .toMatch(/^Klaviyo sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(revision 2026-07-15\)$/);
    const url = /(http:\/\/\S+)/.exec(lines[0]!)![1]!;
    const res = await fetch(`${url}/api/accounts`, {
      headers: { authorization: 'Klaviyo-API-Key pk_cli_key', revision: '2026-07-15' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Array<{ id: string }> }).data[0]!.id).toBe('CliAcc');
    controller.abort();
    await expect(running).resolves.toMatchObject({ exitCode: 0 });
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it.each([
    [{ port: 'abc' }, /--port/],
    [{ port: '70000' }, /--port/],
    [{ 'fault-rate': '2' }, /--fault-rate/],
    [{ 'latency-ms': '-5' }, /--latency-ms/],
    [{ account: ['not-a-pair'] }, /--account/],
  ])('refuses bad flag values %o as a usage error', (values, message) => {
    let caught: unknown;
    try {
      parseSandboxFlags(values, '/work');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommandError);
    expect((caught as CommandError).kind).toBe('usage');
    expect((caught as CommandError).message).toMatch(message);
  });

  it('never echoes an API key given in a malformed --account', () => {
    expect(() => parseSandboxFlags({ account: ['pk_secret_value'] }, '/work')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('pk_secret_value') }),
    );
  });

  it('spreads --fault-rate over the fault kinds and resolves --state against the working directory', () => {
    const options = parseSandboxFlags({ 'fault-rate': '0.5', state: 'sandbox/state.json' }, '/work/repo');
    expect(options.statePath).toBe('/work/repo/sandbox/state.json');
    expect(options.faults).toEqual({
      rate429: 0.1,
      rate5xx: 0.1,
      rateHang: 0.1,
      rateDrop: 0.1,
      rateLostResponse: 0.1,
    });
    expect(options.enforceRateLimits).toBe(true);
  });

  it('reports a corrupt state file as a user error naming the file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kg-cli-'));
    writeFileSync(join(dir, 'state.json'), 'not json');
    const run = runSandboxCommand(
      { port: '0', state: 'state.json' },
      { ...context(new AbortController().signal, []), cwd: dir },
    );
    await expect(run).rejects.toThrow(join(dir, 'state.json'));
    await expect(run).rejects.toBeInstanceOf(CommandError);
  });
});
