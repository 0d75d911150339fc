/**
 * Email QA for a brand's templates (src/email's rules: unsubscribe link, postal address, size, links, alt text,
 * client support, ...), run on the same assembled HTML and text that go to Klaviyo, with the brand's rule
 * severities, budgets and email clients laid over the root defaults. Results come from the injected cache when
 * the template's content hash is known.
 */
import { checkEmail } from '../email/qa/check-email.js';
import { toPreviewSample } from '../email/preview/context.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedTemplate, Project } from '../project/model.js';
import { emailQaKey, type EmailQaCache, type KeyedCheckInput } from './email-qa-cache.js';
import type { TemplateBody } from './template-body.js';

export interface TemplateQaResult {
  findings: Diagnostic[];
  /** The findings came from the cache: no rule ran. */
  reused: boolean;
}

export async function checkTemplateQa(
  project: Project,
  brand: BrandProject,
  template: LoadedTemplate,
  body: TemplateBody,
  cache?: EmailQaCache,
): Promise<TemplateQaResult> {
  const input = templateQaInput(project, brand, template, body);
  if (!cache) return { findings: checkEmail(input), reused: false };
  const key = emailQaKey(input);
  const cached = await cache.get(key);
  if (cached) return { findings: cached, reused: true };
  const findings = checkEmail(input);
  await cache.set(key, findings);
  return { findings, reused: false };
}

function templateQaInput(
  project: Project,
  brand: BrandProject,
  template: LoadedTemplate,
  body: TemplateBody,
): KeyedCheckInput {
  const root = project.root.valid ? (project.root.value.defaults ?? {}) : {};
  const config = brand.config.value;
  const sampleName = template.frontMatter.sample;
  const sample = sampleName === undefined ? undefined : project.samples.get(sampleName);
  const positions: KeyedCheckInput['frontMatterPositions'] = {};
  for (const key of ['subject', 'preview_text', 'transactional'] as const) {
    if (template.frontMatter[key] === undefined) continue;
    const at = template.at([key]);
    positions[key] = { line: at.line, col: at.col };
  }
  return {
    templateFile: template.file,
    html: {
      file: template.file,
      content: body.html,
      lineOffset: template.bodyLine - 1,
      sourceMap: body.sourceMap,
    },
    // Only a written `.txt` part is checked: the text derived from the HTML is a stand-in until src/email's
    // text-part generator is wired into template-body.ts.
    text: template.text
      ? { file: template.text.file, content: body.text, sourceMap: body.textSourceMap }
      : undefined,
    frontMatter: template.frontMatter as unknown as KeyedCheckInput['frontMatter'],
    frontMatterPositions: positions,
    brand: config,
    transactionalAllowed: (root.transactional_templates ?? []).includes(template.key),
    severities: { ...(root.rules ?? {}), ...(config.rules ?? {}) },
    budgets: { ...(root.qa ?? {}), ...(config.qa ?? {}) },
    emailClients: config.email_clients ?? root.email_clients,
    sample: sample?.valid ? toPreviewSample(sample.key, sample.value) : undefined,
  };
}
