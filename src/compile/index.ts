/**
 * From the marketing directory to each brand's desired state, with every problem found on the way:
 * load (YAML, schemas, blueprints) -> references -> compile (+ Klaviyo spec check, email QA) -> flow rules.
 * This is the one way to a desired state, so every command checks exactly what `validate` checks: validate
 * prints the diagnostics, the other commands refuse to go on when there is an error.
 */
import { countBySeverity, sortDiagnostics, type Diagnostic } from '../project/diagnostics.js';
import { loadProject } from '../project/loader.js';
import type { Project } from '../project/model.js';
import { checkReferences } from '../project/references.js';
import { runFlowRules } from '../project/rules/index.js';
import { ClientFeatureAcceptance } from './accepted-client-features.js';
import { compileBrand, type CompiledBrand, type EmailQaReport } from './brand-state.js';
import type { DesiredBrandState } from './desired-state.js';
import type { EmailQaCache } from './email-qa-cache.js';

export type { CompiledBrand, EmailQaReport } from './brand-state.js';
export { emailQaKey, type EmailQaCache } from './email-qa-cache.js';
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
  /** Email QA results by content hash (the commands pass one kept on disk); without one, every template is checked. */
  emailQaCache?: EmailQaCache;
  /** Aborts the build between objects (the command was interrupted). */
  signal?: AbortSignal;
}

export interface BuildResult {
  project: Project;
  /** One per selected brand, in key order. Complete only when `errors` is 0. */
  states: DesiredBrandState[];
  compiled: CompiledBrand[];
  /** The email QA of the selected brands' templates. */
  emailQa: EmailQaReport;
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
  const acceptance = new ClientFeatureAcceptance(project);
  for (const brand of [...project.brands.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (options.brand !== undefined && brand.key !== options.brand) continue;
    const result = await compileBrand(project, brand, {
      ...(options.emailQaCache ? { emailQaCache: options.emailQaCache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      acceptFindings: acceptance.forBrand(brand),
    });
    compiled.push(result);
    diagnostics.push(...result.diagnostics);
  }
  diagnostics.push(...acceptance.report({ partial: options.brand !== undefined }));
  const selected = sortDiagnostics(
    options.brand === undefined
      ? diagnostics
      : diagnostics.filter((d) => !belongsToOtherBrand(d, project, options.brand!)),
  );
  const { errors, warnings } = countBySeverity(selected);
  const emailQa: EmailQaReport = { findings: new Map(), checked: 0, reused: 0 };
  for (const c of compiled) {
    for (const [template, findings] of c.emailQa.findings) emailQa.findings.set(template, findings);
    emailQa.checked += c.emailQa.checked;
    emailQa.reused += c.emailQa.reused;
  }
  return {
    project,
    states: compiled.map((c) => c.state),
    compiled,
    emailQa,
    diagnostics: selected,
    errors,
    warnings,
  };
}

function belongsToOtherBrand(d: Diagnostic, project: Project, brand: string): boolean {
  const prefix = `${project.dir === '.' ? '' : `${project.dir}/`}brands/`;
  if (!d.file.startsWith(prefix)) return false;
  return d.file.slice(prefix.length).split('/')[0] !== brand;
}
