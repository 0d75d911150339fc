/**
 * JSON-Schema validation of marketing files (schemas/*.schema.json), with every ajv error turned into a
 * diagnostic at the YAML node it is about and a message that says how to fix it.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import blueprintSchema from '../../schemas/blueprint.schema.json' with { type: 'json' };
import brandSchema from '../../schemas/brand.schema.json' with { type: 'json' };
import conditionsSchema from '../../schemas/conditions.schema.json' with { type: 'json' };
import flowSchema from '../../schemas/flow.schema.json' with { type: 'json' };
import listSchema from '../../schemas/list.schema.json' with { type: 'json' };
import metricsSchema from '../../schemas/metrics.schema.json' with { type: 'json' };
import rootSchema from '../../schemas/root.schema.json' with { type: 'json' };
import sampleSchema from '../../schemas/sample.schema.json' with { type: 'json' };
import segmentSchema from '../../schemas/segment.schema.json' with { type: 'json' };
import syncSchema from '../../schemas/sync.schema.json' with { type: 'json' };
import frontMatterSchema from '../../schemas/template-front-matter.schema.json' with { type: 'json' };
import { didYouMean, suggestion, type Diagnostic } from './diagnostics.js';
import { describePath, diagnosticAt, type Locator } from './locator.js';
import type { YamlPath } from './yaml-source.js';

export type SchemaName =
  | 'root'
  | 'brand'
  | 'list'
  | 'segment'
  | 'flow'
  | 'blueprint'
  | 'sample'
  | 'sync'
  | 'metrics'
  | 'template-front-matter';

const schemas: Record<SchemaName, object> = {
  root: rootSchema,
  brand: brandSchema,
  list: listSchema,
  segment: segmentSchema,
  flow: flowSchema,
  blueprint: blueprintSchema,
  sample: sampleSchema,
  sync: syncSchema,
  metrics: metricsSchema,
  'template-front-matter': frontMatterSchema,
};

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (fn) return fn;
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    addFormats.default(ajv, ['email', 'uri']);
    ajv.addSchema(conditionsSchema);
    for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  }
  fn = ajv.getSchema(`${name}.schema.json`);
  if (!fn) throw new Error(`schema ${name}.schema.json is not registered`);
  compiled.set(name, fn);
  return fn;
}

/**
 * More than a person reads before fixing the file. Each problem is located in the YAML and compared with the
 * others, so listing all of a file's thousands of unknown keys would take minutes.
 */
const MAX_SCHEMA_DIAGNOSTICS = 50;

/** Validates `value` against a file schema; each problem is reported where `at` says the node was written. */
export function checkSchema(name: SchemaName, value: unknown, at: Locator): Diagnostic[] {
  const validate = validatorFor(name);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A misspelt required key shows up twice: as unknown ('nmae') and as missing ('name'). Keep the first,
  // whose did-you-mean already says what to do.
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => {
        const allowed = Object.keys(
          (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
        );
        const key = String((e.params as { additionalProperty?: string }).additionalProperty);
        return `${e.instancePath}|${didYouMean(key, allowed) ?? ''}`;
      }),
  );
  const kept = errors.filter(
    (e) =>
      !(
        e.keyword === 'required' &&
        misspelt.has(
          `${e.instancePath}|${String((e.params as { missingProperty?: string }).missingProperty)}`,
        )
      ),
  );
  const out: Diagnostic[] = [];
  for (const error of kept) {
    if (out.length >= MAX_SCHEMA_DIAGNOSTICS) {
      out.push(
        diagnosticAt(
          at([]),
          'schema',
          'error',
          `the file breaks its schema in more places than the ${MAX_SCHEMA_DIAGNOSTICS} listed`,
          'fix the listed problems and validate again',
        ),
      );
      break;
    }
    out.push(...diagnosticFor(error, value, at, errors));
  }
  return out;
}

function pathOf(instancePath: string): YamlPath {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function diagnosticFor(error: ErrorObject, root: unknown, at: Locator, all: ErrorObject[]): Diagnostic[] {
  const path = pathOf(error.instancePath);
  const where = describeLocation(path);
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  // Errors inside a failed anyOf branch: keep only those of the branch that fits the value's shape.
  if (insideFailedAlternative(error, all, root)) return [];
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const fix =
        suggestion(key, allowed) ?? (allowed.length ? `allowed keys here: ${allowed.join(', ')}` : undefined);
      return [
        diagnosticAt(
          at([...path, key], { key: true }),
          'unknown-key',
          'error',
          `unknown key '${key}'${where}`,
          fix,
        ),
      ];
    }
    case 'required': {
      const key = String(params.missingProperty);
      return [
        diagnosticAt(
          at(path),
          'missing-key',
          'error',
          `missing required key '${key}'${where}`,
          `add '${key}:'`,
        ),
      ];
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => v !== null).map(String);
      const value = valueAt(root, path);
      const fix = typeof value === 'string' ? suggestion(value, allowed) : undefined;
      return [
        diagnosticAt(
          at(path),
          'schema',
          'error',
          `${show(value)} is not allowed${where}: use one of ${allowed.join(', ')}`,
          fix,
        ),
      ];
    }
    case 'const':
      return [diagnosticAt(at(path), 'schema', 'error', `must be ${show(params.allowedValue)}${where}`)];
    case 'type':
      return [
        diagnosticAt(
          at(path),
          'schema',
          'error',
          `must be ${article(String(params.type))}${where}, not ${kindOf(valueAt(root, path))}`,
        ),
      ];
    case 'pattern': {
      const value = valueAt(root, path);
      const known = KNOWN_PATTERNS[String(params.pattern)];
      return [
        diagnosticAt(
          at(path),
          known?.rule ?? 'schema',
          'error',
          `${show(value)} ${known?.message ?? `does not match ${String(params.pattern)}`}${where}`,
          known?.fix,
        ),
      ];
    }
    case 'propertyNames':
    // "must match then": the errors inside the branch say what is wrong.
    case 'if':
      return [];
    case 'minProperties':
    case 'maxProperties': {
      const allowed = Object.keys(parent?.properties ?? {});
      return [diagnosticAt(at(path), 'schema', 'error', `${countMessage(error, allowed)}${where}`)];
    }
    case 'format':
      return [
        diagnosticAt(
          at(path),
          'schema',
          'error',
          `${show(valueAt(root, path))} is not a valid ${String(params.format)}${where}`,
        ),
      ];
    case 'anyOf':
      return [diagnosticAt(at(path), 'schema', 'error', `${alternativesMessage(error)}${where}`)];
    default:
      return [diagnosticAt(at(path), 'schema', 'error', `${error.message ?? error.keyword}${where}`)];
  }
}

