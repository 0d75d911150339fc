/**
 * Every flow's emails as previews: the steps from flow-emails.ts, each variant pointing at its template's
 * preview (rendered once, by render-project.ts) with the subject and preview text as sent. A line the template
 * provides is the template's rendered line; a step's override is rendered here with the template's sample, the
 * same data the template view uses. No files are written here.
 */
import { renderInboxLine, toPreviewSample, type PreviewInput } from '../email/index.js';
import { sortDiagnostics, type Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedFlow, Project } from '../project/model.js';
import { flowEmails, type FlowEmailVariant, type InboxText } from './flow-emails.js';
import { emailId, type FlowPreview, type FlowVariantPreview, type PreviewEntry } from './manifest.js';

/** The brand's flows that send email, by key. `previews` holds the brand's template entries by `emailId`. */
export function renderBrandFlows(
  project: Project,
  brand: BrandProject,
  previews: ReadonlyMap<string, PreviewEntry>,
): FlowPreview[] {
  if (!brand.config.valid) return [];
  const flows = [...brand.flows.values()]
    .filter((f) => f.valid)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return flows
    .map((flow) => renderFlow(project, brand, flow, previews))
    .filter((flow) => flow.emails.length > 0);
}

function renderFlow(
  project: Project,
  brand: BrandProject,
  flow: LoadedFlow,
  previews: ReadonlyMap<string, PreviewEntry>,
): FlowPreview {
  const findings: Diagnostic[] = [];
  const emails = flowEmails(flow, brand.config.value, brand.templates).map((email) => ({
    ...email,
    variants: email.variants.map((variant) => renderVariant(project, brand, variant, previews, findings)),
  }));
  const preview: FlowPreview = {
    brand: brand.key,
    brandName: brand.config.value.name,
    key: flow.key,
    name: flow.value.name,
    source: flow.file,
    status: flow.value.status ?? 'draft',
    emails,
    findings: sortDiagnostics(findings),
  };
  if (flow.blueprint !== undefined) preview.blueprint = flow.blueprint;
  return preview;
}

function renderVariant(
  project: Project,
  brand: BrandProject,
  variant: FlowEmailVariant,
  previews: ReadonlyMap<string, PreviewEntry>,
  findings: Diagnostic[],
): FlowVariantPreview {
  const preview = emailId({ brand: brand.key, key: variant.template });
  const template = brand.templates.get(variant.template);
  const entry = previews.get(preview);
  if (!template || !entry)
    return { ...variant, preview, status: 'failed', reason: `there is no template '${variant.template}'` };
  if (entry.status === 'failed')
    return { ...variant, preview, status: 'failed', reason: `its template does not render: ${entry.reason}` };

  const overrides = [variant.subject, variant.previewText].filter((line) => line.from === 'step');
  if (overrides.length === 0)
    return {
      ...variant,
      preview,
      status: 'rendered',
      subjectLine: entry.subject,
      previewLine: entry.previewText,
    };

  const sampleName = template.frontMatter.sample;
  const sample = sampleName === undefined ? undefined : project.samples.get(sampleName);
  const input: Parameters<typeof renderInboxLine>[0] = {
    subject: variant.subject.written,
    previewText: variant.previewText.written,
    brand: brand.config.value as PreviewInput['brand'],
  };
  if (sampleName !== undefined && sample?.valid) input.sample = toPreviewSample(sampleName, sample.value);
  const lines = renderInboxLine(input);
  // Only the overridden lines' problems are the flow's: the template's own are on its entry already.
  const own = lines.diagnostics
    .filter((d) => overrides.some((o) => d.message.startsWith(labelOf(o, variant))))
    .map((d) => atOverride(d, d.message.startsWith('subject') ? variant.subject : variant.previewText));
  findings.push(...own);
  if (own.some((d) => d.severity === 'error'))
    return {
      ...variant,
      preview,
      status: 'failed',
      reason: 'a Klaviyo tag in the step does not parse, so its subject or preview text cannot be rendered',
    };
  return {
    ...variant,
    preview,
    status: 'rendered',
    subjectLine: variant.subject.from === 'step' ? lines.subject : entry.subject,
    previewLine: variant.previewText.from === 'step' ? lines.previewText : entry.previewText,
  };
}

function labelOf(line: InboxText, variant: FlowEmailVariant): string {
  return line === variant.subject ? 'subject' : 'preview text';
}

/** A problem found in an override, placed at the override in the flow (or blueprint) file. */
function atOverride(d: Diagnostic, line: InboxText): Diagnostic {
  const at = line.at!;
  return { ...d, file: at.file, line: at.line, col: at.col };
}
