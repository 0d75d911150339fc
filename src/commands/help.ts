/**
 * The CLI's help, written from the verb table alone: the command list, each verb's usage line, options with
 * their defaults, the environment it reads, examples and exit codes. The README's CLI reference is generated
 * from the same table (cli-reference.ts), so help and README cannot disagree.
 */
import {
  defaultOf,
  optionSynopsis,
  usageTerm,
  type CliVerb,
  type EnvironmentVariable,
} from './cli-options.js';
import { exitCodesOf } from './exit-codes.js';

export const PROGRAM = 'klaviyo-gitops';
/** Usage lines wrap before this width, continuing under the first option. */
const WIDTH = 110;

/** `klaviyo-gitops plan [--dir marketing] [--brand B] ...`, wrapped to lines of at most WIDTH characters. */
export function usageLines(name: string, verb: CliVerb): string[] {
  const head = `${PROGRAM} ${name}`;
  const terms = Object.entries(verb.options).map(([option, spec]) => usageTerm(option, spec));
  const indent = ' '.repeat(head.length + 1);
  const lines: string[] = [];
  let line = head;
  for (const term of terms) {
    if (line.length + 1 + term.length > WIDTH && line.trim() !== head) {
      lines.push(line);
      line = indent + term;
    } else line = `${line} ${term}`;
  }
  lines.push(line);
  return lines;
}

/** The usage as one error message shows it: `Usage: klaviyo-gitops plan ...`. */
export function usageText(name: string, verb: CliVerb): string {
  return `Usage: ${usageLines(name, verb).join('\n       ')}`;
}

/** The variables a verb reads: those its options bring, then its own, each once. */
export function environmentOf(verb: CliVerb): EnvironmentVariable[] {
  const seen = new Map<string, EnvironmentVariable>();
  for (const option of Object.values(verb.options))
    for (const variable of option.environment ?? []) seen.set(variable.name, variable);
  for (const variable of verb.environment ?? []) seen.set(variable.name, variable);
  return [...seen.values()];
}

/** Rows `  left  right`, the right column aligned. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd());
}

/** Each option's line text: what it does, then its default. */
export function optionHelp(spec: CliVerb['options'][string]): string {
  const fallback = defaultOf(spec);
  const repeat = spec.multiple ? ' Repeatable.' : '';
  return `${spec.description}${repeat}${fallback !== undefined ? ` (default: ${fallback})` : ''}`;
}

/** `klaviyo-gitops <verb> --help`. */
export function verbHelp(name: string, verb: CliVerb): string {
  const lines = [usageText(name, verb), '', verb.summary];
  if (verb.details) lines.push('', verb.details);
  const options = Object.entries(verb.options).map(
    ([option, spec]) => [optionSynopsis(option, spec), optionHelp(spec)] as const,
  );
  lines.push('', 'Options:', ...table([...options, ['-h, --help', 'Show this help']]));
  const environment = environmentOf(verb);
  if (environment.length > 0)
    lines.push('', 'Environment:', ...table(environment.map((v) => [v.name, v.meaning] as const)));
  lines.push('', 'Examples:', ...verb.examples.map((example) => `  ${example}`));
  lines.push(
    '',
    'Exit codes:',
    ...table(exitCodesOf(name).map((row) => [String(row.code), row.when] as const)),
  );
  return lines.join('\n');
}

/** `klaviyo-gitops --help`: every verb with its one line. */
export function programHelp(verbs: Readonly<Record<string, CliVerb>>): string {
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Email marketing as code for Klaviyo: validate, preview, plan and apply the files under marketing/.',
    '',
    'Commands:',
    ...table(Object.entries(verbs).map(([name, verb]) => [name, verb.summary] as const)),
    '',
    'Options:',
    ...table([
      ['-h, --help', "Show this help; after a command, the command's help"],
      ['--version', 'Print the version'],
    ]),
    '',
    `Run '${PROGRAM} <command> --help' (or '${PROGRAM} help <command>') for its options, environment, examples and exit codes.`,
  ].join('\n');
}
