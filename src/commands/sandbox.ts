/**
 * `klaviyo-gitops sandbox`: runs the local Klaviyo until Ctrl-C, for the CLI, tests and offline runs. With
 * `--dir`, it serves that marketing repository's brands ready to plan against (see sandbox-brands.ts).
 */
import { resolve } from 'node:path';
import { KLAVIYO_REVISION } from '../klaviyo/revision.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  SandboxStateError,
  startSandbox,
  type FaultConfig,
} from '../sandbox/index.js';
import type { CliVerb, OptionValues } from './cli-options.js';
import type { CommandContext } from './command.js';
import { brandOption } from './common-options.js';
import { CommandError, usageError } from './errors.js';
import type { SandboxResult } from './results.js';
import { loadDesiredStates } from './desired-states.js';
import { parseAccountFlags, readAccountsFile } from './sandbox-accounts.js';
import {
  accountsOption,
  brandAccounts,
  environmentLines,
  seedBrandAccounts,
  type BrandAccount,
} from './sandbox-brands.js';

type Values = OptionValues;

export interface SandboxCommandOptions {
  port: number;
  statePath?: string;
  faults: FaultConfig;
  accounts: Record<string, string>;
  onlyKnownAccounts: boolean;
  maxBodyBytes?: number;
  enforceRateLimits: boolean;
}

function numberFlag(name: string, raw: string, check: (n: number) => boolean, expected: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value))
    throw usageError(`--${name} must be ${expected} (got '${raw}').`);
  return value;
}

/** Turns the verb's flags into sandbox options; a bad value is a usage error (exit 2). */
export function parseSandboxFlags(values: Values, cwd: string): SandboxCommandOptions {
  const text = (name: string): string | undefined =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  const portText = text('port');
  const port =
    portText === undefined
      ? 4010
      : numberFlag(
          'port',
          portText,
          (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
          'an integer from 0 to 65535',
        );
  const faults: FaultConfig = {};
  const rateText = text('fault-rate');
  if (rateText !== undefined) {
    const rate = numberFlag('fault-rate', rateText, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1');
    // Spread evenly over the kinds a client must survive: 429, 5xx, hang, dropped connection, lost answer.
    const share = rate / 5;
    Object.assign(faults, {
      rate429: share,
      rate5xx: share,
      rateHang: share,
      rateDrop: share,
      rateLostResponse: share,
    });
  }
  const latencyText = text('latency-ms');
  if (latencyText !== undefined)
    faults.latencyMs = numberFlag(
      'latency-ms',
      latencyText,
      (n) => Number.isInteger(n) && n >= 0,
      'a whole number of milliseconds ≥ 0',
    );
  // Never echo an --account pair or an accounts-file line: the left side is an API key.
  const accounts = new Map<string, string>();
  const accountValues = values.account;
  parseAccountFlags(
    Array.isArray(accountValues) ? accountValues : typeof accountValues === 'string' ? [accountValues] : [],
    accounts,
  );
  const accountsFile = text('accounts-file');
  if (accountsFile !== undefined) readAccountsFile(accountsFile, cwd, accounts);
  const onlyKnownAccounts = values['only-known-accounts'] === true;
  if (onlyKnownAccounts && accounts.size === 0)
    throw usageError(
      '--only-known-accounts needs keys: give --account KEY=ACCOUNT_ID or --accounts-file FILE.',
    );
  const bodyText = text('max-body-bytes');
  const maxBodyBytes =
    bodyText === undefined
      ? undefined
      : numberFlag(
          'max-body-bytes',
          bodyText,
          (n) => Number.isInteger(n) && n >= 1,
          'a whole number of bytes ≥ 1',
        );
  const state = text('state');
  return {
    port,
    ...(state !== undefined ? { statePath: resolve(cwd, state) } : {}),
    faults,
    accounts: Object.fromEntries(accounts),
    onlyKnownAccounts,
    ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    enforceRateLimits: values['no-rate-limits'] !== true,
  };
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (!signal) return; // no way to stop: serve until the process ends
    if (signal.aborted) return done();
    signal.addEventListener('abort', () => done(), { once: true });
  });
}

