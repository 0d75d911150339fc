/**
 * Email QA for a brand's templates (src/email's rules: unsubscribe link, postal address, size, links, alt text,
 * client support, ...), run on the same assembled HTML and text that go to Klaviyo, with the brand's rule
 * severities, budgets and email clients laid over the root defaults.
 */
import { checkEmail } from '../email/qa/check-email.js';
import { toPreviewSample } from '../email/preview/context.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedTemplate, Project } from '../project/model.js';
import type { TemplateBody } from './template-body.js';

export function checkTemplateQa(
  project: Project,
  brand: BrandProject,
  template: LoadedTemplate,
  body: TemplateBody,
): Diagnostic[] {
  const root = project.root.valid ? (project.root.value.defaults ?? {}) : {};
  const config = brand.config.value;
  const sampleName = template.frontMatter.sample;
  const sample = sampleName === undefined ? undefined : project.samples.get(sampleName);
  const position = (key: 'subject' | 'preview_text' | 'transactional') => {
    if (template.frontMatter[key] === undefined) return undefined;
    const at = template.at([key]);
    return { line: at.line, col: at.col };
  };
  const positions: Partial<
    Record<'subject' | 'preview_text' | 'transactional', { line: number; col: number }>
  > = {};
  for (const key of ['subject', 'preview_text', 'transactional'] as const) {
    const at = position(key);
    if (at) positions[key] = at;
  }
  return checkEmail({
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
    frontMatter: template.frontMatter as unknown as CheckInput['frontMatter'],
    frontMatterPositions: positions,
    brand: config,
    transactionalAllowed: (root.transactional_templates ?? []).includes(template.key),
    severities: { ...(root.rules ?? {}), ...(config.rules ?? {}) },
    budgets: { ...(root.qa ?? {}), ...(config.qa ?? {}) },
    emailClients: config.email_clients ?? root.email_clients,
    sample: sample?.valid ? toPreviewSample(sample.key, sample.value) : undefined,
  });
}

type CheckInput = Parameters<typeof checkEmail>[0];
