/**
 * From the marketing directory to each brand's desired state, with every problem found on the way:
 * load (YAML, schemas, blueprints) -> references -> compile (+ Klaviyo spec check) -> flow rules.
 * The validate command prints the diagnostics; plan and apply use the states when there is no error.
 */
import { countBySeverity, sortDiagnostics, type Diagnostic } from '../project/diagnostics.js';
import { loadProject } from '../project/loader.js';
import type { Project } from '../project/model.js';
import { checkReferences } from '../project/references.js';
import { runFlowRules } from '../project/rules/index.js';
import { compileBrand, type CompiledBrand } from './brand-state.js';
import type { DesiredBrandState } from './desired-state.js';

export { compileBrand } from './brand-state.js';
export type { CompiledBrand, CompileOptions } from './brand-state.js';
export { compileFlow } from './flow.js';
export { compileSegment } from './segment.js';
export { flowCreateBody, segmentCreateBody } from './spec-check.js';

/** `--brand` names no brand folder: a usage error. */
export class UnknownBrandError extends Error {
  constructor(
    readonly brand: string,
    readonly known: string[],
  ) {
    super(`unknown brand '${brand}'${known.length ? ` (brands: ${known.join(', ')})` : ''}`);
    this.name = 'UnknownBrandError';
  }
}

export interface BuildOptions {
  cwd: string;
  /** The marketing directory, relative to `cwd`. */
  dir: string;
  /** Only this brand (shared files are still checked). */
  brand?: string;
  /**
   * Also run the email QA rules on every template (default false: validate runs them; plan and apply, which
   * build the state many times, rely on validate having passed).
   */
  emailQa?: boolean;
  /** Aborts the build between objects (the command was interrupted). */
  signal?: AbortSignal;
}

export interface BuildResult {
  project: Project;
  /** One per selected brand, in key order. Complete only when `errors` is 0. */
  states: DesiredBrandState[];
  compiled: CompiledBrand[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}

export async function buildDesiredState(options: BuildOptions): Promise<BuildResult> {
  const { project, diagnostics: loadDiagnostics } = await loadProject({ cwd: options.cwd, dir: options.dir });
  if (options.brand !== undefined && !project.brands.has(options.brand)) {
    throw new UnknownBrandError(options.brand, [...project.brands.keys()]);
  }
  const diagnostics = [...loadDiagnostics, ...checkReferences(project), ...runFlowRules(project)];
  const compiled: CompiledBrand[] = [];
  for (const brand of [...project.brands.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (options.brand !== undefined && brand.key !== options.brand) continue;
    const result = await compileBrand(project, brand, {
      emailQa: options.emailQa === true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    compiled.push(result);
    diagnostics.push(...result.diagnostics);
  }
  const selected = sortDiagnostics(
    options.brand === undefined
      ? diagnostics
      : diagnostics.filter((d) => !belongsToOtherBrand(d, project, options.brand!)),
  );
  const { errors, warnings } = countBySeverity(selected);
  return { project, states: compiled.map((c) => c.state), compiled, diagnostics: selected, errors, warnings };
}

function belongsToOtherBrand(d: Diagnostic, project: Project, brand: string): boolean {
  const prefix = `${project.dir === '.' ? '' : `${project.dir}/`}brands/`;
  if (!d.file.startsWith(prefix)) return false;
  return d.file.slice(prefix.length).split('/')[0] !== brand;
}
