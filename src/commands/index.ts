/**
 * The command table. `runCommand(name, options, ctx)` runs a verb from a typed options object (the Action's
 * way in) and returns its typed result; `runCli(argv, ctx)` is the CLI's adapter: argv -> typed options ->
 * command -> view and exit code (cli-outcome.ts). Both run exactly the same code.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isTargetChoice, TARGET_CHOICES, type TargetChoice } from '../config.js';
import { runApply } from './apply.js';
import { runBrands } from './brands.js';
import { runAsCli } from './cli-outcome.js';
import { EXIT_OK, EXIT_USAGE_OR_CHANGES } from './exit-codes.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { runDrift } from './drift.js';
import { runImport } from './import.js';
import { runInit } from './init.js';
import { DEFAULT_PLAN_FILE, runPlan } from './plan.js';
import { runPull } from './pull.js';
import { runRefresh } from './refresh.js';
import { runReview } from './review.js';
import { DEFAULT_PREVIEW_DIR, runRender } from './render.js';
import type { CommandResult } from './results.js';
import { runSandboxCommand } from './sandbox.js';
import { runSync, DEFAULT_HISTORY_FILE } from './sync.js';
import { runSyncHistory } from './sync-history.js';
import { parseCount, parseDuration, parseStream } from './sync-options.js';
import { runValidate } from './validate.js';
import { PACKAGE_VERSION } from '../version.js';

/** The verbs that take a typed options object, by name. */
export const commands = {
  validate: runValidate,
  render: runRender,
  plan: runPlan,
  apply: runApply,
  drift: runDrift,
  pull: runPull,
  import: runImport,
  init: runInit,
  brands: runBrands,
  review: runReview,
  refresh: runRefresh,
  sync: runSync,
  'sync history': runSyncHistory,
} as const;
export type CommandName = keyof typeof commands;
export type CommandOptions<N extends CommandName> = Parameters<(typeof commands)[N]>[0];
export type ResultOf<N extends CommandName> = Awaited<ReturnType<(typeof commands)[N]>>;

