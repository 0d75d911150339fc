/**
 * The single place where a template's sendable HTML and text are produced for the desired state.
 *
 * Assembly (layouts, partials, brand tokens written as `[[ ]]`) belongs to src/email. Until its assembler is
 * wired in here, the body is passed through as written after its front matter, and the text part is the
 * `.txt` file or a tag-stripped rendering of the HTML.
 */
import type { BrandProject, LoadedTemplate, Project } from '../project/model.js';
import type { Diagnostic } from '../project/diagnostics.js';

export interface TemplateBody {
  html: string;
  text: string;
  diagnostics: Diagnostic[];
}

export function assembleTemplateBody(
  _project: Project,
  _brand: BrandProject,
  template: LoadedTemplate,
): TemplateBody {
  const html = template.body;
  const text = template.text?.text ?? htmlToPlainText(html);
  return { html, text, diagnostics: [] };
}

function htmlToPlainText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
