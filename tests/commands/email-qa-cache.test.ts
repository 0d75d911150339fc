/**
 * Email QA results cached by content hash, in the process and on disk under `.klaviyo-gitops/cache/qa/`: an
 * unchanged template is not checked again, anything its findings depend on re-checks it, a broken cache is a
 * miss, and a warm build reports exactly what a cold one does.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMAIL_QA_CACHE_DIR, EmailQaDiskCache } from '../../src/commands/email-qa-store.js';
import { runCli } from '../../src/commands/index.js';
import { buildDesiredState, type BuildResult } from '../../src/compile/index.js';
import type { Diagnostic } from '../../src/project/diagnostics.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'render', 'marketing');
const TEMPLATES = 'marketing/brands/pinecone/templates';
const LAYOUT = 'marketing/shared/layouts/card.html';

let cwd: string;
let cacheDir: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'kg-qa-cache-'));
  await cp(FIXTURE, join(cwd, 'marketing'), { recursive: true });
  cacheDir = join(cwd, EMAIL_QA_CACHE_DIR);
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** A cache as a new process sees it: nothing in memory, whatever is on disk. */
function freshRun(writeErrors: string[] = []): EmailQaDiskCache {
  return new EmailQaDiskCache(cacheDir, { memory: new Map(), onWriteError: (m) => writeErrors.push(m) });
}

function build(cache?: EmailQaDiskCache): Promise<BuildResult> {
  return buildDesiredState({ cwd, dir: 'marketing', ...(cache ? { emailQaCache: cache } : {}) });
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const file = join(cwd, path);
  await writeFile(file, change(await readFile(file, 'utf8')));
}

async function entries(): Promise<string[]> {
  return (await readdir(cacheDir)).sort();
}

const byRule = (diagnostics: Diagnostic[], rule: string): string[] =>
  diagnostics.filter((d) => d.rule === rule).map((d) => `${d.file}:${d.line}:${d.col} ${d.severity}`);

describe('the email QA cache', () => {
  it('runs no QA rule for unchanged templates and reports exactly what a cold build does', async () => {
    const uncached = await build();
    const cache = freshRun();
    const cold = await build(cache);
    const warm = await build(cache);

    expect(cold.emailQa).toMatchObject({ checked: 3, reused: 0 });
    expect(warm.emailQa).toMatchObject({ checked: 0, reused: 3 });
    expect(cold.diagnostics.length).toBeGreaterThan(0);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(cold.diagnostics).toEqual(uncached.diagnostics);
    expect([...warm.emailQa.findings.values()]).toEqual([...cold.emailQa.findings.values()]);
  });

  it('keeps the results on disk for the next run, one complete file per template', async () => {
    const cold = await build(freshRun());
    const files = await entries();
    expect(files).toHaveLength(3);
    expect(files.every((f) => /^[0-9a-f]{64}\.json$/.test(f))).toBe(true);

    const next = freshRun();
    const warm = await build(next);
    expect(warm.emailQa).toMatchObject({ checked: 0, reused: 3 });
    expect(next.stats).toMatchObject({ diskHits: 3, misses: 0 });
    expect(warm.diagnostics).toEqual(cold.diagnostics);
  });

  it('re-checks only the template that changed', async () => {
    await build(freshRun());
    await edit(
      `${TEMPLATES}/welcome.html`,
      (t) => `${t}<p><a href="http://pinecone.example/">Shop</a></p>\n`,
    );
    const after = await build(freshRun());
    expect(after.emailQa).toMatchObject({ checked: 1, reused: 2 });
    expect(byRule(after.diagnostics, 'link-https')).toHaveLength(1);
  });

  it('re-checks a template whose source lines moved, so its findings point at the new line', async () => {
    // A finding written in the layout itself (a raw '&'), for the move to shift.
    await edit(LAYOUT, (t) => t.replace('</body>', '<p>Rock & roll</p>\n</body>'));
    const before = await build(freshRun());
    // A build comment across two lines: the assembled email is byte for byte the same, its source map is not.
    await edit(LAYOUT, (t) => t.replace('\n', '[[!-- moved\n--]]\n'));
    const after = await build(freshRun());

    expect(after.states[0]!.templates.map((t) => t.html)).toEqual(
      before.states[0]!.templates.map((t) => t.html),
    );
    expect(after.emailQa.checked).toBe(3);
    const moved = (diagnostics: Diagnostic[]) =>
      diagnostics.filter((d) => d.file === LAYOUT && d.rule === 'html-validate').map((d) => d.line);
    expect(moved(before.diagnostics).length).toBeGreaterThan(0);
    expect(moved(after.diagnostics)).toEqual(moved(before.diagnostics).map((line) => line + 1));
  });

  it("re-checks every template when the brand's rule severities change", async () => {
    const before = await build(freshRun());
    expect(byRule(before.diagnostics, 'html-validate').length).toBeGreaterThan(0);
    await edit('marketing/brands/pinecone/brand.yaml', (t) => `${t}rules:\n  html-validate: 'off'\n`);
    const after = await build(freshRun());
    expect(after.emailQa).toMatchObject({ checked: 3, reused: 0 });
    expect(byRule(after.diagnostics, 'html-validate')).toEqual([]);
  });

  it('re-checks the templates whose sample changed (cart and broken use it, welcome does not)', async () => {
    await build(freshRun());
    await edit('marketing/samples/shopper.yaml', (t) => t.replace('first_name: Robin', 'first_name: Sam'));
    const after = await build(freshRun());
    expect(after.emailQa).toMatchObject({ checked: 2, reused: 1 });
  });

  it('treats a corrupt or unreadable entry as a miss, never a crash, and rewrites it', async () => {
    const cold = await build(freshRun());
    const [first, second, third] = await entries();
    await writeFile(join(cacheDir, first!), '{"format":1,"key":');
    await writeFile(
      join(cacheDir, second!),
      JSON.stringify({ format: 1, key: second!.slice(0, 64), findings: [{}] }),
    );
    await rm(join(cacheDir, third!));
    await mkdir(join(cacheDir, third!));

    const writeErrors: string[] = [];
    const again = await build(freshRun(writeErrors));
    expect(again.emailQa).toMatchObject({ checked: 3, reused: 0 });
    expect(again.diagnostics).toEqual(cold.diagnostics);
    // The two files are whole again; the directory in the way could not be replaced, which is said once.
    for (const file of [first!, second!]) {
      const entry = JSON.parse(await readFile(join(cacheDir, file), 'utf8')) as { findings: unknown[] };
      expect(Array.isArray(entry.findings)).toBe(true);
    }
    expect(writeErrors).toHaveLength(1);
    expect(writeErrors[0]).toContain(`cannot write the email QA cache in ${cacheDir}`);
    expect(await build(freshRun())).toMatchObject({ emailQa: { checked: 1, reused: 2 } });
  });

  it('goes on when the cache cannot be written at all, and says so once', async () => {
    await mkdir(join(cwd, '.klaviyo-gitops', 'cache'), { recursive: true });
    await writeFile(cacheDir, 'not a directory');
    const writeErrors: string[] = [];
    const result = await build(freshRun(writeErrors));
    expect(result.emailQa.checked).toBe(3);
    expect(result.diagnostics).toEqual((await build()).diagnostics);
    expect(writeErrors).toHaveLength(1);
  });

  it('is kept in the working directory by the commands', async () => {
    const outcome = await runCli(['validate'], { cwd, env: {}, progress: () => undefined });
    expect(outcome.stdout).toContain('1 error');
    expect(await entries()).toHaveLength(3);
  });
});
