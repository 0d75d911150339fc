/**
 * Every template of the marketing repository as a preview: loaded and checked by the same pipeline as
 * `validate`, assembled by the same function that builds what is sent to Klaviyo, then rendered with its
 * sample data. A template that cannot be assembled or rendered becomes a failed entry; the rest still render.
 * Then each flow's emails in step order, pointing at those previews (render-flows.ts).
 * No files are written here (see output.ts).
 */
import { checkpoint } from '../checkpoint.js';
import { buildDesiredState, type EmailQaCache } from '../compile/index.js';
import { assembleTemplateBody } from '../compile/template-body.js';
import { KLAVIYO_SYNTAX_RULE, renderPreview, toPreviewSample, type PreviewInput } from '../email/index.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedTemplate, Project } from '../project/model.js';
import type { RenderedDocument } from '../views/previews/gallery.js';
import { renderBrandFlows } from './render-flows.js';
import {
  emailId,
  MANIFEST_VERSION,
  summarize,
  type FailedPreview,
  type FlowPreview,
  type PreviewEntry,
  type PreviewManifest,
  type RenderedPreview,
} from './manifest.js';

export interface RenderProjectOptions {
  cwd: string;
  /** The marketing directory, relative to `cwd`. */
  dir: string;
  /** Only this brand's templates. */
  brand?: string;
  /** Email QA results by content hash, shared with the other commands. */
  emailQaCache?: EmailQaCache;
  /** Stops between emails when the command is interrupted. */
  signal?: AbortSignal;
}

export interface ProjectPreviews {
  manifest: PreviewManifest;
  /** The rendered HTML and text of every rendered entry, by `emailId`. */
  documents: Map<string, RenderedDocument>;
  /** Findings of `validate` that belong to no template (flows, segments, shared files). */
  otherFindings: Diagnostic[];
}

/** Throws ProjectNotFoundError / UnknownBrandError (usage errors) like `validate`. */
export async function renderProject(options: RenderProjectOptions): Promise<ProjectPreviews> {
  // The build runs the email QA like it does for every command; each email shows its own findings below.
  const build = await buildDesiredState({
    cwd: options.cwd,
    dir: options.dir,
    brand: options.brand,
    ...(options.emailQaCache ? { emailQaCache: options.emailQaCache } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { project } = build;
  const emails: PreviewEntry[] = [];
  const flows: FlowPreview[] = [];
  const documents = new Map<string, RenderedDocument>();
  // By text: a finding in a shared partial is one diagnostic in the build but belongs to every email using it.
  const claimed = new Set<string>();
  const brands = [...project.brands.values()]
    .filter((b) => options.brand === undefined || b.key === options.brand)
    .sort((a, b) => compareKeys(a.key, b.key));
  for (const brand of brands) {
    const templates = [...brand.templates.values()].sort((a, b) => compareKeys(a.key, b.key));
    for (const template of templates) {
      // Rendering and QA are CPU-bound: let a signal be heard between emails.
      await checkpoint(options.signal);
      const ownFiles = new Set([template.file, template.text?.file].filter((f) => f !== undefined));
      const validated = build.diagnostics.filter((d) => ownFiles.has(d.file));
      const qa = build.emailQa.findings.get(template) ?? [];
      for (const d of [...validated, ...qa]) claimed.add(formatDiagnostic(d));
      const rendered = renderTemplate(project, brand, template, validated, qa, build.diagnostics);
      emails.push(rendered.entry);
      if (rendered.document) documents.set(emailId(rendered.entry), rendered.document);
    }
    // After the templates: a flow email's body is its template's preview, referenced rather than rendered again.
    const previews = new Map(emails.filter((e) => e.brand === brand.key).map((e) => [emailId(e), e]));
    flows.push(...renderBrandFlows(project, brand, previews));
  }
  const manifest: PreviewManifest = {
    version: MANIFEST_VERSION,
    dir: project.dir,
    emails,
    flows,
    summary: summarize(emails, flows),
  };
  const otherFindings = build.diagnostics.filter((d) => !claimed.has(formatDiagnostic(d)));
  return { manifest, documents, otherFindings };
}

function renderTemplate(
  project: Project,
  brand: BrandProject,
  template: LoadedTemplate,
  validated: Diagnostic[],
  qa: readonly Diagnostic[],
  all: readonly Diagnostic[],
): { entry: PreviewEntry; document?: RenderedDocument } {
  const base = {
    brand: brand.key,
    brandName: brand.config.valid ? brand.config.value.name : brand.key,
    key: template.key,
    name: template.frontMatter.name ?? template.key,
    source: template.file,
  };
  const fail = (reason: string, findings: Diagnostic[]): { entry: FailedPreview } => ({
    entry: { ...base, status: 'failed', reason, files: {}, findings: sortDiagnostics(findings) },
  });
  if (!brand.config.valid) {
    const config = brand.config.file;
    return fail(`${config} has errors`, [...validated, ...all.filter((d) => d.file === config)]);
  }
  if (!template.valid) return fail('the front matter has errors', validated);

  // The very function compile uses for what goes to Klaviyo, so the preview shows what will be sent.
  const body = assembleTemplateBody(project, brand, template);
  const assembled = [...validated, ...body.diagnostics];
  if (body.diagnostics.some((d) => d.severity === 'error')) {
    return fail('the template does not assemble', assembled);
  }

  // `qa` is this email's QA from the build, the run validate makes, so a finding in a shared partial shows on
  // every email using it.
  const sampleName = template.frontMatter.sample;
  const sample = sampleName === undefined ? undefined : project.samples.get(sampleName);
  const input: PreviewInput = {
    file: template.file,
    html: body.html,
    subject: template.frontMatter.subject,
    brand: brand.config.value,
  };
  if (template.frontMatter.preview_text !== undefined) input.previewText = template.frontMatter.preview_text;
  if (body.sourceMap) input.htmlSourceMap = body.sourceMap;
  // The text part exactly as compile builds it for Klaviyo: the assembled .txt, or the text derived from the HTML.
  input.text = body.text;
  if (template.text) {
    input.textFile = template.text.file;
    if (body.textSourceMap) input.textSourceMap = body.textSourceMap;
  }
  if (sampleName !== undefined && sample?.valid) input.sample = toPreviewSample(sampleName, sample.value);
  let output;
  try {
    output = renderPreview(input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`the renderer failed: ${message}`, [...assembled, ...qa]);
  }
  // The QA rules report syntax errors and missing sample data with the brand's severities; the renderer's own
  // errors only explain a failure the rules were told to ignore.
  const syntaxErrors = output.diagnostics.filter((d) => d.severity === 'error');
  const explained = qa.some((d) => d.rule === KLAVIYO_SYNTAX_RULE);
  const findings = sortDiagnostics([...assembled, ...qa, ...(explained ? [] : syntaxErrors)]);
  if (syntaxErrors.length > 0)
    return fail('a Klaviyo tag does not parse, so the email cannot be rendered', findings);
  const entry: RenderedPreview = {
    ...base,
    status: 'rendered',
    files: { html: `${brand.key}/${template.key}.html`, text: `${brand.key}/${template.key}.txt` },
    subject: output.subject,
    previewText: output.previewText,
    sizeBytes: Buffer.byteLength(output.html, 'utf8'),
    findings,
  };
  if (sampleName !== undefined) entry.sample = sampleName;
  return { entry, document: { html: output.html, text: output.text } };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