/**
 * An anyOf fails with one error per branch. When the value is a mapping, the mapping branch's errors are the
 * useful ones; otherwise the summary ("must be 'alltime' or a mapping with ...") says it best.
 */
function insideFailedAlternative(error: ErrorObject, all: ErrorObject[], root: unknown): boolean {
  const owner = all.find(
    (e) =>
      e.keyword === 'anyOf' &&
      e !== error &&
      error.instancePath.startsWith(e.instancePath) &&
      error.schemaPath.startsWith(e.schemaPath.replace(/\/anyOf$/, '/anyOf/')),
  );
  if (!owner) {
    if (error.keyword !== 'anyOf') return false;
    const value = valueAt(root, pathOf(error.instancePath));
    // Report the summary only when no branch fits the value's shape.
    return (
      isMapping(value) &&
      all.some(
        (e) =>
          e !== error &&
          e.instancePath.startsWith(error.instancePath) &&
          !(e.instancePath === error.instancePath && (e.keyword === 'const' || e.keyword === 'type')),
      )
    );
  }
  const value = valueAt(root, pathOf(owner.instancePath));
  if (!isMapping(value)) return true;
  // Keep errors from inside the mapping branch; drop "must be equal to constant" / "must be string" of the others.
  return error.instancePath === owner.instancePath && (error.keyword === 'const' || error.keyword === 'type');
}

function alternativesMessage(error: ErrorObject): string {
  const branches = (Array.isArray(error.schema) ? error.schema : []) as Array<Record<string, unknown>>;
  const described = branches.map((branch) => {
    if ('const' in branch) return show(branch.const);
    const required = Array.isArray(branch.required) ? (branch.required as string[]) : [];
    if (branch.type === 'object' || required.length > 0)
      return required.length ? `a mapping with ${required.join(', ')}` : 'a mapping';
    if (typeof branch.$ref === 'string') return `a mapping (${branch.$ref.split('/').pop() ?? ''})`;
    return typeof branch.type === 'string' ? article(branch.type) : 'another form';
  });
  return `must be ${described.join(' or ')}`;
}

function countMessage(error: ErrorObject, allowed: string[]): string {
  const params = error.params as { limit?: number };
  const choices = allowed.filter((k) => k !== 'property');
  if (allowed.includes('property')) return `needs 'property' and exactly one test: ${choices.join(', ')}`;
  if (error.keyword === 'minProperties' && params.limit === 1)
    return `must not be empty: use one of ${choices.join(', ')}`;
  if (error.keyword === 'maxProperties' && params.limit === 1)
    return `use exactly one of ${choices.join(', ')}`;
  return error.message ?? error.keyword;
}

/** What a schema pattern means, in words, with its own rule id where it guards something specific. */
const KNOWN_PATTERNS: Record<string, { message: string; rule?: string; fix?: string }> = {
  '^[a-z0-9][a-z0-9-]*$': {
    rule: 'invalid-key-name',
    message: 'is not a valid key: use lowercase letters, digits and dashes (e.g. abandoned-cart)',
  },
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': { message: 'is not a time: write HH:MM in 24-hour form, e.g. "09:30"' },
  '^https://': { message: 'must be an https:// URL' },
  '^https?://': { message: 'must be an http(s):// URL' },
  '^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$': {
    message: "is not a hex colour: write e.g. '#2F5D50' (quoted, since # starts a YAML comment)",
  },
  // The variable is read from the CI environment and sent to Klaviyo: content must not pick any other secret.
  '^KLAVIYO_API_KEY_[A-Z0-9_]+$': {
    rule: 'api-key-env',
    message: 'is not a Klaviyo key variable',
    fix: 'name one of the form KLAVIYO_API_KEY_<NAME>, e.g. KLAVIYO_API_KEY_<BRAND>: no other variable is ever sent to Klaviyo as a key',
  },
  // Same guard for the marketplace: a sync.yaml must not send, say, a Klaviyo key to TikTok as a token.
  '^TIKTOK_SHOP_[A-Z0-9_]+$': {
    rule: 'tiktok-shop-env',
    message: 'is not a TikTok Shop credential variable',
    fix: 'name one of the form TIKTOK_SHOP_<NAME>, e.g. TIKTOK_SHOP_APP_KEY_<BRAND>',
  },
  '^(?!/)(?!.*(^|/)\\.\\.(/|$))[^\\\\:]+$': {
    message: 'is not a path inside the brand folder',
    fix: 'write it relative to the brand folder, e.g. exports/orders.csv',
  },
  '^[^.\\s]+(\\.[^.\\s]+)*$': {
    message: 'is not a path into the record: keys joined by dots, e.g. customer.email',
  },
};

function describeLocation(path: YamlPath): string {
  return path.length === 0 ? '' : ` at ${describePath(path)}`;
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${article(typeof value)} (${show(value)})`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    null: 'empty',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
