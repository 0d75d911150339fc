/** The email toolkit: build-time assembly, the Klaviyo template language, QA rules, text part and previews. */
export type { Diagnostic, Severity, SourcePosition } from './diagnostic.js';
export {
  Assembler,
  assembleTemplate,
  assembleTextPart,
  mergePartials,
  type AssembledSourceMap,
  type AssemblerOptions,
  type HtmlAssembly,
  type SourceFile,
  type TemplateInput,
  type TextAssembly,
  type TextPartInput,
} from './assemble/assemble.js';