/** Runs one verb with typed options; throws a CommandError (or what failures.ts maps) when it cannot. */
export function runCommand<N extends CommandName>(
  name: N,
  options: CommandOptions<N>,
  ctx: CommandContext,
): Promise<ResultOf<N>> {
  const run = commands[name] as (options: CommandOptions<N>, ctx: CommandContext) => Promise<ResultOf<N>>;
  return run(options, ctx);
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface CliVerb {
  summary: string;
  usage: string;
  options: Options;
  /** Added to the stop line when a signal cuts this verb short. */
  stopNote?: string;
  run(values: Values, positionals: string[], ctx: CommandContext): Promise<CommandResult>;
}

const common: Options = {
  dir: { type: 'string', default: 'marketing' },
  brand: { type: 'string' },
};

/** `--target klaviyo|sandbox`, for the verbs that talk to Klaviyo; checked in runCli before a verb runs. */
const targetOption: Options = { target: { type: 'string' } };

/** `--dir` and `--brand`, which every verb that reads the marketing directory takes. */
function selectionOf(values: Values): { dir: string; brand: string | undefined } {
  return {
    dir: String(values.dir ?? 'marketing'),
    brand: typeof values.brand === 'string' ? values.brand : undefined,
  };
}

function targetChoice(values: Values): TargetChoice | undefined {
  return typeof values.target === 'string' && isTargetChoice(values.target) ? values.target : undefined;
}

export const verbs: Record<string, CliVerb> = {
  // Verbs register here: validate, render, plan, apply, pull, drift, import, brands, sandbox.
  validate: {
    summary: 'Check the marketing files: YAML, schemas, references, Klaviyo spec, flow rules',
    usage: 'klaviyo-gitops validate [--dir marketing] [--brand B] [--json]',
    options: { json: { type: 'boolean' } },
    run: (values, _positionals, ctx) =>
      runValidate(
        {
          ...selectionOf(values),
        },
        ctx,
      ),
  },
  render: {
    summary: 'Render every email with its sample data into a preview gallery (and PNGs)',
    usage: 'klaviyo-gitops render [--dir marketing] [--brand B] [--out output/previews] [--screenshots]',
    options: { out: { type: 'string', default: DEFAULT_PREVIEW_DIR }, screenshots: { type: 'boolean' } },
    run: (values, _positionals, ctx) =>
      runRender(
        {
          ...selectionOf(values),
          out: String(values.out ?? DEFAULT_PREVIEW_DIR),
          screenshots: values.screenshots === true,
        },
        ctx,
      ),
  },
  plan: {
    summary: 'Show what apply would change in Klaviyo (+ create, ~ update, -/+ replace, - delete)',
    usage:
      'klaviyo-gitops plan [--dir marketing] [--brand B] [--target klaviyo|sandbox] [--out output/plan.json] [--markdown FILE] [--detailed-exitcode] [--color]',
    options: {
      ...targetOption,
      out: { type: 'string', default: DEFAULT_PLAN_FILE },
      markdown: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
      color: { type: 'boolean' },
    },
    run: (values, _positionals, ctx) =>
      runPlan(
        {
          ...selectionOf(values),
          out: String(values.out ?? DEFAULT_PLAN_FILE),
          markdown: typeof values.markdown === 'string' ? values.markdown : undefined,
          detailedExitcode: values['detailed-exitcode'] === true,
          target: targetChoice(values),
        },
        ctx,
      ),
  },
  apply: {
    summary:
      'Make Klaviyo match the code after a yes (with --plan: exactly the reviewed plan), refusing conflicts',
    usage:
      'klaviyo-gitops apply [--dir marketing] [--brand B] [--target klaviyo|sandbox] [--plan output/plan.json] [--allow-destroy] [--force] [--overwrite-hand-edits] [--auto-approve]',
    options: {
      ...targetOption,
      plan: { type: 'string' },
      'allow-destroy': { type: 'boolean' },
      force: { type: 'boolean' },
      'overwrite-hand-edits': { type: 'boolean' },
      'auto-approve': { type: 'boolean' },
    },
    // Apply converges: whatever a stop cut short, the next run picks up from what Klaviyo holds.
    stopNote: 're-running apply finishes the job',
    run: (values, _positionals, ctx) =>
      runApply(
        {
          ...selectionOf(values),
          plan: typeof values.plan === 'string' ? values.plan : undefined,
          allowDestroy: values['allow-destroy'] === true,
          force: values.force === true,
          target: targetChoice(values),
          overwriteHandEdits: values['overwrite-hand-edits'] === true,
          autoApprove: values['auto-approve'] === true,
        },
        ctx,
      ),
  },
  pull: {
    summary: 'Keep the edits made in Klaviyo since the last apply by writing them into the files',
    usage: 'klaviyo-gitops pull [--dir marketing] [--brand B] [--target klaviyo|sandbox]',
    options: { ...targetOption },
    run: (values, _positionals, ctx) =>
      runPull(
        {
          ...selectionOf(values),
          target: targetChoice(values),
        },
        ctx,
      ),
  },
  drift: {
    summary: 'Report where Klaviyo differs from the repository (hand edits, deletions, duplicates)',
    usage:
      'klaviyo-gitops drift [--dir marketing] [--brand B] [--target klaviyo|sandbox] [--fail-on-drift] [--json]',
    options: { ...targetOption, 'fail-on-drift': { type: 'boolean' }, json: { type: 'boolean' } },
    run: (values, _positionals, ctx) =>
      runDrift(
        {
          ...selectionOf(values),
          failOnDrift: values['fail-on-drift'] === true,
          target: targetChoice(values),
        },
        ctx,
      ),
  },
  import: {
    summary: "Write a brand's existing Klaviyo objects as files and mark them managed",
    usage:
      'klaviyo-gitops import --brand B [--dir marketing] [--target klaviyo|sandbox] [--out DIR] [--dry-run]',
    options: { ...targetOption, out: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    run: (values, _positionals, ctx) =>
      runImport(
        {
          ...selectionOf(values),
          out: typeof values.out === 'string' ? values.out : undefined,
          target: targetChoice(values),
          dryRun: values['dry-run'] === true,
        },
        ctx,
      ),
  },
  init: {
    summary:
      'Create a new brand folder (brand.yaml and empty folders) for import to fill from its Klaviyo account',
    usage: 'klaviyo-gitops init --brand NAME --account-id ID [--dir marketing]',
    options: { 'account-id': { type: 'string' } },
    run: async (values, _positionals, ctx) =>
      runInit(
        {
          ...selectionOf(values),
          accountId: typeof values['account-id'] === 'string' ? values['account-id'] : undefined,
        },
        ctx,
      ),
  },
  review: {
    summary:
      "A pull request's review: findings, previews and (with the brand's key) the plan with its review fingerprint",
    usage:
      'klaviyo-gitops review [--dir marketing] [--brand B] [--target klaviyo|sandbox] [--previews output/previews] [--screenshots] [--json]',
    options: {
      ...targetOption,
      previews: { type: 'string', default: DEFAULT_PREVIEW_DIR },
      screenshots: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    run: (values, _positionals, ctx) =>
      runReview(
        {
          ...selectionOf(values),
          previews: String(values.previews ?? DEFAULT_PREVIEW_DIR),
          screenshots: values.screenshots === true,
          target: targetChoice(values),
        },
        ctx,
      ),
  },
  refresh: {
    summary: 'Re-assert the segment definitions that drifted in Klaviyo, report other drift, count segments',
    usage:
      'klaviyo-gitops refresh [--dir marketing] [--brand B] [--target klaviyo|sandbox] [--fail-on-drift] [--json]',
    options: { ...targetOption, 'fail-on-drift': { type: 'boolean' }, json: { type: 'boolean' } },
    stopNote: 're-running refresh finishes the job',
    run: (values, _positionals, ctx) =>
      runRefresh(
        {
          ...selectionOf(values),
          failOnDrift: values['fail-on-drift'] === true,
          target: targetChoice(values),
        },
        ctx,
      ),
  },
  sync: {
    summary: "Sync each brand's store exports and TikTok Shop into Klaviyo: profiles, order events, consent",
    usage: `klaviyo-gitops sync [--brand B]... [--dir marketing] [--target klaviyo|sandbox] [--max-duration 30m] [--history ${DEFAULT_HISTORY_FILE}] [--no-history] [--json]`,
    options: {
      ...targetOption,
      brand: { type: 'string', multiple: true },
      'max-duration': { type: 'string' },
      history: { type: 'string' },
      'no-history': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    // Acknowledged batches are in the history and every event has a fixed id: a re-run continues safely.
    stopNote: 're-running sync continues where it stopped',
    // Async, so a bad flag value is a rejected promise the CLI shows as a usage error.
    run: async (values, _positionals, ctx) =>
      runSync(
        {
          dir: String(values.dir ?? 'marketing'),
          brands: Array.isArray(values.brand) ? values.brand : [],
          target: targetChoice(values),
          maxDurationMs:
            typeof values['max-duration'] === 'string' ? parseDuration(values['max-duration']) : undefined,
          history: typeof values.history === 'string' ? values.history : undefined,
          noHistory: values['no-history'] === true,
        },
        ctx,
      ),
  },
  'sync history': {
    summary: 'The sync runs: type, direction, status, records, failures, duration, first errors',
    usage: `klaviyo-gitops sync history [--brand B] [--type profiles|events|consent] [--last N] [--history ${DEFAULT_HISTORY_FILE}] [--json]`,
    options: {
      type: { type: 'string' },
      last: { type: 'string' },
      history: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: async (values, _positionals, ctx) =>
      runSyncHistory(
        {
          dir: String(values.dir ?? 'marketing'),
          history: typeof values.history === 'string' ? values.history : undefined,
          brand: typeof values.brand === 'string' ? values.brand : undefined,
          stream: typeof values.type === 'string' ? parseStream(values.type) : undefined,
          last: typeof values.last === 'string' ? parseCount(values.last, '--last') : undefined,
        },
        ctx,
      ),
  },
  brands: {
    summary: 'List the brands (name, account, key secret); --json gives a CI matrix include list',
    usage: 'klaviyo-gitops brands [--dir marketing] [--json]',
    options: { json: { type: 'boolean' } },
    run: (values, _positionals, ctx) => runBrands({ dir: String(values.dir ?? 'marketing') }, ctx),
  },
  sandbox: {
    summary: 'Run the local Klaviyo sandbox (no account needed) until Ctrl-C',
    usage:
      'klaviyo-gitops sandbox [--dir marketing] [--port 4010] [--state FILE] [--fault-rate R] [--latency-ms N] [--account KEY=ACCOUNT_ID ...] [--accounts-file FILE] [--only-known-accounts] [--max-body-bytes N] [--no-rate-limits]',
    options: {
      // No default: without --dir the sandbox serves bare accounts, with it the repository's brands.
      dir: { type: 'string' },
      port: { type: 'string', default: '4010' },
      state: { type: 'string' },
      'fault-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      account: { type: 'string', multiple: true },
      'accounts-file': { type: 'string' },
      'only-known-accounts': { type: 'boolean' },
      'max-body-bytes': { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
    },
    // A static import: ncc would split a dynamic one into a second file, and the bundle must be one file.
    run: (values, _positionals, ctx) => runSandboxCommand(values, ctx),
  },
};

export function usage(): string {
  const lines = ['Usage: klaviyo-gitops <command> [options]', '', 'Commands:'];
  for (const [name, verb] of Object.entries(verbs)) lines.push(`  ${name.padEnd(12)} ${verb.summary}`);
  lines.push('', "Run `klaviyo-gitops <command> --help` for a command's options.");
  return lines.join('\n');
}

/** The stop line's note for this command line's verb, if it has one. */
export function stopNoteFor(argv: readonly string[]): string | undefined {
  const [name] = verbName(argv);
  return name !== undefined && Object.hasOwn(verbs, name) ? verbs[name]!.stopNote : undefined;
}

/** The verb a command line names: a sub-verb (`sync history`) when the table has one, else the first word. */
function verbName(argv: readonly string[]): [string | undefined, string[]] {
  const [first, second, ...rest] = argv;
  if (first !== undefined && second !== undefined && Object.hasOwn(verbs, `${first} ${second}`))
    return [`${first} ${second}`, rest];
  return [first, argv.slice(1)];
}

export async function runCli(argv: string[], ctx: CommandContext): Promise<CommandOutcome> {
  const [name, rest] = verbName(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help')
    return { exitCode: name ? EXIT_OK : EXIT_USAGE_OR_CHANGES, stdout: usage() };
  if (name === '--version') return { exitCode: EXIT_OK, stdout: PACKAGE_VERSION };
  const verb = verbs[name];
  if (!verb)
    return {
      exitCode: EXIT_USAGE_OR_CHANGES,
      stdout: '',
      stderr: `Unknown command '${name}'.\n\n${usage()}`,
    };
  if (rest.includes('--help') || rest.includes('-h'))
    return { exitCode: EXIT_OK, stdout: `Usage: ${verb.usage}` };
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...common, ...verb.options },
      allowPositionals: true,
      strict: true,
    }) as {
      values: Values;
      positionals: string[];
    };
  } catch (error) {
    return {
      exitCode: EXIT_USAGE_OR_CHANGES,
      stdout: '',
      stderr: `${(error as Error).message}\nUsage: ${verb.usage}`,
    };
  }
  const target = parsed.values.target;
  if (typeof target === 'string' && !isTargetChoice(target))
    return {
      exitCode: EXIT_USAGE_OR_CHANGES,
      stdout: '',
      stderr: `--target must be ${TARGET_CHOICES.join(' or ')} (got '${target}').\nUsage: ${verb.usage}`,
    };
  const view = { json: parsed.values.json === true, color: parsed.values.color === true };
  return runAsCli(verb.run(parsed.values, parsed.positionals, ctx), view, ctx);
}
