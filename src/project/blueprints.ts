/**
 * Blueprints: a flow or segment that `extends:` a shared blueprint takes the blueprint's `flow:` or `segment:`
 * body with the `with:` parameters substituted; any top-level key the file sets itself replaces the
 * blueprint's. A whole-value "${param}" keeps the parameter's type; inside a longer string it is interpolated.
 * Problems inside the blueprint's content are reported at the blueprint's line, naming the file that extended it.
 */
import { suggestion, type Diagnostic } from './diagnostics.js';
import { diagnosticAt, type Locator } from './locator.js';
import type {
  BlueprintFile,
  BlueprintParameter,
  BrandProject,
  Loaded,
  LoadedFlow,
  LoadedSegment,
  Project,
} from './model.js';
import { checkSchema } from './schema-check.js';
import type { YamlPath } from './yaml-source.js';

/** Parameters every blueprint can use without declaring them, filled from the brand (`*_key`: the file's key). */
export const BUILT_IN_PARAMETERS = [
  'brand_name',
  'brand_greeting',
  'brand_sign_off',
  'brand_website',
  'flow_key',
  'segment_key',
] as const;

/** What can extend a blueprint: the blueprint body key, the schema, and what the result must have. */
type Kind = 'flow' | 'segment';
const REQUIRED_KEYS: Record<Kind, readonly string[]> = { flow: ['trigger', 'steps'], segment: ['all'] };

/** Keys of a file that stay with the file and are never taken from a blueprint. */
const OWN_KEYS = new Set(['name', 'extends', 'with', 'prevent_destroy']);

type Extending = LoadedFlow | LoadedSegment;

/** Expands every brand's flows and segments in place and schema-checks the result. */
export function expandBlueprints(project: Project): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...checkBlueprintBodies(project)];
  for (const brand of project.brands.values()) {
    for (const [key, flow] of brand.flows)
      brand.flows.set(key, expand('flow', flow, brand, project, diagnostics));
    for (const [key, segment] of brand.segments)
      brand.segments.set(key, expand('segment', segment, brand, project, diagnostics));
  }
  return diagnostics;
}

/** A blueprint is the body of one kind: exactly one of `flow:` and `segment:`. */
function checkBlueprintBodies(project: Project): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const blueprint of project.blueprints.values()) {
    if (!blueprint.valid) continue;
    const bodies = (['flow', 'segment'] as const).filter((k) => blueprint.value[k] !== undefined);
    if (bodies.length === 1) continue;
    blueprint.valid = false;
    out.push(
      diagnosticAt(
        blueprint.at(bodies.length > 1 ? [bodies[1]!] : [], bodies.length > 1 ? { key: true } : {}),
        'blueprint-body',
        'error',
        bodies.length === 0
          ? "the blueprint has no body: it needs 'flow:' or 'segment:'"
          : "a blueprint is either a flow or a segment: it has both 'flow:' and 'segment:'",
        bodies.length === 0
          ? "add 'flow:' (a flow body) or 'segment:' (a segment body)"
          : 'split it into two blueprints',
      ),
    );
  }
  return out;
}

function expand<T extends Extending>(
  kind: Kind,
  file: T,
  brand: BrandProject,
  project: Project,
  out: Diagnostic[],
): T {
  if (!file.valid) return file;
  const raw = file.value as unknown as Record<string, unknown>;
  // The file as written must fit the schema on its own (unknown keys, types), whatever it extends.
  const ownProblems = checkSchema(kind, raw, file.at).filter((d) => d.rule !== 'missing-key');
  out.push(...ownProblems);
  if (ownProblems.length > 0) return { ...file, valid: false };
  if (raw.extends === undefined) return finish(kind, file, raw, file.at, out);

  const extendsKey = String(raw.extends);
  const blueprint = project.blueprints.get(extendsKey);
  if (!blueprint) {
    out.push(
      diagnosticAt(
        file.at(['extends']),
        'unknown-blueprint',
        'error',
        `unknown blueprint '${extendsKey}'`,
        suggestion(extendsKey, project.blueprints.keys()) ?? `add shared/blueprints/${extendsKey}.yaml`,
      ),
    );
    return { ...file, valid: false, blueprint: extendsKey };
  }
  if (!blueprint.valid) return { ...file, valid: false, blueprint: extendsKey };
  const source = blueprint.value[kind];
  if (source === undefined) {
    const other = kind === 'flow' ? 'segment' : 'flow';
    out.push(
      diagnosticAt(
        file.at(['extends']),
        'blueprint-kind',
        'error',
        `blueprint '${extendsKey}' is a ${other} blueprint: a ${kind} cannot extend it`,
        suggestion(
          extendsKey,
          [...project.blueprints.values()].filter((b) => b.value[kind] !== undefined).map((b) => b.key),
        ) ?? `extend a blueprint with a '${kind}:' body`,
      ),
    );
    return { ...file, valid: false, blueprint: extendsKey };
  }

  const note = `in blueprint '${blueprint.key}', extended by ${file.file}`;
  const blueprintAt: Locator = (path, options) => ({ ...blueprint.at([kind, ...path], options), note });
  const values = parameterValues(kind, file, blueprint, brand, out);
  if (!values) return { ...file, valid: false, blueprint: extendsKey };

  const before = out.length;
  const body = substitute(source, [], values, blueprintAt, out) as Record<string, unknown>;
  if (out.length > before) return { ...file, valid: false, blueprint: extendsKey };

  const merged: Record<string, unknown> = { ...body };
  const ownKeys = new Set<string>();
  for (const [k, v] of Object.entries(raw)) {
    merged[k] = v;
    if (!OWN_KEYS.has(k)) ownKeys.add(k);
  }
  const at: Locator = (path, options) => {
    const head = path[0];
    if (path.length === 0 || (typeof head === 'string' && (ownKeys.has(head) || OWN_KEYS.has(head))))
      return file.at(path, options);
    return blueprintAt(path, options);
  };
  return { ...finish(kind, file, merged, at, out), blueprint: blueprint.key };
}

