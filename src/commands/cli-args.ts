/**
 * A verb's argv -> its option values, or our usage message: an unknown option with the nearest known one, an
 * option without its value, a value given to a switch, and any stray argument (no verb takes file names: an
 * argument that looks like one would otherwise be ignored while the whole directory is checked).
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../project/diagnostics.js';
import { optionSynopsis, parserOptions, type CliVerb, type OptionValues } from './cli-options.js';
import { PROGRAM, usageText } from './help.js';

export type ParsedArgs = { ok: true; values: OptionValues } | { ok: false; message: string };

/** Parses `args` (the words after the verb) against the verb's declared options. */
export function parseVerbArgs(name: string, verb: CliVerb, args: readonly string[]): ParsedArgs {
  const problem = firstProblem(name, verb, args);
  if (problem !== undefined) return { ok: false, message: usageError(name, verb, problem) };
  try {
    const { values } = parseArgs({
      args: [...args],
      options: parserOptions(verb.options),
      allowPositionals: false,
      strict: true,
    });
    return { ok: true, values: values as OptionValues };
  } catch (error) {
    // firstProblem catches what strict parsing refuses; this keeps any other refusal a usage error.
    return { ok: false, message: usageError(name, verb, (error as Error).message) };
  }
}

/** The message, the verb's usage, and where to read more. */
function usageError(name: string, verb: CliVerb, problem: string): string {
  return `error: ${problem}\n${usageText(name, verb)}\nRun '${PROGRAM} ${name} --help' for what each option does.`;
}

/** The first thing wrong with the command line, in words, or undefined. */
function firstProblem(name: string, verb: CliVerb, args: readonly string[]): string | undefined {
  const { tokens } = parseArgs({
    args: [...args],
    options: parserOptions(verb.options),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') return strayArgument(name, verb, token.value);
    const spec = verb.options[token.name];
    if (spec === undefined) {
      const near = nearestOption(token.rawName, Object.keys(verb.options));
      return `unknown option '${token.rawName}' for '${name}'${near ? `; did you mean '${near}'?` : ''}`;
    }
    if (spec.type === 'boolean' && token.inlineValue === true)
      return `${token.rawName} is a switch and takes no value (got '${token.rawName}=${token.value ?? ''}')`;
    if (spec.type === 'string') {
      // Without strict parsing `--out --json` takes `--json` as the path; a lone `-` is a value (stdout).
      const taken = token.inlineValue === false && token.value !== undefined && /^-./.test(token.value);
      if (token.value === undefined || taken)
        return `${token.rawName} needs a value: ${optionSynopsis(token.name, spec)}${taken ? ` (got the option '${token.value}')` : ''}`;
    }
  }
  return undefined;
}

/** No verb takes arguments: say what it works on instead, and how to choose it. */
function strayArgument(name: string, verb: CliVerb, value: string): string {
  const choices = ['dir', 'brand']
    .filter((option) => verb.options[option] !== undefined)
    .map((option) => optionSynopsis(option, verb.options[option]!));
  const scope = verb.options.dir
    ? `it works on the whole marketing directory${choices.length > 0 ? `; choose with ${choices.join(' and ')}` : ''}`
    : 'it takes options only';
  return `'${name}' takes no arguments (got '${value}'): ${scope}`;
}

/** The option meant: the only one the input begins (`--detailed`), else the nearest by edit distance. */
function nearestOption(raw: string, names: readonly string[]): string | undefined {
  const known = names.map((name) => `--${name}`);
  const extending = raw.length >= 4 ? known.filter((option) => option.startsWith(raw)) : [];
  return extending.length === 1 ? extending[0] : didYouMean(raw, known);
}
