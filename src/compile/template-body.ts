/**
 * The single place where a template's sendable HTML and text are produced for the desired state: src/email's
 * assembler runs the `[[ ]]` build (layout, partials, brand tokens) and reports problems at the line they
 * were written. A template without its own `.txt` part gets a text part derived from the assembled HTML.
 */
import {
  Assembler,
  generateTextPart,
  mergePartials,
  type AssembledSourceMap,
  type SourceFile,
  type ValueLocator,
} from '../email/index.js';
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
    const locateValue = valueLocator(brand, template);
    const html = assembler.html({
      file: template.file,
      body: template.body,
      bodyStartLine: template.bodyLine,
      frontMatter,
      locateValue,
      ...(layoutAt ? { layoutPosition: { line: layoutAt.line, col: layoutAt.col } } : {}),
    });
    const body: TemplateBody = { html: html.html ?? '', text: '', diagnostics: [...html.diagnostics] };
    if (html.sourceMap) body.sourceMap = html.sourceMap;
    if (template.text) {
      const part = assembler.text({
        file: template.text.file,
        source: template.text.text,
        frontMatter,
        locateValue,
      });
      body.diagnostics.push(...part.diagnostics);
      body.text = part.text ?? '';
      if (part.sourceMap) body.textSourceMap = part.sourceMap;
    } else {
      body.text = body.html ? generateTextPart(body.html) : '';
    }
    return body;
  };
}

/**
 * `brand.tokens.logo_url` -> brand.yaml, `template.subject` -> the template's front matter: a problem in an
 * inserted value is reported where the value is written (and so once, however many layouts insert it).
 */
function valueLocator(brand: BrandProject, template: LoadedTemplate): ValueLocator {
  return (path) => {
    const [root, ...rest] = path.split('.');
    if (rest.length === 0) return undefined;
    const at = root === 'template' ? template.at(rest) : root === 'brand' ? brand.config.at(rest) : undefined;
    return at && { file: at.file, line: at.line, col: at.col };
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
