// Builds action/index.js (the Action) and action/cli.js (the CLI) with ncc, and action/klaviyo/ (the client's
// package export, see bundle-klaviyo.mjs). The output is committed and
// must be byte-identical to a fresh build (CI checks this).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleKlaviyoClient } from './bundle-klaviyo.mjs';

const entries = [
  ['src/action.ts', 'index.js'],
  ['src/cli.ts', 'cli.js'],
];
const ncc = join('node_modules', '.bin', 'ncc');
rmSync('action', { recursive: true, force: true });
mkdirSync('action', { recursive: true });
const licenses = new Set();
for (const [entry, file] of entries) {
  const out = join(tmpdir(), `kg-bundle-${process.pid}-${file}`);
  execFileSync(ncc, ['build', entry, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'], {
    stdio: 'inherit',
  });
  let code = readFileSync(join(out, 'index.js'), 'utf8');
  if (file === 'cli.js' && !code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
  writeFileSync(join('action', file), code);
  const extra = readdirSync(out).filter((f) => !['index.js', 'licenses.txt', 'package.json'].includes(f));
  if (extra.length > 0) throw new Error(`ncc emitted extra files for ${entry} (${extra.join(', ')}); the bundle must be one file`);
  const licenseFile = join(out, 'licenses.txt');
  if (existsSync(licenseFile)) {
    licenses.add(readFileSync(licenseFile, 'utf8').trim());
  }
  rmSync(out, { recursive: true, force: true });
}
writeFileSync(join('action', 'licenses.txt'), [...licenses].sort().join('\n\n') + '\n');
writeFileSync(join('action', 'package.json'), '{ "type": "module" }\n');
chmodSync(join('action', 'cli.js'), 0o755);
await bundleKlaviyoClient();
console.log('bundled action/index.js, action/cli.js and action/klaviyo/');
