/** The email toolkit: build-time assembly, the Klaviyo template language, QA rules, text part and previews. */
export type { ClientSupport, Diagnostic, Severity, SourcePosition } from './diagnostic.js';
export {
  Assembler,
  assembleTemplate,
  assembleTextPart,
  mergePartials,
  type AssembledSourceMap,
  type SourceMapDescription,
  type ValueLocator,
  type AssemblerOptions,
  type HtmlAssembly,
  type SourceFile,
  type TemplateInput,
  type TextAssembly,
  type TextPartInput,
} from './assemble/assemble.js';
export {
  parseKlaviyoTemplate,
  renderKlaviyoTemplate,
  FILTERS,
  KLAVIYO_SYNTAX_RULE,
  DEFAULT_LINK_BASE,
  DEFAULT_PREVIEW_NOW,
  SafeString,
  type KlaviyoTemplate,
  type ParseOptions,
  type ParseResult,
  type RenderOptions,
  type RenderResult,
  type RenderWarning,
  type RenderWarningKind,
} from './klaviyo-language/index.js';
export { scanTags, type TagUse } from './klaviyo-language/tag-scan.js';
export { QA_RULES, QA_RULE_IDS, QA_RULES_VERSION, checkEmail, ruleSeverity } from './qa/check-email.js';
export { EMAIL_HTML_VALIDATE_CONFIG } from './qa/validator-rules.js';
export { CLIENT_FEATURES, DEFAULT_EMAIL_CLIENTS, clientSupportMessage } from './qa/client-support.js';
export type {
  CheckEmailInput,
  EmailBrand,
  EmailPart,
  QaBudgets,
  QaRule,
  QaRuleId,
  RuleSeverity,
} from './qa/types.js';
export { generateTextPart } from './text-part.js';
export {
  buildPreviewContext,
  toPreviewSample,
  type PreviewBrand,
  type PreviewSample,
} from './preview/context.js';
export {
  renderInboxLine,
  renderPreview,
  type PreviewInput,
  type PreviewResult,
} from './preview/render-preview.js';
