/**
 * Blueprints: a flow that `extends:` a shared blueprint takes the blueprint's `flow:` body with the `with:`
 * parameters substituted; any top-level key the flow sets itself replaces the blueprint's. A whole-value
 * "${param}" keeps the parameter's type; inside a longer string it is interpolated. Problems inside the
 * blueprint's content are reported at the blueprint's line, naming the flow that extended it.
 */
import { suggestion, type Diagnostic } from './diagnostics.js';
import { diagnosticAt, type Locator } from './locator.js';
import type {
  BlueprintFile,
  BlueprintParameter,
  BrandProject,
  FlowFile,
  Loaded,
  LoadedFlow,
  Project,
} from './model.js';
import { checkSchema } from './schema-check.js';
import type { YamlPath } from './yaml-source.js';

/** Parameters every blueprint can use without declaring them, filled from the brand. */
export const BUILT_IN_PARAMETERS = [
  'brand_name',
  'brand_greeting',
  'brand_sign_off',
  'brand_website',
  'flow_key',
] as const;

/** Keys of a flow file that stay with the flow and are never taken from a blueprint. */
const FLOW_OWN_KEYS = new Set(['name', 'extends', 'with', 'prevent_destroy']);

/** Expands every brand's flows in place and schema-checks the result. */
export function expandBlueprints(project: Project): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const brand of project.brands.values()) {
    for (const [key, flow] of brand.flows) {
      const expanded = expandFlow(flow, brand, project, diagnostics);
      brand.flows.set(key, expanded);
    }
  }
  return diagnostics;
}

function expandFlow(flow: LoadedFlow, brand: BrandProject, project: Project, out: Diagnostic[]): LoadedFlow {
  if (!flow.valid) return flow;
  const raw = flow.value as Partial<FlowFile> & Record<string, unknown>;
  // The file as written must fit the schema on its own (unknown keys, types), whatever it extends.
  const ownProblems = checkSchema('flow', raw, flow.at).filter((d) => d.rule !== 'missing-key');
  out.push(...ownProblems);
  if (ownProblems.length > 0) return { ...flow, valid: false };
  if (raw.extends === undefined) return finish(flow, raw, flow.at, out);

  const blueprint = project.blueprints.get(raw.extends);
  if (!blueprint) {
    out.push(
      diagnosticAt(
        flow.at(['extends']),
        'unknown-blueprint',
        'error',
        `unknown blueprint '${raw.extends}'`,
        suggestion(raw.extends, project.blueprints.keys()) ?? `add shared/blueprints/${raw.extends}.yaml`,
      ),
    );
    return { ...flow, valid: false, blueprint: raw.extends };
  }
  if (!blueprint.valid) return { ...flow, valid: false, blueprint: raw.extends };

  const note = `in blueprint '${blueprint.key}', extended by ${flow.file}`;
  const blueprintAt: Locator = (path, options) => ({ ...blueprint.at(['flow', ...path], options), note });
  const values = parameterValues(flow, blueprint, brand, out);
  if (!values) return { ...flow, valid: false, blueprint: raw.extends };

  const before = out.length;
  const body = substitute(blueprint.value.flow, [], values, blueprintAt, out) as Record<string, unknown>;
  if (out.length > before) return { ...flow, valid: false, blueprint: raw.extends };

  const merged: Record<string, unknown> = { ...body };
  const ownKeys = new Set<string>();
  for (const [k, v] of Object.entries(raw)) {
    merged[k] = v;
    if (!FLOW_OWN_KEYS.has(k)) ownKeys.add(k);
  }
  const at: Locator = (path, options) => {
    const head = path[0];
    if (path.length === 0 || (typeof head === 'string' && (ownKeys.has(head) || FLOW_OWN_KEYS.has(head))))
      return flow.at(path, options);
    return blueprintAt(path, options);
  };
  return { ...finish(flow, merged, at, out), blueprint: blueprint.key };
}

function finish(
  flow: LoadedFlow,
  value: Record<string, unknown>,
  at: Locator,
  out: Diagnostic[],
): LoadedFlow {
  const problems = checkSchema('flow', value, at);
  for (const required of ['trigger', 'steps']) {
    if (value[required] === undefined && !problems.some((d) => d.message.includes(`'${required}'`))) {
      problems.push(
        diagnosticAt(
          at([]),
          'missing-key',
          'error',
          `the flow has no '${required}'`,
          `add '${required}:' or 'extends:' a blueprint that has it`,
        ),
      );
    }
  }
  out.push(...problems);
  return { ...flow, value: value as unknown as FlowFile, at, valid: problems.length === 0 };
}

function parameterValues(
  flow: LoadedFlow,
  blueprint: Loaded<BlueprintFile>,
  brand: BrandProject,
  out: Diagnostic[],
): Map<string, unknown> | undefined {
  const declared = blueprint.value.parameters ?? {};
  const given = (flow.value.with ?? {}) as Record<string, unknown>;
  const values = new Map<string, unknown>();
  let ok = true;
  const tone = brand.config.valid ? brand.config.value.tone : {};
  values.set('brand_name', brand.config.value.name ?? brand.key);
  values.set('brand_greeting', tone.greeting ?? '');
  values.set('brand_sign_off', tone.sign_off ?? '');
  values.set('brand_website', brand.config.value.website ?? '');
  values.set('flow_key', flow.key);
  for (const [name, value] of Object.entries(given)) {
    const parameter = declared[name];
    if (!parameter) {
      ok = false;
      out.push(
        diagnosticAt(
          flow.at(['with', name], { key: true }),
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
        diagnosticAt(flow.at(['with', name]), 'schema', 'error', `parameter '${name}' ${typeProblem}`),
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
          flow.at(flow.value.with ? ['with'] : ['extends']),
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
