/**
 * The one place that reads the environment (besides the entry points): which Klaviyo a run talks to.
 *
 * The target is decided once per run, for every brand: all brands run against Klaviyo (or KLAVIYO_BASE_URL), or
 * all against the local sandbox. A brand that cannot reach the chosen target is an error, never a quiet fallback:
 * in CI a mistyped secret must fail the job, not send one brand to the sandbox while the others deploy.
 */
import { KLAVIYO_DEFAULT_BASE_URL } from './klaviyo/revision.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** What `--target` may ask for; without it, {@link resolveRunTarget} decides from the environment. */
export const TARGET_CHOICES = ['klaviyo', 'sandbox'] as const;
export type TargetChoice = (typeof TARGET_CHOICES)[number];

export function isTargetChoice(value: string): value is TargetChoice {
  return (TARGET_CHOICES as readonly string[]).includes(value);
}

/** The key every brand falls back to when its own variable is not set. */
export const FALLBACK_KEY_VARIABLE = 'KLAVIYO_API_KEY';
export const BASE_URL_VARIABLE = 'KLAVIYO_BASE_URL';

/**
 * The only variables a brand.yaml may name as its key. Repository content must not choose which secret is sent
 * to Klaviyo (GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN, ...): the same pattern is in schemas/brand.schema.json.
 */
export const BRAND_KEY_VARIABLE = /^KLAVIYO_API_KEY_[A-Z0-9_]+$/;

/** Directory, at the repository root (commands/repository-root.ts), where the embedded sandbox keeps its accounts. */
export const SANDBOX_STATE_DIR = '.klaviyo-sandbox';

/** A brand as the target needs it: its name and the variable its brand.yaml names (`api_key_env`). */
export interface BrandKeySource {
  brand: string;
  keyVariable: string;
}

export interface BrandKey {
  brand: string;
  /** The variable the key was read from: the brand's own, or KLAVIYO_API_KEY. */
  keyVariable: string;
  apiKey: string;
}

export type RunTarget =
  | {
      kind: 'klaviyo';
      baseUrl: string;
      /** Why this run talks to Klaviyo: `--target klaviyo`, or the variables that are set. */
      reason: { by: 'option' } | { by: 'environment'; variables: string[] };
      /** One key per brand, in the order the brands were given. */
      keys: BrandKey[];
    }
  | {
      kind: 'sandbox';
      /** The sandbox's state folder as messages show it (relative to the working directory). */
      stateDir: string;
      reason: { by: 'option' } | { by: 'nothing-configured' };
    };

/** A brand that cannot talk to the Klaviyo target: its variable and the fallback are unset or empty. */
export interface MissingBrandKey {
  brand: string;
  keyVariable: string;
  /** Variables that are set but empty (a missing CI secret expands to an empty string). */
  empty: string[];
}

/** The run's target cannot be used as configured. Raised before anything is read or written. */
export class TargetConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetConfigurationError';
  }
}

/** Brands without a key for a Klaviyo run; every missing brand at once, so one fix round is enough. */
export class MissingApiKeyError extends TargetConfigurationError {
  constructor(
    readonly missing: MissingBrandKey[],
    readonly target: Extract<RunTarget, { kind: 'klaviyo' }>,
  ) {
    super(missingKeyMessage(missing, target));
    this.name = 'MissingApiKeyError';
  }
}

/** A brand names a variable that is not a Klaviyo key variable (schema-checked too; this guards other paths). */
export class ForbiddenKeyVariableError extends TargetConfigurationError {
  constructor(readonly brands: BrandKeySource[]) {
    super(
      brands
        .map(
          (b) =>
            `brand ${b.brand}: api_key_env '${b.keyVariable}' is not a Klaviyo key variable; name one like KLAVIYO_API_KEY_${b.brand.toUpperCase().replace(/[^A-Z0-9]/g, '_')} (it must match ${BRAND_KEY_VARIABLE.source})`,
        )
        .join('\n'),
    );
    this.name = 'ForbiddenKeyVariableError';
  }
}

/** A set variable counts even when empty: an unset CI secret expands to '', and that must not mean "sandbox". */
function isSet(env: Environment, name: string): boolean {
  return env[name] !== undefined;
}