function finish<T extends Extending>(
  kind: Kind,
  file: T,
  value: Record<string, unknown>,
  at: Locator,
  out: Diagnostic[],
): T {
  const problems = checkSchema(kind, value, at);
  for (const required of REQUIRED_KEYS[kind]) {
    if (value[required] === undefined && !problems.some((d) => d.message.includes(`'${required}'`))) {
      problems.push(
        diagnosticAt(
          at([]),
          'missing-key',
          'error',
          `the ${kind} has no '${required}'`,
          `add '${required}:' or 'extends:' a blueprint that has it`,
        ),
      );
    }
  }
  out.push(...problems);
  return { ...file, value: value as unknown as T['value'], at, valid: problems.length === 0 };
}

function parameterValues(
  kind: Kind,
  file: Extending,
  blueprint: Loaded<BlueprintFile>,
  brand: BrandProject,
  out: Diagnostic[],
): Map<string, unknown> | undefined {
  const declared = blueprint.value.parameters ?? {};
  const given = (file.value.with ?? {}) as Record<string, unknown>;
  const values = new Map<string, unknown>();
  let ok = true;
  const tone = brand.config.valid ? brand.config.value.tone : {};
  values.set('brand_name', brand.config.value.name ?? brand.key);
  values.set('brand_greeting', tone.greeting ?? '');
  values.set('brand_sign_off', tone.sign_off ?? '');
  values.set('brand_website', brand.config.value.website ?? '');
  values.set(`${kind}_key`, file.key);
  for (const [name, value] of Object.entries(given)) {
    const parameter = declared[name];
    if (!parameter) {
      ok = false;
      out.push(
        diagnosticAt(
          file.at(['with', name], { key: true }),
          'unknown-parameter',
          'error',
          `blueprint '${blueprint.key}' has no parameter '${name}'`,
          suggestion(name, Object.keys(declared)) ??
            (Object.keys(declared).length
              ? `its parameters: ${Object.keys(declared).join(', ')}`
              : 'it takes no parameters'),
        ),
      );
      continue;
    }
    const typeProblem = checkParameterType(parameter, value);
    if (typeProblem) {
      ok = false;
      out.push(
        diagnosticAt(file.at(['with', name]), 'schema', 'error', `parameter '${name}' ${typeProblem}`),
      );
      continue;
    }
    values.set(name, value);
  }
  for (const [name, parameter] of Object.entries(declared)) {
    if (values.has(name) && name in given) continue;
    if (parameter.default !== undefined) {
      values.set(name, parameter.default);
    } else if (parameter.required !== false) {
      ok = false;
      out.push(
        diagnosticAt(
          file.at(file.value.with ? ['with'] : ['extends']),
          'missing-parameter',
          'error',
          `blueprint '${blueprint.key}' needs the parameter '${name}'${parameter.description ? ` (${parameter.description})` : ''}`,
          `add '${name}:' under 'with:'`,
        ),
      );
    }
  }
  return ok ? values : undefined;
}

function checkParameterType(parameter: BlueprintParameter, value: unknown): string | undefined {
  const type = parameter.type;
  if (!type) return undefined;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type === 'integer')
    return Number.isInteger(value) ? undefined : `must be a whole number, not ${JSON.stringify(value)}`;
  if (type === 'object') return actual === 'object' ? undefined : `must be a mapping`;
  return actual === type ? undefined : `must be a ${type}, not ${JSON.stringify(value)}`;
}

const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const INLINE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substitute(
  node: unknown,
  path: YamlPath,
  values: Map<string, unknown>,
  at: Locator,
  out: Diagnostic[],
): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole) return lookup(whole[1]!, path, values, at, out);
    return node.replace(INLINE, (match, escaped: string, name: string) => {
      if (escaped) return match.slice(1);
      const value = lookup(name, path, values, at, out);
      return value === undefined ? match : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => substitute(item, [...path, i], values, at, out));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, substitute(v, [...path, k], values, at, out)]),
    );
  }
  return node;
}

function lookup(
  name: string,
  path: YamlPath,
  values: Map<string, unknown>,
  at: Locator,
  out: Diagnostic[],
): unknown {
  if (values.has(name)) return values.get(name);
  out.push(
    diagnosticAt(
      at(path),
      'unknown-parameter',
      'error',
      `'\${${name}}' is not a parameter of this blueprint`,
      suggestion(name, values.keys()) ?? `declare it under 'parameters:'`,
    ),
  );
  return undefined;
}
