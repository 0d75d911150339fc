// Proves the sync history database works inside an ncc bundle, as it will in action/cli.js: bundles a tiny
// program that opens a history, records a batch and reopens it, checks ncc emitted one file, runs it with
// plain node, and prints the bundle's size and the open time. Until the `sync` verb imports the history,
// `npm run bundle` does not include it; this is the check that the bundler does not break the engine.
//
//   node scripts/check-history-bundle.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'kg-history-bundle-'));
const entry = join(root, 'src', `.history-bundle-check-${process.pid}.ts`);
try {
  writeFileSync(
    entry,
    `import { openSyncHistory } from './sync/history/database.js';
const path = process.argv[2]!;
const started = performance.now();
const first = await openSyncHistory(path);
const openMs = performance.now() - started;
const { runId } = first.openRun({ brand: 'b', source: 's', stream: 'events', invocationId: 'i', direction: 'to-klaviyo', startedAt: new Date() });
first.acknowledgeBatch(runId, { key: 'k1', items: 1, accepted: 1, failed: 0, cursor: { line: 2 } });
first.close();
const second = await openSyncHistory(path);
const resumed = second.openRun({ brand: 'b', source: 's', stream: 'events', invocationId: 'j', direction: 'to-klaviyo', startedAt: new Date() });
second.close();
if (JSON.stringify(resumed.resume?.cursor) !== '{"line":2}' || !resumed.resume?.acknowledged.has('k1')) throw new Error('no resume');
console.log(JSON.stringify({ openMs: Math.round(openMs) }));
`,
  );
  const out = join(work, 'out');
  execFileSync(join(root, 'node_modules', '.bin', 'ncc'), ['build', entry, '-o', out, '--quiet', '--target', 'es2022'], {
    stdio: 'inherit',
  });
  const files = readdirSync(out).filter((f) => f !== 'package.json');
  if (files.length !== 1) throw new Error(`ncc emitted ${files.join(', ')}; the bundle must be one file`);
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const result = execFileSync(process.execPath, [join(out, 'index.js'), join(work, 'sync.db')], { encoding: 'utf8' });
  const { openMs } = JSON.parse(result);
  const kib = Math.round(statSync(join(out, 'index.js')).size / 1024);
  console.log(`history bundle ok: one file, ${kib} KiB; first open (engine start included) ${openMs} ms`);
} finally {
  rmSync(entry, { force: true });
  rmSync(work, { recursive: true, force: true });
}
