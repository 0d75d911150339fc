/**
 * The CLI explains itself: every verb's --help from the verb table (every option the parser accepts, with its
 * default, the environment, examples, exit codes), our own usage errors with a did-you-mean, stray arguments
 * refused, `--markdown -` on stdout, a wrong --dir named as such, and a README that matches the help.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parserOptions } from '../../src/commands/cli-options.js';
import { cliReference, currentCliReference } from '../../src/commands/cli-reference.js';
import { exitCodesOf } from '../../src/commands/exit-codes.js';
import { runCli, verbs } from '../../src/commands/index.js';
import { tempProject, type TempProject } from '../project/temp-project.js';
import { buildCli, runCliProcess } from './cli-process.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const ctx = (cwd = process.cwd()) => ({ cwd, env: {}, progress: () => {} });
const names = Object.keys(verbs);

/** The option names an `Options:` section lists, e.g. `--dir`, `--no-rate-limits`. */
function listedOptions(help: string): string[] {
  const section = help.split('\nOptions:\n')[1]!.split('\n\n')[0]!;
  return section
    .split('\n')
    .flatMap((line) => [...line.matchAll(/^\s+(?:-h, )?--([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

describe('klaviyo-gitops <verb> --help', () => {
  it.each(names)('%s --help names every option the parser accepts, and no other', async (name) => {
    const help = await runCli([...name.split(' '), '--help'], ctx());
    expect(help.exitCode).toBe(0);
    expect(help.stderr).toBeUndefined();
    const accepted = Object.keys(parserOptions(verbs[name]!.options));
    expect(accepted.length).toBeGreaterThan(0);
    expect(listedOptions(help.stdout).sort()).toEqual([...accepted, 'help'].sort());
  });

  it.each(names)('%s --help says what it does, the defaults, examples and exit codes', async (name) => {
    const verb = verbs[name]!;
    const { stdout } = await runCli([...name.split(' '), '--help'], ctx());
    expect(stdout).toMatch(new RegExp(`^Usage: klaviyo-gitops ${name} `));
    expect(stdout).toContain(verb.summary);
    for (const option of Object.values(verb.options)) {
      expect(stdout).toContain(option.description);
      const stated = option.defaultText ?? option.default;
      if (stated !== undefined) expect(stdout).toContain(`(default: ${stated})`);
    }
    expect(stdout).toContain('\nExamples:\n');
    for (const example of verb.examples) expect(stdout).toContain(`  ${example}`);
    for (const row of exitCodesOf(name)) expect(stdout).toContain(`${row.code}`.padEnd(3) + `  ${row.when}`);
  });

  it('gives the same help for -h and for `help <verb>`, sub-verbs included', async () => {
    for (const name of names) {
      const words = name.split(' ');
      const long = await runCli([...words, '--help'], ctx());
      expect(await runCli([...words, '-h'], ctx())).toEqual(long);
      expect(await runCli(['help', ...words], ctx())).toEqual(long);
    }
  });

  it('lists the environment each verb reads', async () => {
    const plan = (await runCli(['plan', '--help'], ctx())).stdout;
    for (const variable of ['KLAVIYO_API_KEY_<BRAND>', 'KLAVIYO_API_KEY', 'KLAVIYO_BASE_URL'])
      expect(plan).toMatch(new RegExp(`\\n  ${variable.replace(/[<>]/g, '.')}\\s`));
    expect((await runCli(['render', '--help'], ctx())).stdout).toContain('CHROME_PATH');
    expect((await runCli(['sync', '--help'], ctx())).stdout).toContain('TIKTOK_SHOP_BASE_URL');
    expect((await runCli(['validate', '--help'], ctx())).stdout).not.toContain('Environment:');
  });

  it('--help lists every verb with its one line, on stdout, exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const outcome = await runCli(argv, ctx());
      expect(outcome.exitCode).toBe(0);
      for (const [name, verb] of Object.entries(verbs))
        expect(outcome.stdout).toMatch(
          new RegExp(`\\n  ${name} +${verb.summary.replace(/[()+|?*.]/g, '\\$&')}\\n`),
        );
    }
  });
});

describe('usage errors', () => {
  it('an unknown command: our message with a did-you-mean, exit 2', async () => {
    const outcome = await runCli(['valdate'], ctx());
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^error: unknown command 'valdate'; did you mean 'validate'\?\n/);
    expect((await runCli(['help', 'plna'], ctx())).stderr).toContain("did you mean 'plan'?");
  });

  it("an unknown option: our message, the nearest option, the verb's usage, exit 2", async () => {
    const typo = await runCli(['plan', '--detailed-exitcod'], ctx());
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain(
      "error: unknown option '--detailed-exitcod' for 'plan'; did you mean '--detailed-exitcode'?\nUsage: klaviyo-gitops plan [--dir marketing]",
    );
    expect(typo.stderr).not.toContain('To specify a positional argument');
    const prefix = await runCli(['sandbox', '--no-rate'], ctx());
    expect(prefix.stderr).toContain("did you mean '--no-rate-limits'?");
    const far = await runCli(['validate', '--everything'], ctx());
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toMatch(/^error: unknown option '--everything' for 'validate'\nUsage: /);
  });

  it('an option without its value, or a switch with one, exit 2', async () => {
    const missing = await runCli(['plan', '--out', '--color'], ctx());
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(
      "error: --out needs a value: --out output/plan.json (got the option '--color')",
    );
    const atEnd = await runCli(['render', '--out'], ctx());
    expect(atEnd.stderr).toContain('error: --out needs a value');
    const valued = await runCli(['validate', '--json=yes'], ctx());
    expect(valued.exitCode).toBe(2);
    expect(valued.stderr).toContain("error: --json is a switch and takes no value (got '--json=yes')");
  });

  it('a stray argument is refused, saying what the verb takes instead', async () => {
    project = tempProject();
    const outcome = await runCli(['validate', 'marketing/brands/acme/brand.yaml'], ctx(project.cwd));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain(
      "error: 'validate' takes no arguments (got 'marketing/brands/acme/brand.yaml'): it works on the whole marketing directory; choose with --dir marketing and --brand B",
    );
    const history = await runCli(['sync', 'history', 'today'], ctx(project.cwd));
    expect(history.exitCode).toBe(2);
    expect(history.stderr).toContain(
      "'sync history' takes no arguments (got 'today'): it works on the whole marketing directory; choose with --dir marketing and --brand B",
    );
  });
});

describe('the paths and outputs a user meets', () => {
  it('--dir pointing inside the marketing directory names the directory to pass', async () => {
    project = tempProject();
    for (const dir of ['marketing/brands', 'marketing/brands/acme']) {
      const outcome = await runCli(['validate', '--dir', dir], ctx(project.cwd));
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toBe(
        `error: ${dir} is not a marketing directory (it has no klaviyo-gitops.yaml and no brands/ folder); it is inside the marketing directory marketing: pass --dir marketing`,
      );
    }
    const inside = await runCli(['validate', '--dir', 'brands'], ctx(join(project.cwd, 'marketing')));
    expect(inside.stderr).toBe(
      'error: brands is not a marketing directory (it has no klaviyo-gitops.yaml and no brands/ folder); it is inside the marketing directory .: pass --dir .',
    );
  });

  it('plan --markdown - prints the markdown plan on stdout and writes no file named -', async () => {
    project = tempProject();
    const toFile = await runCli(['plan', '--target', 'sandbox', '--markdown', 'plan.md'], ctx(project.cwd));
    expect(toFile.exitCode).toBe(0);
    const toStdout = await runCli(['plan', '--target', 'sandbox', '--markdown', '-'], ctx(project.cwd));
    expect(toStdout.exitCode).toBe(0);
    expect(toStdout.stdout).toBe(readFileSync(join(project.cwd, 'plan.md'), 'utf8'));
    expect(toStdout.stdout).toContain('flow <code>welcome</code>');
    expect(existsSync(join(project.cwd, '-'))).toBe(false);
  }, 60_000);
});

describe('as a process', () => {
  let cli: string;
  beforeAll(async () => {
    cli = await buildCli();
  }, 60_000);

  it('help goes to stdout with exit 0; an unknown option to stderr with exit 2', async () => {
    const [help, unknown] = await Promise.all([
      runCliProcess(cli, ['sync', 'history', '--help'], { cwd: process.cwd(), env: {}, timeoutMs: 30_000 }),
      runCliProcess(cli, ['validate', '--jsn'], { cwd: process.cwd(), env: {}, timeoutMs: 30_000 }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: klaviyo-gitops sync history /);
    expect(help.stderr).toBe('');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^error: unknown option '--jsn' for 'validate'; did you mean '--json'\?\n/,
    );
  }, 60_000);
});

describe('the README', () => {
  it('carries the CLI reference generated from the verb table (npm run docs:cli)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(currentCliReference(readme)).toBe(cliReference(verbs));
  });

  it('names the options it used to miss', () => {
    const reference = cliReference(verbs);
    expect(reference).toContain('[--color]');
    expect(reference).toContain('[--no-rate-limits]');
    expect(reference).toMatch(/klaviyo-gitops import \[--dir marketing\]/);
  });
});
