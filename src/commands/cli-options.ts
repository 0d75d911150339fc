/**
 * A command-line option as the verb table declares it: node's parseArgs definition and, beside it, what help
 * and the README say about it. The help text is a required field, so an option cannot be added without it,
 * and the parser's configuration is derived from these declarations, so help cannot name an option the
 * parser refuses or miss one it accepts.
 */
import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './command.js';
import type { CommandResult } from './results.js';

/** An environment variable a verb reads, and what for. */
export interface EnvironmentVariable {
  name: string;
  meaning: string;
}

export interface CliOption {
  type: 'string' | 'boolean';
  /** Repeatable: every occurrence is kept. */
  multiple?: boolean;
  /** The value parseArgs fills in when the option is absent; help shows it as the default. */
  default?: string;
  /** What the option does, one sentence for `--help` and the README. */
  description: string;
  /** The value's placeholder in the usage line (FILE, N, klaviyo|sandbox); default: the default, else VALUE. */
  value?: string;
  /** The default in words when parseArgs has none ("every brand", "decided by the environment"). */
  defaultText?: string;
  /** Shown without brackets in the usage line; the verb checks it (parseArgs has no required options). */
  required?: boolean;
  /** Variables the verb reads because it takes this option (the target's keys, the browser's path). */
  environment?: readonly EnvironmentVariable[];
}

export type CliOptions = Record<string, CliOption>;

type ParserOptions = NonNullable<ParseArgsConfig['options']>;

/** The parseArgs configuration of a verb's options: the same names, types and defaults, nothing else. */
export function parserOptions(options: CliOptions): ParserOptions {
  const parser: ParserOptions = {};
  for (const [name, option] of Object.entries(options)) {
    parser[name] = {
      type: option.type,
      ...(option.multiple ? { multiple: true } : {}),
      ...(option.default !== undefined
        ? { default: option.multiple ? [option.default] : option.default }
        : {}),
    } as ParserOptions[string];
  }
  return parser;
}

/** The option's value placeholder: FILE, the default (`marketing`), or VALUE. */
export function valueName(option: CliOption): string {
  return option.value ?? option.default ?? 'VALUE';
}

/** `--out output/plan.json`, `--json`, `--brand B`: the option as the usage line writes it. */
export function optionSynopsis(name: string, option: CliOption): string {
  return option.type === 'boolean' ? `--${name}` : `--${name} ${valueName(option)}`;
}

/** `[--dir marketing]`, `--brand B`, `[--brand B]...`. */
export function usageTerm(name: string, option: CliOption): string {
  const term = optionSynopsis(name, option);
  const shown = option.required ? term : `[${term}]`;
  return option.multiple ? `${shown}...` : shown;
}

/** The default as help states it, or undefined when there is none worth stating. */
export function defaultOf(option: CliOption): string | undefined {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.default !== undefined) return option.default;
  return undefined;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A verb as the command line knows it: its help, its options, and how its values become a command. */
export interface CliVerb {
  /** One line: what the verb does, in the command list and at the top of its help. */
  summary: string;
  /** More about what it does, when one line is not enough. */
  details?: string;
  options: CliOptions;
  /** Variables it reads beyond those its options bring (see CliOption.environment). */
  environment?: readonly EnvironmentVariable[];
  /** Command lines that show it in use, each optionally followed by `  # what it does`. */
  examples: readonly string[];
  /** Added to the stop line when a signal cuts this verb short. */
  stopNote?: string;
  run(values: OptionValues, ctx: CommandContext): Promise<CommandResult>;
}
