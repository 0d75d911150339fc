/**
 * Every command that builds the desired state checks what `validate` checks, email QA included: a template
 * `validate` rejects is refused by plan, apply, drift and import before any Klaviyo request, with the finding
 * at its path:line:col.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runApply } from '../../src/commands/apply.js';
import type { CommandContext } from '../../src/commands/command.js';
import { CommandError } from '../../src/commands/errors.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { runDrift } from '../../src/commands/drift.js';
import { runImport } from '../../src/commands/import.js';
import { runCli } from '../../src/commands/index.js';
import type { CommandDeps } from '../../src/commands/plan.js';
import { runPlan } from '../../src/commands/plan.js';
import { instantClock } from '../engine/sandbox-helpers.js';
import { tempProject, type TempProject } from '../project/temp-project.js';

const TEMPLATE = 'marketing/brands/acme/templates/hello.html';
const FRONT_MATTER = [
  '---',
  'name: Hello',
  'subject: Hello there',
  'preview_text: A short hello',
  'layout: base',
  '---',
];
const GREETING = "<p>[[brand.tone.greeting]] {{ first_name|default:'there' }}</p>";
const UNSUBSCRIBE = '<p><a href="{% unsubscribe_link %}">Unsubscribe</a></p>';

/** The hello template of the minimal project with one QA error each, and the finding validate prints. */
const BROKEN_TEMPLATES: Array<{ error: string; lines: string[]; finding: string }> = [
  {
    error: 'an unknown filter',
    lines: [...FRONT_MATTER, "<p>[[brand.tone.greeting]] {{ first_name|defualt:'there' }}</p>", UNSUBSCRIBE],
    finding: `${TEMPLATE}:7:42: error klaviyo-syntax: unknown filter 'defualt'`,
  },
  {
    error: 'no unsubscribe link',
    lines: [...FRONT_MATTER, GREETING, '<p>See you soon.</p>'],
    finding: `${TEMPLATE}:1:1: error unsubscribe-required: the HTML has no unsubscribe link`,
  },
  {
    error: 'no postal address',
    // No layout, so no footer with the brand's address.
    lines: [
      '---',
      'name: Hello',
      'subject: Hello there',
      'preview_text: A short hello',
      '---',
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head><meta charset="utf-8"><title>Hello</title></head>',
      "<body><p>Hi {{ first_name|default:'there' }}</p>",
      `${UNSUBSCRIBE}</body>`,
      '</html>',
    ],
    finding: `${TEMPLATE}:1:1: error postal-address-required: the email does not show the brand's postal address`,
  },
  {
    error: 'an http:// link',
    lines: [
      ...FRONT_MATTER,
      GREETING,
      '<p>Visit <a href="http://acme.example/shop">our shop</a>.</p>',
      UNSUBSCRIBE,
    ],
    finding: `${TEMPLATE}:8:10: error link-https: <a href="http://acme.example/shop"> uses http://`,
  },
  {
    error: 'an image without alt text',
    lines: [
      ...FRONT_MATTER,
      GREETING,
      '<p><img src="https://acme.example/hero.png" width="600"></p>',
      UNSUBSCRIBE,
    ],
    finding: `${TEMPLATE}:8:4: error img-alt: <img src="https://acme.example/hero.png"> has no alt attribute`,
  },
];

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

/** A project on the embedded sandbox (no key), and deps whose client counts every request it makes. */
function setUp(lines: string[]): { ctx: CommandContext; deps: CommandDeps; requests: string[] } {
  project = tempProject({ [TEMPLATE]: `${lines.join('\n')}\n` });
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return fetch(input, init);
  };
  const deps: CommandDeps = {
    targets: {
      client: { fetch: counting, clock: instantClock(), timeoutMs: 3_600_000 },
      sandbox: { enforceRateLimits: false },
    },
  };
  return { ctx: { cwd: project.cwd, env: {}, progress: () => undefined }, deps, requests };
}

/** The command throws a refusal for invalid files, with the finding among its diagnostics. */
async function expectRefused(run: Promise<unknown>, finding: string, requests: string[]): Promise<void> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CommandError);
  const refusal = error as CommandError;
  expect(refusal.kind).toBe('refused');
  expect(refusal.reason).toBe('validation-failed');
  expect((refusal.details.diagnostics ?? []).map(formatDiagnostic).join('\n')).toContain(finding);
  expect(requests).toEqual([]);
  // The embedded sandbox was never started, so it holds no templates or flows.
  expect(existsSync(join(project!.cwd, '.klaviyo-sandbox'))).toBe(false);
}

describe.each(BROKEN_TEMPLATES)('a template with $error', ({ lines, finding }) => {
  it('is an error in validate', async () => {
    const { ctx } = setUp(lines);
    const outcome = await runCli(['validate'], ctx);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(finding);
  });

  it('is refused by plan before any Klaviyo request', async () => {
    const { ctx, deps, requests } = setUp(lines);
    await expectRefused(runPlan({ dir: 'marketing', detailedExitcode: false }, ctx, deps), finding, requests);
    expect(existsSync(join(project!.cwd, 'output/plan.json'))).toBe(false);
  });

  it('is refused by apply before any Klaviyo request', async () => {
    const { ctx, deps, requests } = setUp(lines);
    await expectRefused(
      runApply({ dir: 'marketing', allowDestroy: false, force: false, autoApprove: true }, ctx, deps),
      finding,
      requests,
    );
  });
});

describe('the other commands that build the desired state', () => {
  const [unknownFilter] = BROKEN_TEMPLATES;

  it('drift refuses a template validate rejects', async () => {
    const { ctx, deps, requests } = setUp(unknownFilter!.lines);
    await expectRefused(
      runDrift({ dir: 'marketing', failOnDrift: false }, ctx, deps),
      unknownFilter!.finding,
      requests,
    );
  });

  it('import refuses a brand whose template validate rejects', async () => {
    const { ctx, deps, requests } = setUp(unknownFilter!.lines);
    await expectRefused(
      runImport({ dir: 'marketing', brand: 'acme' }, ctx, deps),
      unknownFilter!.finding,
      requests,
    );
  });

  it('the CLI prints the finding and exits 1 for plan and apply', async () => {
    const { ctx } = setUp(unknownFilter!.lines);
    for (const verb of ['plan', 'apply']) {
      const outcome = await runCli([verb], ctx);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toContain(unknownFilter!.finding);
      expect(outcome.stderr).toContain('error: the marketing files have 1 error;');
    }
    expect(existsSync(join(project!.cwd, '.klaviyo-sandbox'))).toBe(false);
  });
});
