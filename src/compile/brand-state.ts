/**
 * One brand's loaded files -> its `DesiredBrandState`: lists, segments and flows compiled to Klaviyo bodies
 * (each checked against the vendored spec), templates assembled and put through the email QA. Pure but for the
 * QA cache the caller injects and the pauses between objects: assembling and checking hundreds of templates is
 * seconds of CPU, during which the process must still hear a signal.
 */
import { checkpoint } from '../checkpoint.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedTemplate, Project } from '../project/model.js';
import { knownMetrics } from '../project/metrics.js';
import type { ReferenceScope } from './context.js';
import type { EmailQaCache } from './email-qa-cache.js';
import type {
  BrandDeletionPolicy,
  DesiredBrandState,
  DesiredList,
  DesiredTemplate,
} from './desired-state.js';
import { compileFlow, type CompiledFlow } from './flow.js';
import { compileMappedMetrics } from './mapped-metrics.js';
import { compileSegment, type CompiledSegment } from './segment.js';
import { checkFlowAgainstSpec, checkSegmentAgainstSpec } from './spec-check.js';
import { assembleTemplateBody } from './template-body.js';
import { checkTemplateQa } from './template-qa.js';

/** What the email QA found, per template, and how much of it was answered from the cache. */
export interface EmailQaReport {
  /** Each assembled template's QA findings (also in `diagnostics`). */
  findings: Map<LoadedTemplate, Diagnostic[]>;
  /** Templates whose rules ran. */
  checked: number;
  /** Templates whose findings came from the cache. */
  reused: number;
}

export interface CompiledBrand {
  state: DesiredBrandState;
  flows: CompiledFlow[];
  segments: CompiledSegment[];
  emailQa: EmailQaReport;
  diagnostics: Diagnostic[];
}

export function referenceScope(project: Project, brand: BrandProject): ReferenceScope {
  return {
    lists: new Set(brand.lists.keys()),
    segments: new Set(brand.segments.keys()),
    templates: new Set(brand.templates.keys()),
    metrics: knownMetrics(project.root.valid ? (project.root.value.metrics ?? []) : []),
  };
}

export function deletionPolicy(project: Project, brand: BrandProject): BrandDeletionPolicy {
  const defaults = project.root.valid ? (project.root.value.defaults?.deletion ?? {}) : {};
  const own = brand.config.valid ? (brand.config.value.deletion ?? {}) : {};
  return {
    list: own.list ?? defaults.list ?? 'retain',
    segment: own.segment ?? defaults.segment ?? 'retain',
    template: own.template ?? defaults.template ?? 'retain',
    flow: own.flow ?? defaults.flow ?? 'retain',
  };
}

export interface CompileOptions {
  /** Where email QA results are looked up and kept by content hash; without one every template is checked. */
  emailQaCache?: EmailQaCache;
  /** Checked between objects; compiling stops with its reason when it is aborted. */
  signal?: AbortSignal;
  /** Removes what the brand accepts from its templates' QA findings (accepted-client-features.ts). */
  acceptFindings?: (findings: readonly Diagnostic[]) => Diagnostic[];
}

/**
 * Compiles everything valid in the brand. Objects whose files broke their schema are left out (their problems
 * are already reported), so the state is complete only when the load had no errors. Every template that
 * assembles is checked by the email QA: there is no way to build a state without it.
 */
export async function compileBrand(
  project: Project,
  brand: BrandProject,
  options: CompileOptions = {},
): Promise<CompiledBrand> {
  const pause = (): Promise<void> => checkpoint(options.signal);
  const diagnostics: Diagnostic[] = [];
  const scope = referenceScope(project, brand);
  const config = brand.config.value;

  const lists: DesiredList[] = [];
  for (const list of brand.lists.values()) {
    if (!list.valid) continue;
    lists.push({
      kind: 'list',
      key: list.key,
      name: list.value.name,
      source: locationOf(list.at([])),
      preventDestroy: list.value.prevent_destroy ?? false,
    });
  }

  const segments: CompiledSegment[] = [];
  for (const segment of brand.segments.values()) {
    if (!segment.valid) continue;
    await pause();
    const compiled = compileSegment(segment, scope);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.diagnostics.length === 0)
      diagnostics.push(...checkSegmentAgainstSpec(compiled.desired, compiled.sourceMap, compiled.at));
    segments.push(compiled);
  }

  const templates: DesiredTemplate[] = [];
  const emailQa: EmailQaReport = { findings: new Map(), checked: 0, reused: 0 };
  if (brand.config.valid) {
    for (const template of brand.templates.values()) {
      if (!template.valid) continue;
      await pause();
      const body = assembleTemplateBody(project, brand, template);
      diagnostics.push(...body.diagnostics);
      if (body.diagnostics.some((d) => d.severity === 'error')) continue;
      const qa = await checkTemplateQa(project, brand, template, body, options.emailQaCache);
      // The cache keeps what the rules found; what the brand accepts is taken out after, every time.
      const findings = options.acceptFindings ? options.acceptFindings(qa.findings) : qa.findings;
      emailQa.findings.set(template, findings);
      if (qa.reused) emailQa.reused += 1;
      else emailQa.checked += 1;
      diagnostics.push(...findings);
      templates.push({
        kind: 'template',
        key: template.key,
        name: template.frontMatter.name ?? template.key,
        source: locationOf(template.at([])),
        preventDestroy: template.frontMatter.prevent_destroy ?? false,
        html: body.html,
        text: body.text,
        subject: template.frontMatter.subject,
        previewText: template.frontMatter.preview_text ?? '',
      });
    }
  }

  const flows: CompiledFlow[] = [];
  if (brand.config.valid) {
    for (const flow of brand.flows.values()) {
      if (!flow.valid) continue;
      await pause();
      const compiled = compileFlow({
        flow,
        brand: config,
        templates: brand.templates,
        lists: brand.lists,
        scope,
      });
      diagnostics.push(...compiled.diagnostics);
      if (compiled.diagnostics.length === 0)
        diagnostics.push(...checkFlowAgainstSpec(compiled.desired, compiled.sourceMap, compiled.at));
      flows.push(compiled);
    }
  }

  const mapped = compileMappedMetrics(brand.metrics, scope.metrics);
  diagnostics.push(...mapped.diagnostics);

  const state: DesiredBrandState = {
    brand: brand.key,
    accountId: config.account_id ?? '',
    apiKeyVariable: config.api_key_env ?? '',
    deletion: deletionPolicy(project, brand),
    lists,
    segments: segments.map((s) => s.desired),
    templates,
    flows: flows.map((f) => f.desired),
    mappedMetrics: mapped.mappedMetrics,
  };
  return { state, flows, segments, emailQa, diagnostics };
}

function locationOf(at: { file: string; line: number; col: number }): {
  file: string;
  line: number;
  col: number;
} {
  return { file: at.file, line: at.line, col: at.col };
}
