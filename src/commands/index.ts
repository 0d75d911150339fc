/**
 * The command table. `runCommand(name, options, ctx)` runs a verb from a typed options object (the Action's
 * way in) and returns its typed result; `runCli(argv, ctx)` is the CLI's adapter: argv -> typed options ->
 * command -> view and exit code (cli-outcome.ts). Both run exactly the same code.
 */
import { isTargetChoice, TARGET_CHOICES } from '../config.js';
import { didYouMean } from '../project/diagnostics.js';
import { SYNC_STREAMS } from '../sync/history/ledger.js';
import { runApply } from './apply.js';
import { runBrands } from './brands.js';
import { parseVerbArgs } from './cli-args.js';
import type { CliVerb } from './cli-options.js';
import { runAsCli } from './cli-outcome.js';
import {
  brandOption,
  dirOption,
  jsonOption,
  screenshotsOption,
  selectionOf,
  selectionOptions,
  targetChoice,
  targetOptions,
} from './common-options.js';
import { EXIT_OK, EXIT_USAGE_OR_CHANGES } from './exit-codes.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { runDrift } from './drift.js';
import { runImport } from './import.js';
import { programHelp, usageText, verbHelp } from './help.js';
import { runInit } from './init.js';
import { DEFAULT_PLAN_FILE, runPlan, STANDARD_OUTPUT } from './plan.js';
import { runPull } from './pull.js';
import { runRefresh } from './refresh.js';
import { runReview } from './review.js';
import { DEFAULT_PREVIEW_DIR, runRender } from './render.js';
import { SANDBOX_VERB } from './sandbox.js';
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

