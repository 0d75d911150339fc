/**
 * The one place that reads the environment (besides the entry points): which Klaviyo a command talks to.
 */
import { KLAVIYO_DEFAULT_BASE_URL } from './klaviyo/revision.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export type KlaviyoTarget =
  | { kind: 'klaviyo'; apiKey: string; baseUrl: string; keyVariable: string }
  | { kind: 'sandbox'; stateDir: string };

/** Directory, relative to the working directory, where the embedded sandbox keeps its accounts. */
export const SANDBOX_STATE_DIR = '.klaviyo-sandbox';

/**
 * A brand's key comes from the variable its brand.yaml names (e.g. KLAVIYO_API_KEY_OUTDOOR), falling back to
 * KLAVIYO_API_KEY. With neither set, the command runs against the local sandbox.
 */
export function resolveKlaviyoTarget(env: Environment, brandKeyVariable?: string): KlaviyoTarget {
  const candidates = [brandKeyVariable, 'KLAVIYO_API_KEY'].filter((v): v is string => Boolean(v));
  for (const variable of candidates) {
    const value = env[variable]?.trim();
    if (value) {
      return {
        kind: 'klaviyo',
        apiKey: value,
        baseUrl: env.KLAVIYO_BASE_URL?.trim() || KLAVIYO_DEFAULT_BASE_URL,
        keyVariable: variable,
      };
    }
  }
  return { kind: 'sandbox', stateDir: SANDBOX_STATE_DIR };
}

export function describeTarget(target: KlaviyoTarget): string {
  return target.kind === 'sandbox'
    ? `target: local sandbox (${target.stateDir}/; set KLAVIYO_API_KEY to use Klaviyo)`
    : `target: Klaviyo at ${target.baseUrl} (key from ${target.keyVariable})`;
}