export async function runSandboxCommand(values: Values, ctx: CommandContext): Promise<SandboxResult> {
  const options = parseSandboxFlags(values, ctx.cwd);
  // --dir: the repository's brands, each with its account and a generated key.
  let brands: BrandAccount[] = [];
  if (typeof values.dir === 'string') {
    const brand = typeof values.brand === 'string' ? values.brand : undefined;
    const loaded = await loadDesiredStates(values.dir, brand, ctx);
    brands = brandAccounts(loaded.states);
  }
  let sandbox;
  try {
    sandbox = await startSandbox({
      port: options.port,
      ...(options.statePath !== undefined ? { statePath: options.statePath } : {}),
      // Faults start once the brands' metrics are in: seeding must not be what they break.
      faults: brands.length > 0 ? {} : options.faults,
      accounts: { ...options.accounts, ...accountsOption(brands) },
      onlyKnownAccounts: options.onlyKnownAccounts,
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
      enforceRateLimits: options.enforceRateLimits,
    });
  } catch (error) {
    if (error instanceof SandboxStateError) throw new CommandError('failed', error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new CommandError('failed', `Port ${options.port} is already in use; choose another with --port.`);
    throw error;
  }
  ctx.progress(`Klaviyo sandbox listening on ${sandbox.url} (revision ${KLAVIYO_REVISION})`);
  if (options.statePath) ctx.progress(`state: ${options.statePath}`);
  if (!options.enforceRateLimits) ctx.progress('rate limits: off');
  const keys = Object.keys(options.accounts).length;
  if (options.onlyKnownAccounts) ctx.progress(`accounts: only the ${keys} key(s) given; other keys get 401`);
  if (brands.length > 0) {
    try {
      await seedBrandAccounts(sandbox.url, brands, ctx.progress);
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    sandbox.setFaults(options.faults);
    ctx.progress(
      'environment for plan, apply, drift and import against this sandbox (export these, e.g. `set -a` before pasting):',
    );
    for (const line of environmentLines(sandbox.url, brands)) ctx.progress(line);
  }
  await waitForAbort(ctx.signal);
  await sandbox.close();
  return { command: 'sandbox', url: sandbox.url };
}

/** The `sandbox` verb: its options, declared beside parseSandboxFlags, which reads them. */
export const SANDBOX_VERB: CliVerb = {
  summary: 'Run the local Klaviyo sandbox (no account needed) until Ctrl-C',
  details:
    "Point any client at it with KLAVIYO_BASE_URL=http://127.0.0.1:4010 and a key like pk_anything. With --dir it serves that repository's brands and prints the environment to use.",
  options: {
    // No default: without --dir the sandbox serves bare accounts, with it the repository's brands.
    dir: {
      type: 'string',
      value: 'DIR',
      description: "Serve this marketing directory's brands: each account under a generated key",
      defaultText: 'bare accounts, opened by any key',
    },
    brand: { ...brandOption, description: 'With --dir: only this brand' },
    port: { type: 'string', default: '4010', description: 'The port to listen on (0: any free port)' },
    state: {
      type: 'string',
      value: 'FILE',
      description: 'Keep the accounts in this file across restarts',
      defaultText: 'in memory',
    },
    'fault-rate': {
      type: 'string',
      value: 'R',
      description: 'Fail this share of requests (0 to 1): 429, 5xx, hangs, dropped connections, lost answers',
      defaultText: '0',
    },
    'latency-ms': { type: 'string', value: 'N', description: 'Delay every answer by N ms', defaultText: '0' },
    account: {
      type: 'string',
      multiple: true,
      value: 'KEY=ACCOUNT_ID',
      description: 'Open this account under this key (shown in the process list: prefer --accounts-file)',
    },
    'accounts-file': {
      type: 'string',
      value: 'FILE',
      description: 'Read one KEY=ACCOUNT_ID per line (blank lines and # comments skipped)',
    },
    'only-known-accounts': {
      type: 'boolean',
      description: 'Answer any other key with 401, as Klaviyo does, instead of opening an account for it',
    },
    'max-body-bytes': {
      type: 'string',
      value: 'N',
      description: 'Answer larger request bodies with 413 without reading them',
      defaultText: `${DEFAULT_MAX_BODY_BYTES / (1024 * 1024)} MiB`,
    },
    'no-rate-limits': { type: 'boolean', description: "Do not enforce Klaviyo's per-endpoint rate limits" },
  },
  examples: [
    'klaviyo-gitops sandbox --dir marketing',
    'klaviyo-gitops sandbox --state sandbox-state.json --accounts-file sandbox-accounts.txt --only-known-accounts',
  ],
  // A static import: ncc would split a dynamic one into a second file, and the bundle must be one file.
  run: (values, ctx) => runSandboxCommand(values, ctx),
};
