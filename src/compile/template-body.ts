/**
 * The single place where a template's sendable HTML and text are produced for the desired state: src/email's
 * assembler runs the `[[ ]]` build (layout, partials, brand tokens) and reports problems at the line they
 * were written. A template without its own `.txt` part gets a text part derived from the assembled HTML.
 */
import { Assembler, mergePartials, type AssembledSourceMap, type SourceFile } from '../email/index.js';
import type { Diagnostic } from '../project/diagnostics.js';
import type { BrandProject, LoadedTemplate, Project, TextFile } from '../project/model.js';

export interface TemplateBody {
  /** The assembled HTML; empty when assembly failed (an error in `diagnostics` says why). */
  html: string;
  /** The plain-text part: the `.txt` file assembled, or derived from the HTML. */
  text: string;
  diagnostics: Diagnostic[];
  /** Offsets in `html` -> the template, layout or partial line they came from. */
  sourceMap?: AssembledSourceMap;
  /** Offsets in `text` -> the `.txt` file, when the template has one. */
  textSourceMap?: AssembledSourceMap;
}

export type TemplateAssembler = (template: LoadedTemplate) => TemplateBody;

function sourceFiles(files: ReadonlyMap<string, TextFile>): Map<string, SourceFile> {
  return new Map([...files].map(([name, f]) => [name, { file: f.file, source: f.text }]));
}

/** One assembler per brand: layouts and partials are compiled once and shared by its templates. */
export function templateAssembler(project: Project, brand: BrandProject): TemplateAssembler {
  const assembler = new Assembler({
    brand: brand.config.value as unknown as Record<string, unknown>,
    layouts: sourceFiles(project.layouts),
    partials: mergePartials(sourceFiles(project.partials), sourceFiles(brand.partials)),
  });
  return (template) => {
    const frontMatter = template.frontMatter as unknown as Record<string, unknown>;
    const layoutAt = template.frontMatter.layout !== undefined ? template.at(['layout']) : undefined;
    const html = assembler.html({
      file: template.file,
      body: template.body,
      bodyStartLine: template.bodyLine,
      frontMatter,
      ...(layoutAt ? { layoutPosition: { line: layoutAt.line, col: layoutAt.col } } : {}),
    });
    const body: TemplateBody = { html: html.html ?? '', text: '', diagnostics: [...html.diagnostics] };
    if (html.sourceMap) body.sourceMap = html.sourceMap;
    if (template.text) {
      const part = assembler.text({ file: template.text.file, source: template.text.text, frontMatter });
      body.diagnostics.push(...part.diagnostics);
      body.text = part.text ?? '';
      if (part.sourceMap) body.textSourceMap = part.sourceMap;
    } else {
      body.text = htmlToPlainText(body.html);
    }
    return body;
  };
}

const assemblers = new WeakMap<BrandProject, TemplateAssembler>();

/** Assembles one template of `brand` (the brand's assembler is built once and reused). */
export function assembleTemplateBody(
  project: Project,
  brand: BrandProject,
  template: LoadedTemplate,
): TemplateBody {
  let assemble = assemblers.get(brand);
  if (!assemble) {
    assemble = templateAssembler(project, brand);
    assemblers.set(brand, assemble);
  }
  return assemble(template);
}

/** A readable text part from HTML: block ends become line breaks, tags go, Klaviyo tags stay. */
function htmlToPlainText(html: string): string {
  return (
    html
      .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
      // Links keep their target, so the unsubscribe and preference links survive: "Unsubscribe: {% unsubscribe_link %}".
      .replace(
        /<a\b[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi,
        (_m, href: string, label: string) => {
          const text = label.replace(/<[^>]+>/g, '').trim();
          return text && text !== href ? `${text}: ${href}` : href;
        },
      )
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/[ \t]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}
