/**
 * `npm run docs:cli`: writes the README's CLI reference from the verb table that `--help` reads.
 * `npm run docs:cli -- --check` only reports whether the README is current (exit 1 when it is not).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference, currentCliReference, withCliReference } from '../src/commands/cli-reference.js';
import { verbs } from '../src/commands/index.js';

const readmePath = join(import.meta.dirname, '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const reference = cliReference(verbs);
if (process.argv.includes('--check')) {
  const current = currentCliReference(readme) === reference;
  process.stdout.write(
    current ? 'README CLI reference is current\n' : 'README CLI reference is stale: run npm run docs:cli\n',
  );
  process.exitCode = current ? 0 : 1;
} else {
  writeFileSync(readmePath, withCliReference(readme, reference));
  process.stdout.write('README CLI reference written\n');
}