export const verbs: Record<string, CliVerb> = {
  // Verbs register here. Each option's help sits beside its parser definition (cli-options.ts): --help, the
  // README's CLI reference and the parser are all read from this table.
  validate: {
    summary: 'Check the marketing files: YAML, schemas, references, Klaviyo spec, flow rules',
    details:
      'Every finding is path:line:col: severity rule-id: message (fix). Reads no Klaviyo account and writes nothing.',
    options: { ...selectionOptions, json: jsonOption },
    examples: ['klaviyo-gitops validate', 'klaviyo-gitops validate --brand trailhead --json'],
    run: (values, ctx) => runValidate({ ...selectionOf(values) }, ctx),
  },
  render: {
    summary: 'Render every email with its sample data into a preview gallery (and PNGs)',
    options: {
      ...selectionOptions,
      out: {
        type: 'string',
        default: DEFAULT_PREVIEW_DIR,
        description: 'Where the previews and the gallery (index.html) go',
      },
      screenshots: screenshotsOption,
    },
    examples: ['klaviyo-gitops render', 'klaviyo-gitops render --brand trailhead --screenshots'],
    run: (values, ctx) =>
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
    options: {
      ...selectionOptions,
      ...targetOptions,
      out: {
        type: 'string',
        default: DEFAULT_PLAN_FILE,
        description: 'Where the plan is written as JSON, the file apply --plan reads',
      },
      markdown: {
        type: 'string',
        value: 'FILE',
        description: `Also write the plan as the pull-request comment's markdown; '${STANDARD_OUTPUT}' prints it on stdout instead of the text plan`,
      },
      'detailed-exitcode': {
        type: 'boolean',
        description: 'Exit 2 when the plan has changes, 0 when it has none',
      },
      color: { type: 'boolean', description: 'Colour the plan with ANSI codes' },
    },
    examples: [
      'klaviyo-gitops plan',
      'klaviyo-gitops plan --brand trailhead --detailed-exitcode',
      'klaviyo-gitops plan --markdown - > plan.md   # the PR comment, on stdout',
    ],
    run: (values, ctx) =>
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
    options: {
      ...selectionOptions,
      ...targetOptions,
      plan: {
        type: 'string',
        value: 'FILE',
        description:
          'Apply this reviewed plan (from plan --out) without asking; refuse if a new plan differs',
        defaultText: 'plan now and ask',
      },
      'allow-destroy': { type: 'boolean', description: 'Allow deletes in Klaviyo' },
      force: { type: 'boolean', description: 'Apply over objects edited by hand in Klaviyo since the plan' },
      'overwrite-hand-edits': {
        type: 'boolean',
        description: 'Revert edits made in Klaviyo since the last apply (pull keeps them instead)',
      },
      'auto-approve': {
        type: 'boolean',
        description: 'Apply without asking; needed where there is no terminal (CI, a pipe)',
      },
    },
    examples: [
      'klaviyo-gitops apply',
      'klaviyo-gitops plan --out output/plan.json && klaviyo-gitops apply --plan output/plan.json',
    ],
    // Apply converges: whatever a stop cut short, the next run picks up from what Klaviyo holds.
    stopNote: 're-running apply finishes the job',
    run: (values, ctx) =>
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
    options: { ...selectionOptions, ...targetOptions },
    examples: ['klaviyo-gitops pull --brand trailhead && git diff'],
    run: (values, ctx) => runPull({ ...selectionOf(values), target: targetChoice(values) }, ctx),
  },
  drift: {
    summary: 'Report where Klaviyo differs from the repository (hand edits, deletions, duplicates)',
    options: {
      ...selectionOptions,
      ...targetOptions,
      'fail-on-drift': { type: 'boolean', description: 'Exit 2 when anything drifted' },
      json: jsonOption,
    },
    examples: ['klaviyo-gitops drift', 'klaviyo-gitops drift --fail-on-drift --json'],
    run: (values, ctx) =>
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
    details: 'Existing files are never overwritten; afterwards the brand is planned again.',
    options: {
      ...selectionOptions,
      brand: { ...brandOption, required: true, defaultText: undefined, description: 'The brand to import' },
      ...targetOptions,
      out: {
        type: 'string',
        value: 'DIR',
        description: 'Where the files go',
        defaultText: 'the brand folder, DIR/brands/B',
      },
      'dry-run': {
        type: 'boolean',
        description:
          'Show the names and markers import would set in Klaviyo, and the files it would write; change nothing',
      },
    },
    examples: [
      'klaviyo-gitops import --brand trailhead',
      'klaviyo-gitops import --brand trailhead --out imported',
      'klaviyo-gitops import --brand trailhead --dry-run',
    ],
    run: (values, ctx) =>
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
    details:
      'Refuses to touch a brand folder that exists. Then: set the key variable it names, and run import.',
    options: {
      dir: dirOption,
      brand: {
        ...brandOption,
        value: 'NAME',
        required: true,
        defaultText: undefined,
        description: 'The new brand: its folder name under brands/',
      },
      'account-id': {
        type: 'string',
        value: 'ID',
        required: true,
        description: "The brand's Klaviyo account id (Settings > Account > Account id)",
      },
    },
    examples: ['klaviyo-gitops init --brand northwind --account-id AbC123'],
    run: (values, ctx) =>
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
    options: {
      ...selectionOptions,
      ...targetOptions,
      previews: {
        type: 'string',
        default: DEFAULT_PREVIEW_DIR,
        description: 'Where the previews and the gallery go',
      },
      screenshots: screenshotsOption,
      json: jsonOption,
    },
    examples: ['klaviyo-gitops review', 'klaviyo-gitops review --brand trailhead --json'],
    run: (values, ctx) =>
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
    options: {
      ...selectionOptions,
      ...targetOptions,
      'fail-on-drift': {
        type: 'boolean',
        description: 'Exit 2 when drift is left after re-asserting segments',
      },
      json: jsonOption,
    },
    examples: ['klaviyo-gitops refresh --fail-on-drift'],
    stopNote: 're-running refresh finishes the job',
    run: (values, ctx) =>
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
    options: {
      brand: { ...brandOption, multiple: true, description: 'Only this brand' },
      dir: dirOption,
      ...targetOptions,
      'max-duration': {
        type: 'string',
        value: '30m',
        description: 'Stop sending new batches after this long (90s, 30m, 1h30m); the next sync continues',
        defaultText: 'no limit',
      },
      history: {
        type: 'string',
        default: DEFAULT_HISTORY_FILE,
        description: 'The sync history database (runs, batches, refused items)',
      },
      'no-history': {
        type: 'boolean',
        description: 'Keep the history in memory only (resuming then needs the same process)',
      },
      json: jsonOption,
    },
    environment: [
      {
        name: 'TIKTOK_SHOP_BASE_URL',
        meaning: "TikTok Shop's API address (default its public one), e.g. a test server",
      },
      {
        name: '(as sync.yaml names them)',
        meaning: "TikTok Shop's app key, app secret, access token and shop cipher (app_key_env, ...)",
      },
    ],
    examples: ['klaviyo-gitops sync', 'klaviyo-gitops sync --brand trailhead --max-duration 30m'],
    // Acknowledged batches are in the history and every event has a fixed id: a re-run continues safely.
    stopNote: 're-running sync continues where it stopped',
    // Async, so a bad flag value is a rejected promise the CLI shows as a usage error.
    run: async (values, ctx) =>
      runSync(
        {
          dir: String(values.dir ?? dirOption.default),
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
    options: {
      // The history lives at the root of the repository that holds the marketing directory.
      dir: dirOption,
      brand: brandOption,
      type: {
        type: 'string',
        value: SYNC_STREAMS.join('|'),
        description: 'Only the runs of this stream',
        defaultText: 'every stream',
      },
      last: { type: 'string', value: 'N', description: 'Only the N newest runs', defaultText: 'every run' },
      history: {
        type: 'string',
        default: DEFAULT_HISTORY_FILE,
        description: 'The sync history database to read (never created by reading)',
      },
      json: jsonOption,
    },
    examples: [
      'klaviyo-gitops sync history --last 5',
      'klaviyo-gitops sync history --brand trailhead --type events',
    ],
    run: async (values, ctx) =>
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
    options: { dir: dirOption, json: jsonOption },
    examples: ['klaviyo-gitops brands', 'echo "brands=$(klaviyo-gitops brands --json)" >> "$GITHUB_OUTPUT"'],
    run: (values, ctx) => runBrands({ dir: String(values.dir ?? dirOption.default) }, ctx),
  },
  sandbox: SANDBOX_VERB,
};

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

const HELP_FLAGS = ['--help', '-h'];

/** A usage error: our message on stderr, exit 2. */
function refuse(message: string): CommandOutcome {
  return { exitCode: EXIT_USAGE_OR_CHANGES, stdout: '', stderr: message };
}

/** `Unknown command 'x'; did you mean 'y'?` and the command list. */
function unknownCommand(name: string): CommandOutcome {
  const near = didYouMean(name, Object.keys(verbs));
  return refuse(
    `error: unknown command '${name}'${near ? `; did you mean '${near}'?` : ''}\n\n${programHelp(verbs)}`,
  );
}

/** `help`, `help <verb>`: the same text as `--help`. */
function helpFor(argv: readonly string[]): CommandOutcome {
  if (argv.length === 0) return { exitCode: EXIT_OK, stdout: programHelp(verbs) };
  const [name, rest] = verbName(argv);
  const verb = name !== undefined ? verbs[name] : undefined;
  if (name === undefined || verb === undefined) return unknownCommand(argv.join(' '));
  if (rest.length > 0) return refuse(`error: help takes one command (got '${argv.join(' ')}')`);
  return { exitCode: EXIT_OK, stdout: verbHelp(name, verb) };
}

export async function runCli(argv: string[], ctx: CommandContext): Promise<CommandOutcome> {
  const [name, rest] = verbName(argv);
  if (name === undefined) return refuse(programHelp(verbs));
  if (HELP_FLAGS.includes(name)) return { exitCode: EXIT_OK, stdout: programHelp(verbs) };
  if (name === 'help') return helpFor(rest);
  if (name === '--version') return { exitCode: EXIT_OK, stdout: PACKAGE_VERSION };
  const verb = Object.hasOwn(verbs, name) ? verbs[name] : undefined;
  if (!verb) return unknownCommand(name);
  // Help wins over everything else on the line, as in git and terraform: `plan --bogus --help` helps.
  if (rest.some((arg) => HELP_FLAGS.includes(arg)))
    return { exitCode: EXIT_OK, stdout: verbHelp(name, verb) };
  const parsed = parseVerbArgs(name, verb, rest);
  if (!parsed.ok) return refuse(parsed.message);
  const target = parsed.values.target;
  if (typeof target === 'string' && !isTargetChoice(target))
    return refuse(
      `error: --target must be ${TARGET_CHOICES.join(' or ')} (got '${target}')\n${usageText(name, verb)}`,
    );
  const view = { json: parsed.values.json === true, color: parsed.values.color === true };
  return runAsCli(verb.run(parsed.values, ctx), view, ctx);
}