/** The Klaviyo variables present in the environment, by name (never their values). */
function configuredVariables(env: Environment): string[] {
  return Object.keys(env)
    .filter(
      (name) =>
        isSet(env, name) &&
        (name === FALLBACK_KEY_VARIABLE ||
          name === BASE_URL_VARIABLE ||
          name.startsWith(`${FALLBACK_KEY_VARIABLE}_`)),
    )
    .sort();
}

/**
 * Decides the run's one target. Without a choice: the local sandbox only when no Klaviyo key variable and no
 * KLAVIYO_BASE_URL is set at all, else Klaviyo. For Klaviyo, each brand's key comes from the variable its
 * brand.yaml names, falling back to KLAVIYO_API_KEY; a brand with neither is a {@link MissingApiKeyError}.
 */
export function resolveRunTarget(
  env: Environment,
  brands: readonly BrandKeySource[],
  choice?: TargetChoice,
  sandboxStateShown: string = SANDBOX_STATE_DIR,
): RunTarget {
  const forbidden = brands.filter((b) => b.keyVariable !== '' && !BRAND_KEY_VARIABLE.test(b.keyVariable));
  if (forbidden.length > 0) throw new ForbiddenKeyVariableError(forbidden);

  const configured = configuredVariables(env);
  if (choice === 'sandbox' || (choice === undefined && configured.length === 0)) {
    return {
      kind: 'sandbox',
      stateDir: sandboxStateShown,
      reason: choice === 'sandbox' ? { by: 'option' } : { by: 'nothing-configured' },
    };
  }
  const keys: BrandKey[] = [];
  const missing: MissingBrandKey[] = [];
  for (const { brand, keyVariable } of brands) {
    const candidates = [keyVariable, FALLBACK_KEY_VARIABLE].filter((v) => v !== '');
    const found = candidates.find((v) => Boolean(env[v]?.trim()));
    if (found) keys.push({ brand, keyVariable: found, apiKey: env[found]!.trim() });
    else missing.push({ brand, keyVariable, empty: candidates.filter((v) => isSet(env, v)) });
  }
  const target: Extract<RunTarget, { kind: 'klaviyo' }> = {
    kind: 'klaviyo',
    baseUrl: env[BASE_URL_VARIABLE]?.trim() || KLAVIYO_DEFAULT_BASE_URL,
    reason: choice === 'klaviyo' ? { by: 'option' } : { by: 'environment', variables: configured },
    keys,
  };
  if (missing.length > 0) throw new MissingApiKeyError(missing, target);
  return target;
}

/** The run's one target line: `target: Klaviyo at URL: brand a (key from X), brand b (key from Y)`. */
export function describeRunTarget(target: RunTarget): string {
  if (target.kind === 'sandbox') {
    const why =
      target.reason.by === 'option'
        ? 'asked for with --target sandbox'
        : `no ${FALLBACK_KEY_VARIABLE}, KLAVIYO_API_KEY_<BRAND> or ${BASE_URL_VARIABLE} is set`;
    return `target: local sandbox (${target.stateDir}/): ${why}`;
  }
  // One line per brand: each brand's key is its own decision, and a long list in one line hides which is which.
  return target.keys
    .map((k) => `target: Klaviyo at ${target.baseUrl}: brand ${k.brand} (key from ${k.keyVariable})`)
    .join('\n');
}

function missingKeyMessage(
  missing: MissingBrandKey[],
  target: Extract<RunTarget, { kind: 'klaviyo' }>,
): string {
  const why =
    target.reason.by === 'option'
      ? '--target klaviyo was given'
      : `${target.reason.variables.join(', ')} ${target.reason.variables.length === 1 ? 'is' : 'are'} set`;
  const lines = [
    `no Klaviyo API key for ${missing.length === 1 ? 'brand' : 'brands'} ${missing.map((m) => m.brand).join(', ')}; this run targets Klaviyo at ${target.baseUrl} because ${why}:`,
  ];
  for (const m of missing) {
    const tried = [m.keyVariable, FALLBACK_KEY_VARIABLE].filter((v) => v !== '');
    const state = (v: string): string => (m.empty.includes(v) ? `${v} is empty` : `${v} is not set`);
    lines.push(
      `  brand ${m.brand}: set ${tried[0]}${tried.length > 1 ? ` (or the fallback ${FALLBACK_KEY_VARIABLE})` : ''}; ${tried.map(state).join(', ')}`,
    );
  }
  lines.push(
    'Nothing was read or written. Set the missing variable, or run every brand against the local sandbox with --target sandbox.',
  );
  return lines.join('\n');
}
