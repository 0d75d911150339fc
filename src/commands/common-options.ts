/**
 * The options several verbs share, declared once with their help: the marketing directory, the brand, the
 * target (and the Klaviyo variables it brings), `--json`, `--screenshots` (and the browser variables).
 */
import {
  BASE_URL_VARIABLE,
  FALLBACK_KEY_VARIABLE,
  SANDBOX_STATE_DIR,
  TARGET_CHOICES,
  type TargetChoice,
  isTargetChoice,
} from '../config.js';
import { KLAVIYO_DEFAULT_BASE_URL } from '../klaviyo/revision.js';
import { BROWSER_VARIABLES } from '../previews/screenshots.js';
import type { CliOption, CliOptions, EnvironmentVariable, OptionValues } from './cli-options.js';

/** What decides the target and the keys (config.ts). */
export const KLAVIYO_VARIABLES: readonly EnvironmentVariable[] = [
  {
    name: `${FALLBACK_KEY_VARIABLE}_<BRAND>`,
    meaning: "a brand's private API key, under the name its brand.yaml gives as api_key_env",
  },
  { name: FALLBACK_KEY_VARIABLE, meaning: 'the key of every brand whose own variable is not set' },
  {
    name: BASE_URL_VARIABLE,
    meaning: `the Klaviyo API's address (default ${KLAVIYO_DEFAULT_BASE_URL}), e.g. a sandbox's`,
  },
];

export const dirOption: CliOption = {
  type: 'string',
  default: 'marketing',
  description: 'The marketing directory, the one holding klaviyo-gitops.yaml and brands/',
};

export const brandOption: CliOption = {
  type: 'string',
  value: 'B',
  description: 'Only this brand (its folder name under brands/)',
  defaultText: 'every brand',
};

/** `--dir` and `--brand`, which every verb that reads the marketing directory takes. */
export const selectionOptions: CliOptions = { dir: dirOption, brand: brandOption };

/** `--target klaviyo|sandbox`, for the verbs that talk to Klaviyo; checked in runCli before a verb runs. */
export const targetOptions: CliOptions = {
  target: {
    type: 'string',
    value: TARGET_CHOICES.join('|'),
    description: 'Talk to Klaviyo or to the local sandbox, for every brand',
    defaultText: `klaviyo when any ${FALLBACK_KEY_VARIABLE}* or ${BASE_URL_VARIABLE} variable is set, else the sandbox in ${SANDBOX_STATE_DIR}/`,
    environment: KLAVIYO_VARIABLES,
  },
};

export const jsonOption: CliOption = { type: 'boolean', description: 'Print the result as JSON on stdout' };

export const screenshotsOption: CliOption = {
  type: 'boolean',
  description: 'Also take PNG screenshots with the Chromium or Chrome on this machine',
  environment: BROWSER_VARIABLES.map((name) => ({
    name,
    meaning: 'the browser for --screenshots (the first one set; else Chromium or Chrome on PATH)',
  })),
};

/** `--dir` and `--brand` as a command's options. */
export function selectionOf(values: OptionValues): { dir: string; brand: string | undefined } {
  return {
    dir: String(values.dir ?? dirOption.default),
    brand: typeof values.brand === 'string' ? values.brand : undefined,
  };
}

export function targetChoice(values: OptionValues): TargetChoice | undefined {
  return typeof values.target === 'string' && isTargetChoice(values.target) ? values.target : undefined;
}
