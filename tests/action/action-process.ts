/**
 * The Action as the runner runs it: the committed bundle `action/index.js` (CI fails when it is stale) started
 * with `node` in its own process, its inputs as `INPUT_*` variables, the event as a JSON file named by
 * `GITHUB_EVENT_PATH`, and its outputs and job summary read back from the `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files. Rebuild with `npm run bundle` after changing src/.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ACTION_BUNDLE = resolve(import.meta.dirname, '../../action/index.js');

export interface ActionRunOptions {
  /** The workspace: the repository checkout (GITHUB_WORKSPACE and the working directory). */
  cwd: string;
  /** By input name as in action.yml (`klaviyo-api-key`). */
  inputs: Record<string, string>;
  eventName: string;
  event: unknown;
  /** Extra environment (GITHUB_API_URL, KLAVIYO_BASE_URL, ...). */
  env?: Record<string, string>;
  repository?: string;
  sha?: string;
  runId?: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error file=...,line=...::message` and `::warning ...` commands the Action printed. */
  annotations: Array<{ level: string; properties: Record<string, string>; message: string }>;
}

/** `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) {
      const simple = /^([^=]+)=(.*)$/.exec(lines[i]!);
      if (simple) outputs[simple[1]!] = simple[2]!;
      continue;
    }
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

export function parseAnnotations(stdout: string): ActionRun['annotations'] {
  const found: ActionRun['annotations'] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const part of (match[2] ?? '').trim().split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) properties[part.slice(0, eq)] = unescapeCommand(part.slice(eq + 1));
    }
    found.push({ level: match[1]!, properties, message: unescapeCommand(match[3]!) });
  }
  return found;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const files = await mkdtemp(join(tmpdir(), 'kg-runner-'));
  const eventPath = join(files, 'event.json');
  const outputPath = join(files, 'output.txt');
  const summaryPath = join(files, 'summary.md');
  await writeFile(eventPath, JSON.stringify(options.event));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_REPOSITORY: options.repository ?? 'acme/marketing',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: options.runId ?? '4242',
    GITHUB_SHA: options.sha ?? 'f'.repeat(40),
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [ACTION_BUNDLE], { cwd: options.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
    annotations: parseAnnotations(stdout),
  };
}
